using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.WorkerLoopCannotStopAnalyzer,
    GracefulStop.CodeFixes.Rules.WorkerLoopCannotStopCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class WorkerLoopCannotStopAnalyzerTests
{
    [Fact]
    public Task Endless_loop_in_thread_lambda_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void Start()
                {
                    new Thread({|#1:() =>
                    {
                        {|#0:while|} (true)
                        {
                            Step();
                        }
                    }|}).Start();
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'new Thread(...)'"));

    [Fact]
    public Task Endless_loops_in_method_work_and_task_lambdas_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start()
                {
                    new Thread(Run).Start();
                    Task.Run(() => Pump());
                    Task.Run(async () => { {|#2:for|} (;;) { await Task.Yield(); } });
                    ThreadPool.QueueUserWorkItem(_ => { {|#3:do|} { Step(); } while (true); });
                }

                void Run()
                {
                    {|#0:while|} (true) { Step(); }
                }

                void Pump()
                {
                    {|#1:for|} (;;) { Step(); }
                }

                void NotWork()
                {
                    while (true) { Step(); }
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "'Run' is started by 'new Thread(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("for (;;)", "'Pump' is started by 'Task.Run(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(2).WithArguments("for (;;)", "the work given to 'Task.Run(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(3).WithArguments("do … while", "the work given to 'ThreadPool.QueueUserWorkItem(...)'"));

    [Fact]
    public Task Loops_that_can_stop_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;

            class C
            {
                private readonly BlockingCollection<int> _queue = new();
                private volatile bool _stop;

                void Start(CancellationToken token)
                {
                    new Thread(() => { while (true) { if (_stop) break; } }).Start();
                    new Thread(() => { while (true) { if (_stop) return; } }).Start();
                    new Thread(() => { while (true) { throw new InvalidOperationException(); } }).Start();
                    new Thread(() => { while (true) { token.ThrowIfCancellationRequested(); } }).Start();
                    new Thread(() => { while (!_stop) { } }).Start();
                    new Thread(() => { for (var i = 0; i < 10; i++) { } }).Start();
                    new Thread(() => { foreach (var item in _queue.GetConsumingEnumerable()) { } }).Start();
                }
            }
            """);

    [Fact]
    public Task Thread_stopped_by_Abort_or_Interrupt_is_GS0001s_and_GS0002s_case() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private readonly Thread _worker;

                C() => _worker = new Thread(Work);

                void Work() { while (true) { Thread.Sleep(10); } }

                #pragma warning disable SYSLIB0006
                void Stop() => _worker.Interrupt();
            }
            """);

    [Fact]
    public Task Token_in_scope_is_GS0003s_case() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                void Start() => new Thread(() => { while (true) { } }).Start();
            }
            """);

    [Fact]
    public Task Only_the_outermost_endless_loop_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void Start() => new Thread(() => { [|while|] (true) { while (true) { } } }).Start();
            }
            """);

    // ---- fixes ----

    [Fact]
    public Task A_thread_field_in_a_type_with_no_stop_method_becomes_a_background_thread_with_the_initializer_on_one_line() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = """
                using System.Threading;

                class Pump
                {
                    private Thread _worker;

                    public void Start()
                    {
                        _worker = new Thread(() =>
                        {
                            // pump forever
                            [|while|] (true) // the loop
                            {
                                Step();
                            }
                        });
                        _worker.Start();
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class Pump
                {
                    private Thread _worker;

                    public void Start()
                    {
                        _worker = new Thread(() =>
                        {
                            // pump forever
                            while (true) // the loop
                            {
                                Step();
                            }
                        }) { IsBackground = true };
                        _worker.Start();
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Add_token_cancels_in_the_owners_stop_methods_and_renews_the_source_at_each_start() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = """
                using System;
                using System.Threading;

                class Pump : IDisposable
                {
                    private Thread _worker;

                    public void Start()
                    {
                        _worker = new Thread(() =>
                        {
                            [|while|] (true)
                            {
                                Thread.Sleep(10);
                            }
                        });
                        _worker.Start();
                    }

                    public void Stop() => Dispose();

                    public void Dispose()
                    {
                        _worker?.Join();
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;

                class Pump : IDisposable
                {
                    private Thread _worker;
                    private CancellationTokenSource _workerCancellation = new CancellationTokenSource();

                    public void Start()
                    {
                        _workerCancellation = new CancellationTokenSource();
                        var workerToken = _workerCancellation.Token;
                        _worker = new Thread(() =>
                        {
                            while (!workerToken.IsCancellationRequested)
                            {
                                Thread.Sleep(10);
                            }
                        });
                        _worker.Start();
                    }

                    public void Stop() => Dispose();

                    public void Dispose()
                    {
                        var workerCancellation = Interlocked.Exchange(ref _workerCancellation, new CancellationTokenSource());
                        workerCancellation.Cancel();
                        _worker?.Join();
                        workerCancellation.Dispose();
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Add_token_passes_method_work_its_own_token_and_each_stop_method_disposes_the_source_it_took_after_waiting() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = """
                using System;
                using System.Threading.Tasks;

                class Uploader : IDisposable
                {
                    private Task _pump;

                    public void Start()
                    {
                        _pump = Task.Run(Pump);
                    }

                    private void Pump()
                    {
                        [|while|] (true)
                        {
                            Upload();
                        }
                    }

                    private static void Upload() { }

                    public void Stop()
                    {
                        _pump?.Wait();
                    }

                    public void Dispose()
                    {
                        Console.WriteLine("disposed");
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                class Uploader : IDisposable
                {
                    private Task _pump;
                    private CancellationTokenSource _pumpCancellation = new CancellationTokenSource();

                    public void Start()
                    {
                        _pumpCancellation = new CancellationTokenSource();
                        var pumpToken = _pumpCancellation.Token;
                        _pump = Task.Run(() => Pump(pumpToken), pumpToken);
                    }

                    private void Pump(CancellationToken cancellationToken)
                    {
                        while (!cancellationToken.IsCancellationRequested)
                        {
                            Upload();
                        }
                    }

                    private static void Upload() { }

                    public void Stop()
                    {
                        var pumpCancellation = Interlocked.Exchange(ref _pumpCancellation, new CancellationTokenSource());
                        pumpCancellation.Cancel();
                        _pump?.Wait();
                        pumpCancellation.Dispose();
                    }

                    public void Dispose()
                    {
                        var pumpCancellation = Interlocked.Exchange(ref _pumpCancellation, new CancellationTokenSource());
                        pumpCancellation.Cancel();
                        Console.WriteLine("disposed");
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Add_token_for_method_work_adds_a_parameter_and_passes_the_token() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Pump
                {
                    public void Start()
                    {
                        // start it
                        Task.Run(Run);
                    }

                    private void Run()
                    {
                        [|for|] (;;)
                            Step(); // step
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Pump
                {
                    public void Start()
                    {
                        var cancellation = new CancellationTokenSource();
                        // start it
                        Task.Run(() => Run(cancellation.Token), cancellation.Token);
                    }

                    private void Run(CancellationToken cancellationToken)
                    {
                        for (; !cancellationToken.IsCancellationRequested;)
                            Step(); // step
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task A_thread_started_in_the_constructor_of_a_type_with_no_stop_method_becomes_a_background_thread() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = """
                using System.Threading;

                class Pump
                {
                    private readonly Thread _thread;

                    public Pump()
                    {
                        _thread = new Thread(() => Run());
                    }

                    private void Run()
                    {
                        [|do|]
                        {
                            Step();
                        }
                        while (true);
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class Pump
                {
                    private readonly Thread _thread;

                    public Pump()
                    {
                        _thread = new Thread(() => Run()) { IsBackground = true };
                    }

                    private void Run()
                    {
                        do
                        {
                            Step();
                        }
                        while (true);
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Mark_as_background_thread() =>
        new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.PreferredKey,
            TestCode = """
                using System.Threading;

                class C
                {
                    void Start()
                    {
                        var thread = new Thread(() => { [|while|] (true) { } }); // worker
                        thread.Start();
                    }
                }
                """,
            FixedCode = """
                using System.Threading;

                class C
                {
                    void Start()
                    {
                        var thread = new Thread(() => { while (true) { } }) { IsBackground = true }; // worker
                        thread.Start();
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Mark_as_background_thread_is_not_offered_when_the_owner_has_a_stop_method()
    {
        // A background thread still runs after Stop() (and a Join() there would wait forever): the token fix only.
        // (The background action's old key: no action of this site has it.)
        const string source = """
            using System.Threading;

            class C
            {
                void Start()
                {
                    var thread = new Thread(() => { [|while|] (true) { } });
                    thread.Start();
                }

                public void Stop() { }
            }
            """;
        return new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = "GS0004.MarkAsBackgroundThread",
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    [Fact]
    public Task No_token_fix_for_a_thread_created_in_a_field_initializer()
    {
        const string source = """
            using System.Threading;

            class Pump
            {
                private readonly Thread _worker = new Thread(Loop);

                public void Start() => _worker.Start();

                // A stop path: a background thread is not its stop, and no token can reach a field initializer's thread.
                public void Stop() { }

                private static void Loop()
                {
                    [|while|] (true) { Step(); }
                }

                private static void Step() { }
            }
            """;
        return new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    [Fact]
    public Task Loop_on_a_flag_nobody_ever_sets_is_reported_like_an_endless_loop() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Poller
            {
                private bool _stop;
                private bool _running = true;
                private bool _set;
                private bool _startsStopped = true;

                public void Start()
                {
                    new Thread(Poll).Start();
                    new Thread(Spin).Start();
                    new Thread(Watched).Start();
                    new Thread(NeverRuns).Start();
                }

                private void Poll()
                {
                    {|#0:while|} (!_stop)
                    {
                        Step();
                    }
                }

                private void Spin()
                {
                    {|#1:while|} (_running)
                    {
                        Step();
                    }
                }

                private void Watched()
                {
                    while (!_set)
                    {
                        Step();
                    }
                }

                private void NeverRuns()
                {
                    while (!_startsStopped)
                    {
                        Step();
                    }
                }

                public void Stop() => Volatile.Write(ref _set, true);

                private static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while (!_stop)", "'Poll' is started by 'new Thread(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while (_running)", "'Spin' is started by 'new Thread(...)'"));

    [Fact]
    public Task Background_threads_end_with_the_process_and_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Pumps
            {
                private Thread _field = new Thread(Pump);
                private Thread _assigned;
                private Thread _foreground = new Thread(Loop);

                void Start()
                {
                    _field.IsBackground = true;
                    _field.Start();

                    _assigned = new Thread(() => { while (true) { Step(); } });
                    _assigned.IsBackground = true;
                    _assigned.Start();

                    var local = new Thread(() => { while (true) { Step(); } });
                    local.IsBackground = true;
                    local.Start();

                    new Thread(() => { while (true) { Step(); } }) { IsBackground = true, Name = "pump" }.Start();

                    var notBackground = new Thread(() => { {|#0:while|} (true) { Step(); } });
                    notBackground.IsBackground = false;
                    notBackground.Start();

                    _foreground.Start();
                }

                static void Pump()
                {
                    while (true) { Step(); }
                }

                static void Loop()
                {
                    {|#1:while|} (true) { Step(); }
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while (true)", "the work given to 'new Thread(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while (true)", "'Loop' is started by 'new Thread(...)'"));

    [Fact]
    public Task No_background_fix_when_the_code_sets_IsBackground_itself_and_no_token_fix_for_public_methods() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                public void Start()
                {
                    var thread = new Thread(Run);
                    thread.IsBackground = false;
                    thread.Start();
                }

                public void Run()
                {
                    [|while|] (true) { }
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                public void Start()
                {
                    var thread = new Thread(Run);
                    thread.IsBackground = false;
                    thread.Start();
                }

                public void Run()
                {
                    [|while|] (true) { }
                }
            }
            """);

    [Fact]
    public async Task Fix_all_adds_tokens_in_every_document()
    {
        var test = new CSharpCodeFixVerifier<WorkerLoopCannotStopAnalyzer, WorkerLoopCannotStopCodeFix>.Test
        {
            CodeActionEquivalenceKey = WorkerLoopCannotStopCodeFix.AddTokenKey,
        };
        test.TestState.Sources.Add(("/0/A.cs", """
            using System.Threading.Tasks;

            class A
            {
                void Start()
                {
                    Task.Run(() => { [|while|] (true) { } });
                    Task.Run(() => { [|while|] (true) { } });
                }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            class B
            {
                private Thread _t;

                void Start() => _t = new Thread(() => { [|for|] (;;) { } });
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using System.Threading;
            using System.Threading.Tasks;

            class A
            {
                void Start()
                {
                    var cancellation = new CancellationTokenSource();
                    Task.Run(() => { while (!cancellation.IsCancellationRequested) { } }, cancellation.Token);
                    Task.Run(() => { while (true) { } });
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            class B
            {
                private Thread _t;

                void Start() => _t = new Thread(() => { for (;;) { } }) { IsBackground = true };
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Method_work_started_from_another_part_of_a_partial_type_is_reported()
    {
        var test = new CSharpAnalyzerVerifier<WorkerLoopCannotStopAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/A.cs", """
            partial class C
            {
                void Run()
                {
                    {|#0:while|} (true) { Step(); }
                }

                static void Step() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using System.Threading.Tasks;

            partial class C
            {
                void Start() => Task.Run(Run);
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "'Run' is started by 'Task.Run(...)'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Start_sites_in_generated_parts_of_a_partial_type_are_not_followed()
    {
        var test = new CSharpAnalyzerVerifier<WorkerLoopCannotStopAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/A.cs", """
            partial class C
            {
                void Run()
                {
                    while (true) { Step(); }
                }

                void Pump()
                {
                    while (true) { Step(); }
                }

                static void Step() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.g.cs", """
            using System.Threading.Tasks;

            partial class C
            {
                void Start() => Task.Run(Run);
            }
            """));
        test.TestState.Sources.Add(("/0/D.cs", """
            // <auto-generated/>
            using System.Threading;

            partial class C
            {
                void StartPump() => new Thread(Pump).Start();
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public Task Start_site_creating_an_aliased_thread_type_is_followed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using Worker = System.Threading.Thread;

            class C
            {
                void Start() => new Worker(Run).Start();

                void Run()
                {
                    {|#0:while|} (true) { Step(); }
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "'Run' is started by 'new Thread(...)'"));

    [Fact]
    public Task Start_sites_in_initializers_count_and_those_of_nested_types_do_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private static readonly Thread Worker = new(Run);

                static void Run()
                {
                    {|#0:while|} (true) { Step(); }
                }

                static void Pump()
                {
                    while (true) { Step(); }
                }

                static void Step() { }

                class Nested
                {
                    void Start() => Task.Run(Pump);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "'Run' is started by 'new Thread(...)'"));

    [Fact]
    public async Task Abort_in_another_part_of_a_partial_type_leaves_the_loop_to_GS0001()
    {
        var test = new CSharpAnalyzerVerifier<WorkerLoopCannotStopAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/A.cs", """
            using System.Threading;

            partial class C
            {
                private Thread _thread;

                void Start()
                {
                    _thread = new Thread(() => { while (true) { Step(); } });
                    _thread.Start();
                }

                static void Step() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            partial class C
            {
                void Stop() => _thread.Interrupt();
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public Task Threads_started_through_a_helper_method_are_followed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void Start()
                {
                    StartThread(Run, "worker");
                    StartThread(() => { {|#1:while|} (true) { Step(); } }, "inline");
                    StartBackground(Pump);
                    NotAHelper(Other);
                }

                static Thread StartThread(Action work, string name)
                {
                    var thread = new Thread(() => work()) { Name = name };
                    thread.Start();
                    return thread;
                }

                static void StartBackground(ThreadStart work) => new Thread(work) { IsBackground = true }.Start();

                static void NotAHelper(Action work) => work();

                void Run()
                {
                    {|#0:while|} (true) { Step(); }
                }

                void Pump()
                {
                    while (true) { Step(); }
                }

                void Other()
                {
                    while (true) { Step(); }
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "'Run' is started by 'StartThread(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("while (true)", "the work given to 'StartThread(...)'"));

    [Fact]
    public Task A_flag_only_a_nested_type_writes_is_set() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private bool _stop;

                void Start() => new Thread(Run).Start();

                void Run()
                {
                    while (!_stop) { Thread.Sleep(10); }
                }

                sealed class Stopper
                {
                    public void Stop(C owner) => owner._stop = true;
                }
            }
            """);

    // Fresh set 2 (tuning, class G6): the stop path disposes the listener's socket, and the accept then throws out of
    // the loop.
    [Fact]
    public Task Accept_loop_whose_listener_the_stop_path_disposes_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            sealed class Proxy : IDisposable
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);

                public void Start()
                {
                    _listener.Start();
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            var client = _listener.AcceptTcpClient();
                            client.NoDelay = true;
                        }
                    });
                }

                public void Dispose() => _listener.Server.Dispose();
            }
            """);

    [Fact]
    public Task Accept_loop_that_catches_the_accepts_exception_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            sealed class Proxy : IDisposable
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);

                public void Start()
                {
                    _listener.Start();
                    Task.Run(() =>
                    {
                        {|#0:while|} (true)
                        {
                            try
                            {
                                var client = _listener.AcceptTcpClient();
                                client.NoDelay = true;
                            }
                            catch (Exception)
                            {
                            }
                        }
                    });
                }

                public void Dispose() => _listener.Server.Dispose();
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'Task.Run(...)'"));

    // Fresh set 3 (tuning): a mock server's accept loop calls a method of its type that begins the next accept; once
    // Dispose closes the listener, that call throws out of the loop.
    [Fact]
    public Task Accept_loop_whose_helper_begins_an_accept_on_a_listener_the_stop_path_closes_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Threading.Tasks;

            sealed class MockServer : IDisposable
            {
                private readonly HttpListener _listener = new HttpListener();

                public void Start()
                {
                    _listener.Start();
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            ProcessRequest();
                        }
                    });
                }

                private void ProcessRequest()
                {
                    var result = _listener.BeginGetContext(OnContext, _listener);
                    result.AsyncWaitHandle.WaitOne();
                }

                private void OnContext(IAsyncResult result) { }

                public void Dispose() => _listener.Close();
            }
            """);

    [Fact]
    public Task Accept_loop_whose_helper_catches_the_accepts_exception_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Threading.Tasks;

            sealed class MockServer : IDisposable
            {
                private readonly HttpListener _listener = new HttpListener();

                public void Start()
                {
                    _listener.Start();
                    Task.Run(() =>
                    {
                        {|#0:while|} (true)
                        {
                            ProcessRequest();
                        }
                    });
                }

                private void ProcessRequest()
                {
                    try
                    {
                        var result = _listener.BeginGetContext(OnContext, _listener);
                        result.AsyncWaitHandle.WaitOne();
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }

                private void OnContext(IAsyncResult result) { }

                public void Dispose() => _listener.Close();
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'Task.Run(...)'"));

    [Fact]
    public Task Accept_loop_whose_helper_begins_an_accept_on_a_listener_nobody_closes_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Threading.Tasks;

            sealed class MockServer
            {
                private readonly HttpListener _listener = new HttpListener();
                private readonly HttpListener _previous = new HttpListener();

                public void Start()
                {
                    _listener.Start();
                    Task.Run(() =>
                    {
                        {|#0:while|} (true)
                        {
                            ProcessRequest();
                        }
                    });
                }

                private void ProcessRequest()
                {
                    var result = _listener.BeginGetContext(OnContext, _listener);
                    result.AsyncWaitHandle.WaitOne();
                }

                private void OnContext(IAsyncResult result) { }

                public void Restart() => _previous.Close();
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'Task.Run(...)'"));

    // Fresh set 4, a Kafka test's accept loop: the test stops its local listener in a finally, the accept throws, and
    // the task ends. The look-alikes: an accept whose exception the loop catches, and a listener nobody stops.
    [Fact]
    public Task Accept_loop_on_a_captured_listener_that_its_declaring_method_stops_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            class Tests
            {
                async Task Accepts()
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    var accepted = new List<TcpClient>();
                    var acceptLoop = Task.Run(async () =>
                    {
                        try
                        {
                            while (true)
                            {
                                accepted.Add(await listener.AcceptTcpClientAsync());
                            }
                        }
                        catch
                        {
                        }
                    });

                    try
                    {
                        await Task.Delay(100);
                    }
                    finally
                    {
                        listener.Stop();
                        await acceptLoop;
                    }
                }

                void Disposed()
                {
                    using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            server.Accept().Dispose();
                        }
                    }).Wait(100);
                }

                void CaughtInTheLoop()
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    var task = Task.Run(() =>
                    {
                        {|#0:while|} (true)
                        {
                            try
                            {
                                listener.AcceptTcpClient().Dispose();
                            }
                            catch (SocketException)
                            {
                            }
                        }
                    });
                    listener.Stop();
                }

                void NeverStopped(TcpListener other)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    Task.Run(() =>
                    {
                        {|#1:while|} (true)
                        {
                            listener.AcceptTcpClient().Dispose();
                        }
                    });
                    other.Stop();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'Task.Run(...)'"),
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("while (true)", "the work given to 'Task.Run(...)'"));

    // Fresh set 5, protoactor's benchmarks: endless load loops given to SafeTask.Run, a Task.Run wrapper of another
    // project. Its body cannot be read, so a static Run whose task the caller drops counts as a start; the look-alikes
    // are an awaited call (the caller's own code) and a helper that returns no task (it runs the delegate in place).
    [Fact]
    public async Task Endless_loops_given_to_a_task_helper_of_another_project_are_reported_when_its_task_is_dropped()
    {
        var helpers = new ProjectState("Helpers", LanguageNames.CSharp, "/1/Helpers", "cs");
        helpers.Sources.Add(
            """
            using System;
            using System.Threading.Tasks;

            namespace Helpers
            {
                public static class SafeTask
                {
                    public static async Task Run(Func<Task> body, string name = "")
                    {
                        try { await Task.Run(body); } catch (Exception) { }
                    }
                }

                public static class AsyncContext
                {
                    public static void Run(Func<Task> body) => body().GetAwaiter().GetResult();
                }
            }
            """);
        var test = new CSharpAnalyzerVerifier<WorkerLoopCannotStopAnalyzer>.Test
        {
            TestCode =
                """
                using System.Threading.Tasks;
                using Helpers;

                class Program
                {
                    static void Load()
                    {
                        _ = SafeTask.Run(async () => { {|#0:while|} (true) { await Task.Delay(10); } });
                        SafeTask.Run(Pump);
                    }

                    static async Task Awaited() => await SafeTask.Run(async () => { while (true) { await Task.Delay(10); } });

                    static void InPlace() => AsyncContext.Run(async () => { while (true) { await Task.Delay(10); } });

                    static async Task Pump()
                    {
                        {|#1:while|} (true) { await Task.Delay(10); }
                    }
                }
                """,
        };
        test.TestState.AdditionalProjects.Add("Helpers", helpers);
        test.TestState.AdditionalProjectReferences.Add("Helpers");
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("while (true)", "the work given to 'Run(...)'"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("while (true)", "'Pump' is started by 'Run(...)'"));
        await test.RunAsync();
    }

    // Fresh set 5, TShock's update thread: an async lambda leaves its (background) thread at the first await and loops
    // on pool threads, as Task.Run work does. The look-alike's loop never awaits, so it stays on the background thread.
    [Fact]
    public Task Endless_awaiting_loop_of_an_async_lambda_on_a_background_thread_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class UpdateManager
            {
                public UpdateManager()
                {
                    var t = new Thread(async () =>
                    {
                        {|#0:do|}
                        {
                            await Task.Delay(1000);
                            await CheckAsync();
                        } while (true);
                    })
                    {
                        IsBackground = true,
                    };
                    t.Start();

                    new Thread(async () =>
                    {
                        await CheckAsync();
                        while (true)
                        {
                            Thread.Sleep(1000);
                        }
                    }) { IsBackground = true }.Start();
                }

                private static Task CheckAsync() => Task.CompletedTask;
            }
            """,
            Verify.Diagnostic(Descriptors.WorkerLoopCannotStop).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("do … while", "the work given to 'new Thread(...)'"));
}
