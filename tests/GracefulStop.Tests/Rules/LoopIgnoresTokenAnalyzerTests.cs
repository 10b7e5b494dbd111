using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.LoopIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.LoopIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class LoopIgnoresTokenAnalyzerTests
{
    [Fact]
    public Task Result_of_a_completed_task_does_not_make_a_loop_block() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class Aggregator
            {
                async Task<int> SumAsync(List<Task<int>> tasks, CancellationToken token)
                {
                    await Task.WhenAll(tasks);
                    var sum = 0;
                    foreach (var task in tasks)
                    {
                        sum += task.Result;
                    }

                    return sum;
                }

                int Completed(List<Task<int>> tasks, CancellationToken token)
                {
                    var sum = 0;
                    foreach (var task in tasks)
                    {
                        if (task.IsCompletedSuccessfully)
                        {
                            sum += task.Result;
                        }
                    }

                    return sum;
                }

                int Blocking(List<Task<int>> tasks, CancellationToken token)
                {
                    var sum = 0;
                    {|#0:foreach|} (var task in tasks)
                    {
                        sum += task.Result;
                    }

                    return sum;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "blocks", "token"));

    [Fact]
    public Task Foreach_over_memory_sees_only_the_field_tokens_its_method_uses() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;

            class Exporter
            {
                private readonly CancellationTokenSource _recovery = new();

                void Export(List<string> lines, TextWriter writer)
                {
                    foreach (var line in lines)
                    {
                        writer.WriteLine(line);
                        File.AppendAllText("log.txt", line);
                    }
                }

                void ExportWatched(List<string> lines, TextWriter writer)
                {
                    if (_recovery.IsCancellationRequested) return;
                    {|#0:foreach|} (var line in lines)
                    {
                        writer.WriteLine(line);
                        File.AppendAllText("log.txt", line);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "does I/O", "_recovery.Token"));

    // Fresh set 2 (tuning): a prompt loop waits for the user; no token can interrupt Console.ReadLine.
    [Fact]
    public Task Prompt_loop_that_only_waits_for_console_input_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    using var exitCts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; exitCts.Cancel(); };
                    string answer = null;
                    while (string.IsNullOrWhiteSpace(answer))
                    {
                        Console.Write("=> ");
                        answer = Console.ReadLine();
                    }

                    exitCts.Token.WaitHandle.WaitOne(1000);
                }
            }
            """);

    [Fact]
    public Task Prompt_loop_that_also_reads_a_file_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    using var exitCts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; exitCts.Cancel(); };
                    string answer = null;
                    {|#0:while|} (string.IsNullOrWhiteSpace(answer))
                    {
                        answer = Console.ReadLine() + File.ReadAllText("answer.txt");
                    }

                    exitCts.Token.WaitHandle.WaitOne(1000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while", "does I/O", "exitCts.Token"));

    [Fact]
    public Task Console_loop_stopped_by_a_Ctrl_C_handler_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    using var cts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
                    {|#0:while|} (true)
                    {
                        Console.WriteLine(Compute());
                    }
                }

                static int Compute() => 42;
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while (true)", "never ends on its own", "cts.Token"));

    [Fact]
    public Task Endless_loop_with_a_token_parameter_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void Pump(CancellationToken cancellationToken)
                {
                    {|#0:while|} (true)
                    {
                        Step();
                    }
                }

                void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while (true)", "never ends on its own", "cancellationToken"));

    [Fact]
    public Task Endless_for_and_do_loops_with_source_field_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                void A()
                {
                    {|#0:for|} (;;) { Step(); }
                }

                void B()
                {
                    {|#1:do|} { Step(); } while (true);
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("for (;;)", "never ends on its own", "_cts.Token"),
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(1).WithArguments("do … while", "never ends on its own", "_cts.Token"));

    [Fact]
    public Task The_stopper_that_cancels_and_then_waits_for_the_workers_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class Pool
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly List<Thread> _workers = new();

                public void Stop()
                {
                    _cts.Cancel();
                    foreach (var worker in _workers)
                    {
                        worker.Join();
                    }

                    while (true)
                    {
                        if (_workers.TrueForAll(w => !w.IsAlive)) break;
                        Thread.Yield();
                    }
                }
            }
            """);

    [Fact]
    public Task The_preferred_fix_leaves_a_bounded_loop_without_throwing() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            using System.Threading;

            class C
            {
                void Copy(Stream stream, int n, CancellationToken token)
                {
                    [|for|] (var i = 0; i < n; i++)
                    {
                        stream.ReadByte();
                    }
                }
            }
            """,
            """
            using System.IO;
            using System.Threading;

            class C
            {
                void Copy(Stream stream, int n, CancellationToken token)
                {
                    for (var i = 0; i < n; i++)
                    {
                        if (token.IsCancellationRequested)
                            break;
                        stream.ReadByte();
                    }
                }
            }
            """);

    [Fact]
    public Task Loop_over_a_string_reader_into_a_string_writer_does_no_io() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;

            class Template
            {
                readonly CancellationTokenSource _run = new CancellationTokenSource();

                string Expand(string source)
                {
                    using (var reader = new StringReader(source))
                    using (StringWriter writer = new())
                    {
                        string line;
                        while ((line = reader.ReadLine()) != null)
                        {
                            // TextWriter.WriteLine, called on a StringWriter: memory, not a device.
                            writer.WriteLine(line.Replace("$Now", "0"));
                        }

                        return writer.ToString();
                    }
                }
            }
            """);

    [Fact]
    public Task Same_loop_over_a_text_reader_that_may_be_a_device_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;

            class Template
            {
                readonly CancellationTokenSource _run = new CancellationTokenSource();

                string Expand(TextReader reader)
                {
                    using (StringWriter writer = new())
                    {
                        string line;
                        {|#0:while|} ((line = reader.ReadLine()) != null)
                        {
                            writer.WriteLine(line.Replace("$Now", "0"));
                        }

                        return writer.ToString();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while", "does I/O", "_run.Token"));

    [Fact]
    public Task Bounded_loop_that_does_io_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;

            class C
            {
                void Copy(Stream stream, int n, CancellationToken token)
                {
                    {|#0:for|} (var i = 0; i < n; i++)
                    {
                        stream.ReadByte();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("for", "does I/O", "token"));

    [Fact]
    public Task Main_loop_of_thread_lambda_with_captured_source_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private volatile bool _more = true;

                void Start()
                {
                    var cts = new CancellationTokenSource();
                    new Thread(() =>
                    {
                        {|#0:while|} (_more)
                        {
                            Step();
                        }
                    }).Start();
                }

                void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while", "is the main loop of work running on its own thread", "cts.Token"));

    [Fact]
    public Task Main_loop_of_a_thread_method_of_the_same_type_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private volatile bool _more = true;

                void Start() => new Thread(Run).Start();

                void Run()
                {
                    {|#0:while|} (_more)
                    {
                        Step();
                    }
                }

                void NotThreadWork()
                {
                    while (_more)
                    {
                        Step();
                    }
                }

                void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while", "is the main loop of work running on its own thread", "_cts.Token"));

    [Fact]
    public Task Bounded_and_in_memory_loops_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class C
            {
                int M(int n, int[] array, List<int> list, CancellationToken token)
                {
                    var sum = 0;
                    for (var i = 0; i < n; i++) { sum += i; }
                    var j = 0;
                    while (j < n) { sum += j; j++; }
                    foreach (var x in array) { sum += x; }
                    foreach (var x in list) { sum += x; }
                    return sum;
                }
            }
            """);

    [Fact]
    public Task Loops_that_observe_the_token_in_any_way_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                async Task M(CancellationToken token, IAsyncEnumerable<int> items)
                {
                    while (true) { token.ThrowIfCancellationRequested(); }
                }

                void A(CancellationToken token) { while (true) { if (token.IsCancellationRequested) { Log(); } } }
                void B(CancellationToken token) { while (true) { token.WaitHandle.WaitOne(100); } }
                void C1(CancellationToken token) { while (true) { using var r = token.Register(() => { }); } }
                async Task D(CancellationToken token) { while (true) { await Task.Delay(100, token); } }
                void E(CancellationToken token) { while (true) { Use(token); } }
                async Task F(CancellationToken token, IAsyncEnumerable<int> items) { while (true) { await foreach (var i in items.WithCancellation(token)) { } } }
                void G(CancellationToken token) { while (true) { using var linked = CancellationTokenSource.CreateLinkedTokenSource(token); } }
                void H() { while (!_cts.IsCancellationRequested) { Log(); } }
                void I() { for (;;) { Use(_cts.Token); } }
                void J() { while (true) { Step(); } }
                void Step() { if (_cts.IsCancellationRequested) Log(); }

                static void Use(CancellationToken token) { }
                static void Log() { }
            }
            """);

    [Fact]
    public Task Loops_with_their_own_exit_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            class C
            {
                void A(TextReader reader, CancellationToken token)
                {
                    while (true)
                    {
                        var line = reader.ReadLine();
                        if (line is null) break;
                    }
                }

                int B(CancellationToken token)
                {
                    for (;;) { if (Environment.TickCount > 5) return 1; }
                }

                void D(CancellationToken token)
                {
                    while (true) { throw new InvalidOperationException(); }
                }
            }
            """);

    [Fact]
    public Task Loops_without_a_token_in_scope_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                static void M()
                {
                    while (true) { Step(); }
                }

                void N()
                {
                    while (true) { Step(); }
                    var late = new CancellationTokenSource();
                }

                static void Step() { }
            }
            """);

    [Fact]
    public Task Loops_with_a_call_that_GS0005_reports_are_left_to_it() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void A(CancellationToken token) { while (true) { Thread.Sleep(100); } }
                void B(BlockingCollection<int> queue, CancellationToken token) { foreach (var item in queue.GetConsumingEnumerable()) { } }
                async Task D(CancellationToken token) { while (true) { await Task.Delay(100); } }
                void E(SemaphoreSlim gate, CancellationToken token) { while (true) { gate.Wait(); } }
            }
            """);

    [Fact]
    public Task GetConsumingEnumerable_consumer_ended_by_CompleteAdding_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;

            class C
            {
                private readonly BlockingCollection<int> _queue = new();
                private readonly CancellationTokenSource _cts = new();

                void Start() => new Thread(Consume).Start();

                void Consume()
                {
                    foreach (var item in _queue.GetConsumingEnumerable(_cts.Token)) { }
                }

                void Stop() => _queue.CompleteAdding();
            }
            """);

    [Fact]
    public Task Work_given_the_token_at_its_start_site_is_left_to_GS0008() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(CancellationToken token)
                {
                    Task.Run(() => { while (true) { Step(); } }, token);
                }

                static void Step() { }
            }
            """);

    [Fact]
    public Task Measured_false_positives_stay_silent() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Net.WebSockets;
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly Channel<int> _channel = Channel.CreateUnbounded<int>();
                private readonly List<Func<Task>> _listeners = new();

                // A foreach over a list whose only wait is await: it ends (the awaits are GS0005's business).
                async Task DisposeAll(CancellationToken cancellationToken)
                {
                    foreach (var listener in _listeners) { await listener(); }
                    for (var i = 0; i < _listeners.Count; i++) { await _listeners[i](); }
                }

                // A drain loop nested in a loop that observes the token.
                async Task Pump()
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        var hasData = await _channel.Reader.WaitToReadAsync(_cts.Token);
                        while (hasData && _channel.Reader.TryRead(out var item)) { await Handle(item); }
                    }
                }

                // The sequence was created with the token.
                async Task Watch(IAsyncEnumerable<int> source, Func<CancellationToken, IAsyncEnumerable<int>> watch, CancellationToken cancellationToken)
                {
                    var items = watch(cancellationToken);
                    await foreach (var item in items) { await Handle(item); }
                }

                // The enumerator the loop polls was created with the token (found on StackExchange.Redis).
                async Task Poll(IAsyncEnumerable<int> source, CancellationToken cancellationToken)
                {
                    var e = source.GetAsyncEnumerator(cancellationToken);
                    while (await e.MoveNextAsync()) { await Handle(e.Current); }
                    var f = source.WithCancellation(cancellationToken).GetAsyncEnumerator();
                    while (await f.MoveNextAsync()) { await Handle(f.Current); }
                    var g = source.WithCancellation(cancellationToken).GetAsyncEnumerator();
                    var pending = g.MoveNextAsync();
                    while (await pending) { await Handle(g.Current); pending = g.MoveNextAsync(); }
                }

                // Setting options and writing to the console are not I/O a loop waits on.
                void Configure(ClientWebSocketOptions options, Dictionary<string, string> headers, CancellationToken cancellationToken)
                {
                    foreach (var header in headers)
                    {
                        options.SetRequestHeader(header.Key, header.Value);
                        Console.Error.WriteLine(header.Key);
                    }
                }

                // A drain loop in the finally of thread work is cleanup, not the thread's main loop.
                void Start() => new Thread(() =>
                {
                    try { }
                    finally
                    {
                        while (_channel.Reader.TryRead(out var leftover)) { Log(leftover); }
                    }
                }).Start();

                static Task Handle(int item) => Task.CompletedTask;

                static void Log(int item) { }
            }
            """);

    [Fact]
    public Task Generated_code_and_invalid_code_are_not_reported()
    {
        var test = new CSharpAnalyzerVerifier<LoopIgnoresTokenAnalyzer>.Test
        {
            TestCode = """
                // <auto-generated/>
                using System.Threading;

                class C
                {
                    void M(CancellationToken token) { while (true) { } }
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Invalid_code_is_not_reported()
    {
        var test = new CSharpAnalyzerVerifier<LoopIgnoresTokenAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;

                class C
                {
                    void M(CancellationToken token) { while (true) { {|CS0103:Missing|}(); } }
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Hosted_service_main_loop_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            namespace Microsoft.Extensions.Hosting
            {
                public abstract class BackgroundService
                {
                    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
                }
            }

            class Worker : Microsoft.Extensions.Hosting.BackgroundService
            {
                private volatile bool _enabled = true;

                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    {|#0:while|} (_enabled)
                    {
                        Step();
                    }

                    return Task.CompletedTask;
                }

                static void Step() { }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while", "is the main loop of a hosted service", "stoppingToken"));

    // ---- fixes ----

    [Fact]
    public Task Condition_fix_keeps_comments_and_uses_the_parameter() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.ConditionKey,
            TestCode = """
                using System.Threading;

                class C
                {
                    void Pump(CancellationToken cancellationToken)
                    {
                        // pump forever
                        [|while|] (/* always */ true /* really */) // trailing
                        {
                            // one step
                            Step();
                        }
                    }

                    void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class C
                {
                    void Pump(CancellationToken cancellationToken)
                    {
                        // pump forever
                        while (/* always */ !cancellationToken.IsCancellationRequested /* really */) // trailing
                        {
                            // one step
                            Step();
                        }
                    }

                    void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Condition_fix_on_for_and_do_with_source_field() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.ConditionKey,
            TestCode = """
                using System.Threading;

                class C
                {
                    private readonly CancellationTokenSource _cts = new();

                    void A()
                    {
                        [|for|] (;;) Step(); // single statement
                    }

                    void B()
                    {
                        [|do|]
                        {
                            Step();
                        }
                        while (true); // end
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class C
                {
                    private readonly CancellationTokenSource _cts = new();

                    void A()
                    {
                        for (; !_cts.IsCancellationRequested;) Step(); // single statement
                    }

                    void B()
                    {
                        do
                        {
                            Step();
                        }
                        while (!_cts.IsCancellationRequested); // end
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Throw_fix_where_leaving_would_let_a_value_returning_method_fall_off_its_end_inserts_first_statement_and_adds_braces() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.PreferredKey,
            TestCode = """
                using System.IO;
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    private readonly CancellationTokenSource _cts = new();

                    int A(Stream stream)
                    {
                        // read them all
                        [|for|] (;;)
                            stream.ReadByte(); // one byte
                    }

                    int B()
                    {
                        [|while|] (true)
                        {
                            // first comment
                            Step();
                        }
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.IO;
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    private readonly CancellationTokenSource _cts = new();

                    int A(Stream stream)
                    {
                        // read them all
                        for (;;)
                        {
                            _cts.Token.ThrowIfCancellationRequested();
                            stream.ReadByte(); // one byte
                        }
                    }

                    int B()
                    {
                        while (true)
                        {
                            _cts.Token.ThrowIfCancellationRequested();
                            // first comment
                            Step();
                        }
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task An_endless_Task_Run_lambda_is_conditioned_on_the_captured_source_and_not_offered_a_throw() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.PreferredKey,
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    void Start()
                    {
                        var cts = new CancellationTokenSource();
                        Task.Run(() =>
                        {
                            [|while|] (true) { Step(); }
                        });
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    void Start()
                    {
                        var cts = new CancellationTokenSource();
                        Task.Run(() =>
                        {
                            while (!cts.IsCancellationRequested) { Step(); }
                        });
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Nested_endless_loops_are_both_fixed() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.ConditionKey,
            TestCode = """
                using System.Threading;

                class C
                {
                    void Pump(CancellationToken token)
                    {
                        [|while|] (true)
                        {
                            // inner
                            [|while|] (true)
                            {
                                Step();
                            }
                        }
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class C
                {
                    void Pump(CancellationToken token)
                    {
                        while (!token.IsCancellationRequested)
                        {
                            // inner
                            while (!token.IsCancellationRequested)
                            {
                                Step();
                            }
                        }
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task Where_leaving_the_loop_would_leave_a_value_returning_method_without_a_value_the_preferred_fix_throws() =>
        new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.PreferredKey,
            TestCode = """
                using System.Threading;

                class C
                {
                    int Pump(CancellationToken token)
                    {
                        [|while|] (true) { Step(); }
                    }

                    static void Step() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                class C
                {
                    int Pump(CancellationToken token)
                    {
                        while (true) { token.ThrowIfCancellationRequested(); Step(); }
                    }

                    static void Step() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task No_fix_for_a_nullable_source() =>
        Verify.VerifyCodeFixAsync(
            """
            #nullable enable
            using System.Threading;

            class C
            {
                private CancellationTokenSource? _cts;

                void Pump()
                {
                    [|while|] (true) { Step(); }
                }

                static void Step() { }
            }
            """,
            """
            #nullable enable
            using System.Threading;

            class C
            {
                private CancellationTokenSource? _cts;

                void Pump()
                {
                    [|while|] (true) { Step(); }
                }

                static void Step() { }
            }
            """);

    [Fact]
    public async Task Fix_all_in_document_project_and_solution()
    {
        var test = new CSharpCodeFixVerifier<LoopIgnoresTokenAnalyzer, LoopIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = LoopIgnoresTokenCodeFix.PreferredKey,
        };
        test.TestState.Sources.Add(("/0/A.cs", """
            using System.Threading;

            class A
            {
                int M(CancellationToken token)
                {
                    [|while|] (true) { Step(); }
                }

                int N(CancellationToken token)
                {
                    // and again
                    [|for|] (;;) Step();
                }

                static void Step() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            class B
            {
                private readonly CancellationTokenSource _stop = new();

                int M()
                {
                    [|do|] { Step(); } while (true);
                }

                static void Step() { }
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using System.Threading;

            class A
            {
                int M(CancellationToken token)
                {
                    while (true) { token.ThrowIfCancellationRequested(); Step(); }
                }

                int N(CancellationToken token)
                {
                    // and again
                    for (;;)
                    {
                        token.ThrowIfCancellationRequested();
                        Step();
                    }
                }

                static void Step() { }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            class B
            {
                private readonly CancellationTokenSource _stop = new();

                int M()
                {
                    do { _stop.Token.ThrowIfCancellationRequested(); Step(); } while (true);
                }

                static void Step() { }
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Main_loop_of_method_work_started_from_another_part_of_a_partial_type_is_reported()
    {
        var test = new CSharpAnalyzerVerifier<LoopIgnoresTokenAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/A.cs", """
            using System.Threading;

            partial class C
            {
                private readonly CancellationTokenSource _cts = new();
                private volatile bool _more = true;

                void Run()
                {
                    {|#0:while|} (_more)
                    {
                        Step();
                    }
                }

                void Step() { }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            partial class C
            {
                void Start() => new Thread(Run).Start();
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while", "is the main loop of work running on its own thread", "_cts.Token"));
        await test.RunAsync();
    }

    [Fact]
    public Task Main_loops_started_from_a_constructor_count_and_those_started_by_nested_types_do_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private volatile bool _more = true;
                private readonly Thread _thread;

                C() => _thread = new(Run);

                void Run()
                {
                    {|#0:while|} (_more)
                    {
                        Step();
                    }
                }

                void Pump()
                {
                    while (_more)
                    {
                        Step();
                    }
                }

                void Step() { }

                class Nested
                {
                    void Start(C c) => Task.Run(c.Pump);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("while", "is the main loop of work running on its own thread", "_cts.Token"));

    [Fact]
    public Task A_loop_nested_in_a_loop_that_hands_the_token_to_unresolved_code_is_not_reported()
    {
        // Found on StackExchange.Redis, compiled without System.IO.Pipelines: the outer loop reads with the token, but
        // through a type the compilation cannot resolve.
        var test = new CSharpAnalyzerVerifier<LoopIgnoresTokenAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Server
                {
                    private readonly CancellationTokenSource _lifetime = new();

                    async Task RunClientAsync({|CS0246:IDuplexPipe|} pipe, Client client)
                    {
                        while (!client.Closed)
                        {
                            var result = await pipe.Input.ReadAsync(client.Lifetime);
                            while (!client.Closed && client.TryReadRequest(out var request)) { await client.ReplyAsync(request); }
                        }
                    }
                }

                class Client
                {
                    public bool Closed;
                    public CancellationToken Lifetime;
                    public bool TryReadRequest(out int request) { request = 0; return false; }
                    public Task ReplyAsync(int request) => Task.CompletedTask;
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task A_loop_that_grows_or_drains_a_local_is_not_the_main_loop_of_its_thread() =>
        // Found on SuperSocket: the loop that builds a message before the real send loop of a Task.Run lambda.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(CancellationToken token)
                {
                    Task.Run(() =>
                    {
                        var builder = new StringBuilder();
                        while (builder.Length < 4096) { builder.Append(Guid.NewGuid().ToString("N")); }
                        var pending = new Queue<int>(new[] { 1, 2, 3 });
                        while (pending.Count > 0) { Consume(pending.Dequeue()); }
                    });
                }

                static void Consume(int item) { }
            }
            """);

    [Fact]
    public Task A_drain_that_only_awaits_ends_when_empty() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Dispatcher
            {
                private readonly ConcurrentQueue<string> _queue = new();
                async Task DrainAsync(CancellationToken token)
                {
                    while (_queue.TryDequeue(out var message))
                    {
                        await SendAsync(message);
                    }
                }

                async Task DrainBlockingAsync(CancellationToken token)
                {
                    {|#0:while|} (!_queue.IsEmpty)
                    {
                        await SendAsync("ping");
                    }
                }

                static Task SendAsync(string message) => Task.CompletedTask;
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("while", "awaits", "token"));

    // Fresh set 3 (tuning): a POP3 listing written line by line into a StreamWriter, flushed after the loop.
    [Fact]
    public Task A_bounded_loop_that_only_writes_into_a_buffered_writer_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class ListCommand
            {
                Task ListAsync(StreamWriter writer, List<byte[]> messages, CancellationToken cancellationToken)
                {
                    for (int i = 0; i < messages.Count; i++)
                    {
                        writer.Write($"{i + 1} {messages[i].Length}\r\n");
                    }

                    foreach (var message in messages)
                    {
                        writer.WriteLine(message.Length);
                    }

                    return writer.FlushAsync();
                }

                void Copy(Stream stream, List<byte[]> messages, CancellationToken cancellationToken)
                {
                    {|#0:for|} (int i = 0; i < messages.Count; i++)
                    {
                        stream.Write(messages[i], 0, messages[i].Length);
                    }
                }

                void Echo(StreamWriter writer, StreamReader reader, int n, CancellationToken cancellationToken)
                {
                    {|#1:for|} (int i = 0; i < n; i++)
                    {
                        writer.WriteLine(reader.ReadLine());
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithArguments("for", "does I/O", "cancellationToken"),
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(1).WithArguments("for", "does I/O", "cancellationToken"));

    // Fresh set 3 (tuning): a file system's directory listing turned into a list of entries.
    [Fact]
    public Task A_foreach_over_one_directory_listing_that_builds_a_list_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class FileSystem
            {
                Task<IReadOnlyList<string>> GetEntriesAsync(DirectoryInfo directory, CancellationToken cancellationToken)
                {
                    var result = new List<string>();
                    foreach (var info in directory.EnumerateFileSystemInfos())
                    {
                        if (info is DirectoryInfo)
                        {
                            result.Add(info.Name + "/");
                        }
                        else
                        {
                            result.Add(info.Name);
                        }
                    }

                    foreach (var path in Directory.GetFiles(directory.FullName))
                    {
                        result.Add(path);
                    }

                    return Task.FromResult<IReadOnlyList<string>>(result);
                }

                long TotalLength(string directory, CancellationToken cancellationToken)
                {
                    long total = 0;
                    {|#0:foreach|} (var path in Directory.EnumerateFiles(directory))
                    {
                        total += File.ReadAllBytes(path).Length;
                    }

                    return total;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "does I/O", "cancellationToken"));

    // Fresh set 4: a folder storage deleting the files of one directory listing, one by one. The look-alikes copy each
    // listed file into a stream (a wait on the stream) and delete while polling the network.
    [Fact]
    public Task A_finite_loop_whose_only_IO_is_local_file_operations_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class FolderStorage
            {
                Task<int> DeleteFilesAsync(string folder, string pattern, CancellationToken cancellation = default)
                {
                    int count = 0;
                    foreach (string file in Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories))
                    {
                        File.Delete(file);
                        count++;
                    }

                    foreach (var info in new DirectoryInfo(folder).GetFiles())
                    {
                        info.MoveTo(Path.Combine(folder, "old", info.Name));
                        File.SetAttributes(info.FullName, FileAttributes.Normal);
                    }

                    return Task.FromResult(count);
                }

                void Upload(string folder, Stream target, CancellationToken cancellation)
                {
                    {|#0:foreach|} (string file in Directory.EnumerateFiles(folder))
                    {
                        using var source = File.OpenRead(file);
                        source.CopyTo(target);
                        File.Delete(file);
                    }
                }

                void DeleteWhenAsked(string[] files, Socket socket, CancellationToken cancellation)
                {
                    {|#1:foreach|} (string file in files)
                    {
                        socket.Receive(new byte[1]);
                        File.Delete(file);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "does I/O", "cancellation"),
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "does I/O", "cancellation"));

    // Fresh set 6: local peer discovery joining its multicast group on each network interface, read once before the
    // loop. The look-alike also receives on the socket in the same walk.
    [Fact]
    public Task A_loop_over_network_interfaces_that_only_configures_the_socket_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.NetworkInformation;
            using System.Net.Sockets;
            using System.Threading;

            class Discovery
            {
                void Start(UdpClient client, IPAddress group, CancellationToken token)
                {
                    var nics = NetworkInterface.GetAllNetworkInterfaces();
                    foreach (var nic in nics)
                    {
                        if (nic.OperationalStatus != OperationalStatus.Up)
                            continue;

                        client.JoinMulticastGroup(group);
                        client.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 2);
                    }
                }

                void Probe(UdpClient client, IPAddress group, CancellationToken token)
                {
                    var nics = NetworkInterface.GetAllNetworkInterfaces();
                    {|#0:foreach|} (var nic in nics)
                    {
                        client.JoinMulticastGroup(group);
                        IPEndPoint from = null;
                        client.Receive(ref from);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "does I/O", "token"));

    // Fresh set 3 (tuning): a ContinueWith continuation formatting the result of the task it continues.
    [Fact]
    public Task Result_of_the_task_a_continuation_continues_does_not_block() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;

            class Report
            {
                void Print(Task<List<int>> mappings, Task<List<int>> other, int[] indices, CancellationTokenSource cts)
                {
                    var sb = new StringBuilder();
                    mappings.ContinueWith(task =>
                    {
                        foreach (var i in indices)
                        {
                            sb.AppendFormat("{0}", task.Result[i]);
                        }
                    });

                    mappings.ContinueWith(task =>
                    {
                        {|#0:foreach|} (var i in indices)
                        {
                            sb.AppendFormat("{0}", other.Result[i]);
                        }
                    });
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("foreach", "blocks", "cts.Token"));

    // Fresh set 5: a counting loop over tasks[i].Result after await Task.WhenAll(tasks).ConfigureAwait(false).
    [Fact]
    public Task Result_of_an_element_of_a_collection_awaited_with_WhenAll_does_not_block() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class Collector
            {
                async Task<List<int>> AllAsync(List<Task<int>> tasks, CancellationToken token)
                {
                    await Task.WhenAll(tasks).ConfigureAwait(false);
                    var results = new List<int>();
                    for (var i = 0; i < tasks.Count; i++)
                    {
                        results.Add(tasks[i].Result);
                    }

                    return results;
                }

                async Task<List<int>> OthersAsync(List<Task<int>> tasks, Task<int>[] others, CancellationToken token)
                {
                    await Task.WhenAll(tasks).ConfigureAwait(false);
                    var results = new List<int>();
                    {|#0:for|} (var i = 0; i < others.Length; i++)
                    {
                        results.Add(others[i].Result);
                    }

                    return results;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.LoopIgnoresToken).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("for", "blocks", "token"));
}
