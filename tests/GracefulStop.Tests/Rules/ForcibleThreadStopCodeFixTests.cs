using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.ForcibleThreadStopAnalyzer,
    GracefulStop.CodeFixes.Rules.ForcibleThreadStopCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class ForcibleThreadStopCodeFixTests
{
    [Fact]
    public Task A_stop_that_joins_takes_the_source_from_the_field_cancels_it_and_disposes_it_after_the_join_while_each_start_captures_its_own_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Scanner
            {
                private Thread _scanner;

                public void Restart()
                {
                    Halt();
                    Launch();
                }

                private void Launch()
                {
                    _scanner = new Thread(Scan);
                    _scanner.Start();
                }

                private void Halt()
                {
                    _scanner?.{|GS0001:Abort|}();
                    _scanner?.Join();
                }

                private void Scan()
                {
                    while (true)
                    {
                        Thread.Sleep(25);
                    }
                }
            }
            """,
            """
            using System.Threading;

            class Scanner
            {
                private Thread _scanner;
                private CancellationTokenSource _scannerCancellation = new CancellationTokenSource();

                public void Restart()
                {
                    Halt();
                    Launch();
                }

                private void Launch()
                {
                    _scannerCancellation = new CancellationTokenSource();
                    var scannerToken = _scannerCancellation.Token;
                    _scanner = new Thread(() => Scan(scannerToken));
                    _scanner.Start();
                }

                private void Halt()
                {
                    var scannerCancellation = Interlocked.Exchange(ref _scannerCancellation, new CancellationTokenSource());
                    scannerCancellation.Cancel();
                    _scanner?.Join();
                    scannerCancellation.Dispose();
                }

                private void Scan(CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        cancellationToken.WaitHandle.WaitOne(25);
                    }
                }
            }
            """);

    [Fact]
    public Task A_work_method_taking_state_reads_the_renewed_source_which_the_stop_path_cancels_and_does_not_dispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Reporter
            {
                private Thread _reporter;

                public void Start(object settings)
                {
                    _reporter = new Thread(Report);
                    _reporter.Start(settings);
                }

                private void Report(object settings)
                {
                    while (true)
                    {
                        Thread.Sleep(25);
                    }
                }

                public void Stop()
                {
                    _reporter.{|GS0002:Interrupt|}();
                    _reporter.Join();
                }
            }
            """,
            """
            using System.Threading;

            class Reporter
            {
                private Thread _reporter;
                private CancellationTokenSource _reporterCancellation = new CancellationTokenSource();

                public void Start(object settings)
                {
                    _reporterCancellation = new CancellationTokenSource();
                    _reporter = new Thread(Report);
                    _reporter.Start(settings);
                }

                private void Report(object settings)
                {
                    while (!_reporterCancellation.IsCancellationRequested)
                    {
                        _reporterCancellation.Token.WaitHandle.WaitOne(25);
                    }
                }

                public void Stop()
                {
                    _reporterCancellation.Cancel();
                    _reporter.Join();
                }
            }
            """);

    [Fact]
    public Task Field_thread_with_method_group_gets_a_token_source_and_a_bounded_join() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Poller
            {
                private Thread _worker;

                public void Start()
                {
                    _worker = new Thread(Run);
                    _worker.Start();
                }

                private void Run()
                {
                    // Poll forever.
                    while (true)
                    {
                        Poll();
                        Thread.Sleep(100);
                    }
                }

                private void Poll() { }

                public void Stop()
                {
                    _worker.{|GS0001:Abort|}(); // stop now
                }
            }
            """,
            """
            using System.Threading;

            class Poller
            {
                private Thread _worker;
                private CancellationTokenSource _workerCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _workerCancellation = new CancellationTokenSource();
                    var workerToken = _workerCancellation.Token;
                    _worker = new Thread(() => Run(workerToken));
                    _worker.Start();
                }

                private void Run(CancellationToken cancellationToken)
                {
                    // Poll forever.
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        Poll();
                        cancellationToken.WaitHandle.WaitOne(100);
                    }
                }

                private void Poll() { }

                public void Stop()
                {
                    var workerCancellation = Interlocked.Exchange(ref _workerCancellation, new CancellationTokenSource());
                    workerCancellation.Cancel(); // stop now
                    if (_worker.Join(System.TimeSpan.FromSeconds(30)))
                    {
                        workerCancellation.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public Task Local_thread_with_lambda_gets_a_local_source_and_keeps_the_existing_join() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            class Program
            {
                static void Main()
                {
                    var worker = new Thread(() =>
                    {
                        for (;;)
                            Console.WriteLine("tick");
                    });
                    worker.Start();
                    Console.ReadLine();
                    worker.{|GS0002:Interrupt|}();
                    worker.Join();
                }
            }
            """,
            """
            using System;
            using System.Threading;

            class Program
            {
                static void Main()
                {
                    var workerCancellation = new CancellationTokenSource();
                    var worker = new Thread(() =>
                    {
                        for (; !workerCancellation.IsCancellationRequested;)
                            Console.WriteLine("tick");
                    });
                    worker.Start();
                    Console.ReadLine();
                    workerCancellation.Cancel();
                    worker.Join();
                }
            }
            """);

    [Fact]
    public Task Static_field_initializer_thread_gets_a_static_readonly_source_and_every_stop_call_is_rewritten() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class Pump : IDisposable
            {
                private static readonly Thread s_thread = new Thread(() =>
                {
                    while (Pending())   // keep pumping
                    {
                        foreach (var item in new[] { 1, 2 }) Handle(item);
                    }
                });

                private static bool Pending() => true;
                private static void Handle(int item) { }

                public void Start() => s_thread.Start();

                public void Stop(bool now)
                {
                    if (now) s_thread.{|GS0002:Interrupt|}();
                }

                public void Dispose()
                {
                    /* last resort */ s_thread.{|GS0001:Abort|}();
                }
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class Pump : IDisposable
            {
                private static readonly Thread s_thread = new Thread(() =>
                {
                    while (!s_threadCancellation.IsCancellationRequested && Pending())   // keep pumping
                    {
                        foreach (var item in new[] { 1, 2 })
                        {
                            if (s_threadCancellation.IsCancellationRequested)
                                break;
                            Handle(item);
                        }
                    }
                });
                private static readonly CancellationTokenSource s_threadCancellation = new CancellationTokenSource();

                private static bool Pending() => true;
                private static void Handle(int item) { }

                public void Start() => s_thread.Start();

                public void Stop(bool now)
                {
                    if (now)
                    {
                        s_threadCancellation.Cancel();
                        s_thread.Join(TimeSpan.FromSeconds(30));
                    }
                }

                public void Dispose()
                {
                    /* last resort */
                    s_threadCancellation.Cancel();
                    s_thread.Join(TimeSpan.FromSeconds(30));
                }
            }
            """);

    [Fact]
    public Task A_monitor_wait_is_woken_by_a_pulse_after_Cancel_and_the_worker_leaves_before_using_what_it_waited_for()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading;

            class Consumer
            {
                private readonly object _gate = new object();
                private readonly Queue<int> _queue = new Queue<int>();
                private Thread _thread;

                public void Start()
                {
                    _thread = new Thread(Consume);
                    _thread.Start();
                }

                public void Stop()
                {
                    _thread.{|GS0002:Interrupt|}();
                    _thread.Join();
                }

                private void Consume()
                {
                    while (true)
                    {
                        lock (_gate)
                        {
                            while (_queue.Count == 0)
                            {
                                Monitor.Wait(_gate);
                            }

                            _queue.Dequeue();
                        }
                    }
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, """
            using System.Collections.Generic;
            using System.Threading;

            class Consumer
            {
                private readonly object _gate = new object();
                private readonly Queue<int> _queue = new Queue<int>();
                private Thread _thread;
                private CancellationTokenSource _threadCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _threadCancellation = new CancellationTokenSource();
                    var threadToken = _threadCancellation.Token;
                    _thread = new Thread(() => Consume(threadToken));
                    _thread.Start();
                }

                public void Stop()
                {
                    var threadCancellation = Interlocked.Exchange(ref _threadCancellation, new CancellationTokenSource());
                    threadCancellation.Cancel();
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                    _thread.Join();
                    threadCancellation.Dispose();
                }

                private void Consume(CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        lock (_gate)
                        {
                            while (!cancellationToken.IsCancellationRequested && _queue.Count == 0)
                            {
                                Monitor.Wait(_gate);
                            }

                            if (cancellationToken.IsCancellationRequested)
                                break;
                            _queue.Dequeue();
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public Task Instance_field_initializer_lambda_cannot_see_a_new_field_so_no_fix() =>
        Verify.VerifyCodeFixAsync(Source, Source);

    private const string Source = """
        using System.Threading;

        class Pump
        {
            private readonly Thread _thread = new Thread(() => { while (true) { } });

            public void Stop() => _thread.{|GS0001:Abort|}();
        }
        """;

    [Theory]
    [InlineData("public Thread Worker = new Thread(() => { while (true) { } });", "Worker")]
    [InlineData("private Thread _worker = new Thread(() => { });", "_worker")]
    [InlineData("private Thread _worker = Thread.CurrentThread;", "_worker")]
    public Task No_fix_when_the_thread_is_not_owned_or_the_work_has_no_loop(string field, string name) =>
        Verify.VerifyCodeFixAsync(
            $$"""
            using System.Threading;

            static class Owner
            {
                {{field.Replace("private ", "private static ").Replace("public ", "public static ")}}

                public static void Stop() => {{name}}.{|GS0001:Abort|}();
            }
            """,
            $$"""
            using System.Threading;

            static class Owner
            {
                {{field.Replace("private ", "private static ").Replace("public ", "public static ")}}

                public static void Stop() => {{name}}.{|GS0001:Abort|}();
            }
            """);

    [Fact]
    public Task No_fix_for_a_thread_given_as_parameter_or_stopped_inside_an_expression() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void Stop(Thread worker) => worker.{|GS0001:Abort|}();
            }
            """,
            """
            using System.Threading;

            class C
            {
                void Stop(Thread worker) => worker.{|GS0001:Abort|}();
            }
            """);

    [Fact]
    public Task No_fix_when_the_work_method_also_runs_elsewhere() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                private Thread _a;

                void Start() { _a = new Thread(Run); _a.Start(); Run(); }
                void Run() { while (true) { } }
                void Stop() { _a.{|GS0001:Abort|}(); }
            }
            """,
            """
            using System.Threading;

            class C
            {
                private Thread _a;

                void Start() { _a = new Thread(Run); _a.Start(); Run(); }
                void Run() { while (true) { } }
                void Stop() { _a.{|GS0001:Abort|}(); }
            }
            """);

    [Fact]
    public async Task Partial_type_across_documents_is_rewritten_in_every_document()
    {
        var test = new CSharpCodeFixVerifier<ForcibleThreadStopAnalyzer, ForcibleThreadStopCodeFix>.Test();
        test.TestState.Sources.Add(("/0/Worker.cs", """
            using System.Threading;

            partial class Worker
            {
                private Thread _thread;

                public void Start()
                {
                    _thread = new Thread(Loop) { IsBackground = true };
                    _thread.Start();
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Worker.Loop.cs", """
            partial class Worker
            {
                private void Loop()
                {
                    do
                    {
                        System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(50));
                    }
                    while (true);
                }

                public void Stop() => _thread?.{|GS0001:Abort|}();
            }
            """));
        test.FixedState.Sources.Add(("/0/Worker.cs", """
            using System.Threading;

            partial class Worker
            {
                private Thread _thread;
                private CancellationTokenSource _threadCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _threadCancellation = new CancellationTokenSource();
                    var threadToken = _threadCancellation.Token;
                    _thread = new Thread(() => Loop(threadToken)) { IsBackground = true };
                    _thread.Start();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Worker.Loop.cs", """
            partial class Worker
            {
                private void Loop(System.Threading.CancellationToken cancellationToken)
                {
                    do
                    {
                        cancellationToken.WaitHandle.WaitOne(System.TimeSpan.FromMilliseconds(50));
                    }
                    while (!cancellationToken.IsCancellationRequested);
                }

                public void Stop()
                {
                    var threadCancellation = System.Threading.Interlocked.Exchange(ref _threadCancellation, new System.Threading.CancellationTokenSource());
                    threadCancellation.Cancel();
                    if (_thread?.Join(System.TimeSpan.FromSeconds(30)) == true)
                    {
                        threadCancellation.Dispose();
                    }
                }
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Two_threads_are_fixed_together_by_fix_all_on_net472()
    {
        var test = new CSharpCodeFixVerifier<ForcibleThreadStopAnalyzer, ForcibleThreadStopCodeFix>.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.Default,
            TestCode = """
                using System;
                using System.Threading;

                class Twins
                {
                    Thread _left, _right;

                    void Start()
                    {
                        _left = new Thread(() => { while (true) Thread.Sleep(10); });
                        _right = new Thread(() => { while (true) Thread.Sleep(20); });
                    }

                    void Stop()
                    {
                        _left.{|GS0001:Abort|}();
                        _right.{|GS0001:Abort|}();
                        _right.Join();
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;

                class Twins
                {
                    Thread _left, _right;
                    private CancellationTokenSource _rightCancellation = new CancellationTokenSource();
                    private CancellationTokenSource _leftCancellation = new CancellationTokenSource();

                    void Start()
                    {
                        _leftCancellation = new CancellationTokenSource();
                        var leftToken = _leftCancellation.Token;
                        _left = new Thread(() => { while (!leftToken.IsCancellationRequested) leftToken.WaitHandle.WaitOne(10); });
                        _rightCancellation = new CancellationTokenSource();
                        var rightToken = _rightCancellation.Token;
                        _right = new Thread(() => { while (!rightToken.IsCancellationRequested) rightToken.WaitHandle.WaitOne(20); });
                    }

                    void Stop()
                    {
                        var leftCancellation = Interlocked.Exchange(ref _leftCancellation, new CancellationTokenSource());
                        leftCancellation.Cancel();
                        if (_left.Join(TimeSpan.FromSeconds(30)))
                        {
                            leftCancellation.Dispose();
                        }
                        var rightCancellation = Interlocked.Exchange(ref _rightCancellation, new CancellationTokenSource());
                        rightCancellation.Cancel();
                        _right.Join();
                        rightCancellation.Dispose();
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public Task Thread_created_in_the_constructor_gets_one_readonly_source() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Service
            {
                private readonly Thread _loop;

                public Service()
                {
                    _loop = new Thread(() => { while (true) { } });
                    _loop.Start();
                }

                public void Stop()
                {
                    _loop.{|GS0002:Interrupt|}();
                    _loop.Join();
                }
            }
            """,
            """
            using System.Threading;

            class Service
            {
                private readonly Thread _loop;
                private readonly CancellationTokenSource _loopCancellation = new CancellationTokenSource();

                public Service()
                {
                    _loop = new Thread(() => { while (!_loopCancellation.IsCancellationRequested) { } });
                    _loop.Start();
                }

                public void Stop()
                {
                    _loopCancellation.Cancel();
                    _loop.Join();
                }
            }
            """);
    [Fact]
    public Task A_pool_of_threads_aborted_in_a_loop_gets_one_source_renewed_before_the_threads_are_created_and_keeps_its_join_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class Pool
            {
                private readonly List<Thread> _workers = new List<Thread>();

                public void Start()
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var worker = new Thread(Work);
                        _workers.Add(worker);
                        worker.Start();
                    }
                }

                public void Stop()
                {
                    foreach (var worker in _workers)
                    {
                        worker.{|GS0001:Abort|}();
                    }

                    foreach (var worker in _workers)
                    {
                        worker.Join();
                    }
                }

                private void Work()
                {
                    while (true)
                    {
                        Thread.Sleep(15);
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading;

            class Pool
            {
                private readonly List<Thread> _workers = new List<Thread>();
                private CancellationTokenSource _workersCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _workersCancellation = new CancellationTokenSource();
                    for (var i = 0; i < 3; i++)
                    {
                        var worker = new Thread(Work);
                        _workers.Add(worker);
                        worker.Start();
                    }
                }

                public void Stop()
                {
                    _workersCancellation.Cancel();

                    foreach (var worker in _workers)
                    {
                        worker.Join();
                    }
                }

                private void Work()
                {
                    while (!_workersCancellation.IsCancellationRequested)
                    {
                        _workersCancellation.Token.WaitHandle.WaitOne(15);
                    }
                }
            }
            """);

    [Fact]
    public Task An_array_of_interrupted_threads_is_cancelled_and_then_joined_with_a_bound() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Readers
            {
                private Thread[] _readers;

                public void Start()
                {
                    _readers = new Thread[2];
                    for (var i = 0; i < _readers.Length; i++)
                    {
                        _readers[i] = new Thread(() => { while (true) Thread.Sleep(10); });
                        _readers[i].Start();
                    }
                }

                public void Stop()
                {
                    foreach (var reader in _readers)
                        reader.{|GS0002:Interrupt|}(); // wake them
                }
            }
            """,
            """
            using System.Threading;

            class Readers
            {
                private Thread[] _readers;
                private CancellationTokenSource _readersCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _readers = new Thread[2];
                    _readersCancellation = new CancellationTokenSource();
                    for (var i = 0; i < _readers.Length; i++)
                    {
                        _readers[i] = new Thread(() => { while (!_readersCancellation.IsCancellationRequested) _readersCancellation.Token.WaitHandle.WaitOne(10); });
                        _readers[i].Start();
                    }
                }

                public void Stop()
                {
                    _readersCancellation.Cancel();
                    foreach (var reader in _readers)
                        reader.Join(System.TimeSpan.FromSeconds(30)); // wake them
                }
            }
            """);

    [Fact]
    public Task No_fix_for_a_pool_whose_list_is_handed_to_other_code() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class Pool
            {
                private readonly List<Thread> _workers = new List<Thread>();

                public void Start(ICollection<List<Thread>> registry)
                {
                    _workers.Add(new Thread(() => { while (true) Thread.Sleep(10); }));
                    registry.Add(_workers);
                }

                public void Stop()
                {
                    foreach (var worker in _workers)
                        worker.{|GS0001:Abort|}();
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading;

            class Pool
            {
                private readonly List<Thread> _workers = new List<Thread>();

                public void Start(ICollection<List<Thread>> registry)
                {
                    _workers.Add(new Thread(() => { while (true) Thread.Sleep(10); }));
                    registry.Add(_workers);
                }

                public void Stop()
                {
                    foreach (var worker in _workers)
                        worker.{|GS0001:Abort|}();
                }
            }
            """);
}
