using GracefulStop.Tests.Harness;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed partial class StopFlagTests
{
    // ---------------------------------------------------------------- analyzer: positives

    [Fact]
    public Task Instance_field_read_by_while_and_written_by_another_method_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Worker
            {
                private bool {|#0:_stop|};

                public void Run()
                {
                    while (!{|#1:_stop|})
                    {
                    }
                }

                public void Stop() => {|#2:_stop|} = true;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_stop", "Run", "Stop"));

    [Fact]
    public Task Message_explains_the_hoisting_consequence() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool {|#0:_stop|};

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => _stop = true;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(
                "'_stop' is read by the loop in 'Run' and written in 'Stop' without synchronization: the JIT may hoist the read out of the loop, which then never sees the write and never stops"));

    [Fact]
    public Task Static_field_read_by_for_condition_and_written_by_a_lambda_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;

            static class Program
            {
                static bool {|#0:s_stop|};

                static void Main()
                {
                    Console.CancelKeyPress += (sender, e) => {|#2:s_stop|} = true;
                    for (var i = 0; !{|#1:s_stop|}; i++)
                    {
                        Console.WriteLine(i);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("s_stop", "Main", "lambda in Main"));

    [Fact]
    public Task Do_while_condition_written_by_a_property_setter_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool {|#0:_stopRequested|};

                public bool StopRequested
                {
                    get => _stopRequested;
                    set => {|#2:_stopRequested|} = value;
                }

                public void Run()
                {
                    do
                    {
                        System.Threading.Thread.Sleep(10);
                    }
                    while (!{|#1:this._stopRequested|});
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_stopRequested", "Run", "StopRequested.set"));

    [Fact]
    public Task If_break_inside_an_endless_loop_written_by_an_event_handler_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;

            class Worker
            {
                private bool {|#0:_cancelled|};

                public Worker(Button button) => button.Click += OnCancel;

                private void OnCancel(object? sender, EventArgs e)
                {
                    {|#2:_cancelled|} = true;
                }

                public void Run()
                {
                    while (true)
                    {
                        if ({|#1:_cancelled|})
                        {
                            break;
                        }

                        Work();
                    }
                }

                private static void Work() { }
            }

            class Button
            {
                public event EventHandler? Click;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_cancelled", "Run", "OnCancel"));

    [Fact]
    public Task If_not_running_return_inside_for_loop_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool {|#0:_running|} = true;

                public void Run()
                {
                    for (;;)
                    {
                        if (!{|#1:_running|}) return;
                    }
                }

                public void Stop()
                {
                    {|#2:_running|} = false;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_running", "Run", "Stop"));

    [Fact]
    public Task Captured_local_read_by_thread_lambda_and_written_by_the_method_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    var {|#0:stop|} = false;
                    var worker = new Thread(() =>
                    {
                        while (!{|#1:stop|})
                        {
                        }
                    });
                    worker.Start();
                    Console.ReadLine();
                    {|#2:stop|} = true;
                    worker.Join();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("stop", "lambda in Main", "Main"));

    [Fact]
    public Task Captured_local_written_by_a_local_function_used_as_handler_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;

            static class Program
            {
                static void Main()
                {
                    bool {|#0:done|} = false;
                    Console.CancelKeyPress += OnCancel;
                    while (!{|#1:done|})
                    {
                        Console.WriteLine("working");
                    }

                    void OnCancel(object? sender, ConsoleCancelEventArgs e)
                    {
                        e.Cancel = true;
                        {|#2:done|} = true;
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("done", "Main", "OnCancel"));

    [Fact]
    public async Task Partial_class_across_documents_is_reported_once_with_locations_in_both()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/Worker.cs", """
            partial class Worker
            {
                private bool {|#0:_stop|};

                public void Run()
                {
                    while (!{|#1:_stop|}) { }
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Worker.Stop.cs", """
            partial class Worker
            {
                public void Stop() => {|#2:_stop|} = true;
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("_stop", "Run", "Stop"));
        await test.RunAsync();
    }

    [Fact]
    public Task Several_loop_reads_and_writes_are_all_additional_locations() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool {|#0:_stop|};

                public void Produce()
                {
                    while (!{|#1:_stop|}) { }
                }

                public void Consume()
                {
                    while (true)
                    {
                        if ({|#2:_stop|}) break;
                    }
                }

                public void Stop() => {|#3:_stop|} = true;

                public void Restart() => {|#4:_stop|} = false;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4)
                .WithArguments("_stop", "Produce", "Stop"));

    [Fact]
    public async Task Public_field_written_only_from_another_type_is_reported_at_compilation_end()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;

                class Worker
                {
                    public bool {|#0:Stop|};

                    public void Run()
                    {
                        while (!{|#1:Stop|}) { }
                    }
                }

                static class Program
                {
                    static void Main()
                    {
                        var worker = new Worker();
                        var thread = new Thread(worker.Run);
                        thread.Start();
                        {|#2:worker.Stop|} = true;
                        thread.Join();
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlagWrittenOutsideType).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("Stop", "Run", "Program.Main"));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- analyzer: negatives

    [Fact]
    public Task Volatile_field_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private volatile bool _stop;

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => _stop = true;
            }
            """);

    [Fact]
    public Task Flag_read_under_lock_on_every_access_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private readonly object _gate = new();
                private bool _stop;

                public void Run()
                {
                    while (true)
                    {
                        lock (_gate)
                        {
                            if (_stop) break;
                        }
                    }
                }

                public void Stop()
                {
                    lock (_gate)
                    {
                        _stop = true;
                    }
                }
            }
            """);

    [Fact]
    public Task Volatile_read_and_write_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Worker
            {
                private bool _stop;

                public void Run()
                {
                    while (!Volatile.Read(ref _stop)) { }
                }

                public void Stop() => Volatile.Write(ref _stop, true);
            }
            """);

    [Fact]
    public async Task Interlocked_access_is_not_reported()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;

                class Worker
                {
                    private bool _stop;

                    public void Run()
                    {
                        while (!Interlocked.CompareExchange(ref _stop, false, false)) { }
                    }

                    public void Stop() => Interlocked.Exchange(ref _stop, true);
                }
                """,
        };
        test.UseCurrentRuntime();
        await test.RunAsync();
    }

    [Fact]
    public Task Flag_read_and_written_only_in_one_method_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Parser
            {
                private bool _done;

                public void Parse(string text)
                {
                    var i = 0;
                    while (!_done)
                    {
                        if (++i >= text.Length) _done = true;
                    }
                }
            }
            """);

    [Fact]
    public Task Local_written_only_in_its_own_method_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;

            static class Program
            {
                static void Main()
                {
                    var done = false;
                    Action log = () => Console.WriteLine(done);
                    while (!done)
                    {
                        done = Console.ReadLine() == "q";
                        log();
                    }
                }
            }
            """);

    [Fact]
    public Task Readonly_field_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private readonly bool _stop;

                public Worker(bool stop) => _stop = stop;

                public void Run()
                {
                    while (!_stop) { }
                }
            }
            """);

    [Fact]
    public Task Flag_never_read_in_a_loop_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool _stop;

                public void Run()
                {
                    if (_stop) return;
                    for (var i = 0; i < 10; i++)
                    {
                        System.Console.WriteLine(_stop);
                    }
                }

                public void Stop() => _stop = true;
            }
            """);

    [Fact]
    public Task Int_state_field_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private int _state;

                public void Run()
                {
                    while (_state == 0) { }
                }

                public void Stop() => _state = 1;
            }
            """);

    [Fact]
    public Task Flag_declared_by_the_type_name_or_through_an_alias_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using Flag = System.Boolean;

            class Worker
            {
                private System.Boolean {|#0:_stop|};

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => _stop = true;
            }

            class Pump
            {
                private Flag {|#1:_halt|};

                public void Run()
                {
                    while (!_halt) { }
                }

                public void Halt() => _halt = true;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_stop", "Run", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_halt", "Run", "Halt"));

    [Fact]
    public Task Flag_written_by_a_method_the_loop_calls_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Lexer
            {
                private readonly string _text;
                private int _position;
                private bool _atEnd;

                public Lexer(string text) => _text = text;

                public int CountTokens()
                {
                    var count = 0;
                    while (!_atEnd)
                    {
                        Next();
                        count++;
                    }

                    return count;
                }

                private void Next() => Advance();

                private void Advance()
                {
                    if (++_position >= _text.Length) _atEnd = true;
                }
            }
            """);

    [Fact]
    public Task Flag_written_by_a_lambda_that_runs_inside_the_loop_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;

            static class Search
            {
                static void Find(List<List<int>> pages)
                {
                    var found = false;
                    var page = 0;
                    while (!found && page < pages.Count)
                    {
                        pages[page++].ForEach(item =>
                        {
                            if (item == 42) found = true;
                        });
                    }
                }
            }
            """);

    [Fact]
    public Task Flag_written_only_in_the_constructor_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool _enabled;

                public Worker(bool enabled) { _enabled = enabled; }

                public void Run()
                {
                    while (_enabled) { }
                }
            }
            """);

    [Fact]
    public Task Thread_static_field_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;

            class Worker
            {
                [ThreadStatic]
                private static bool t_stop;

                public void Run()
                {
                    while (!t_stop) { }
                }

                public void Stop() => t_stop = true;
            }
            """);

    [Fact]
    public Task Break_that_leaves_a_switch_is_not_a_loop_exit() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private bool _skip;

                public void Run(int mode)
                {
                    while (true)
                    {
                        switch (mode)
                        {
                            case 1:
                                if (_skip) break;
                                System.Console.WriteLine();
                                break;
                        }

                        System.Threading.Thread.Sleep(100);
                    }
                }

                public void Skip() => _skip = true;
            }
            """);

    [Fact]
    public Task Non_private_field_never_written_in_the_compilation_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            public class Worker
            {
                public bool Stop;

                public void Run()
                {
                    while (!Stop) { }
                }
            }
            """);

    [Fact]
    public Task State_machine_flag_cleared_in_the_loop_body_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Req
            {
                private bool _messageBegins = true;

                public bool Receive(int[] parts)
                {
                    var i = 0;
                    while (_messageBegins)
                    {
                        if (parts[i++] == 0)
                        {
                            continue;
                        }

                        _messageBegins = false;
                    }

                    return true;
                }

                public void Send() => _messageBegins = true;
            }
            """);

    [Fact]
    public Task State_machine_flag_set_by_a_method_the_loop_calls_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class ChunkStream
            {
                private bool _sawCr;

                public void Write(byte[] buffer)
                {
                    var offset = 0;
                    SetChunkSize(buffer, ref offset);
                    SeekCrLf(buffer, ref offset);
                }

                private void SetChunkSize(byte[] buffer, ref int offset)
                {
                    while (offset < buffer.Length && !_sawCr)
                    {
                        Step(buffer[offset++]);
                    }
                }

                private void Step(byte b)
                {
                    if (b == 13) _sawCr = true;
                }

                private void SeekCrLf(byte[] buffer, ref int offset)
                {
                    if (!_sawCr) _sawCr = buffer[offset++] == 13;
                    _sawCr = false;
                }
            }
            """);

    [Fact]
    public Task State_machine_flag_set_by_a_protected_step_that_an_abstract_callee_uses_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            abstract class EncoderBase
            {
                private bool _newMessage;

                public int Encode(int size)
                {
                    var pos = 0;
                    while (pos < size)
                    {
                        if (_newMessage)
                        {
                            break;
                        }

                        pos++;
                        Next();
                    }

                    return pos;
                }

                protected abstract void Next();

                protected void NextStep(bool newMessage) => _newMessage = newMessage;
            }

            sealed class Encoder : EncoderBase
            {
                protected override void Next() => NextStep(true);
            }
            """);

    [Fact]
    public Task Worker_that_also_clears_the_flag_itself_after_the_loop_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Worker
            {
                private bool {|#0:_running|};

                public void Start()
                {
                    _running = true; // ordered by the start that follows
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while ({|#1:_running|})
                    {
                        Thread.Sleep(10);
                    }

                    _running = false;
                }

                public void Stop() => {|#2:_running|} = false;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_running", "Run", "Stop"));

    [Fact]
    public async Task Invalid_code_does_not_crash_or_report()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test
        {
            TestCode = """
                class Worker
                {
                    private bool _stop;

                    public void Run()
                    {
                        while (!_stop {|CS1026:{|} }
                    }

                    public void Stop() => _stop = {|CS1525:;|}
                }
                """,
        };
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fixes

    private static Verify.Test FixTest(string source, string fixedSource, string key, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None) => new()
    {
        TestCode = source,
        FixedCode = fixedSource,
        CodeActionEquivalenceKey = key,
        CodeFixTestBehaviors = behaviors,
    };

    [Fact]
    public Task Token_source_fix_rewrites_declaration_reads_cancel_and_reset() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                // Set by Stop, read by the worker thread.
                private bool [|_stop|];

                public void Start()
                {
                    _stop = false;
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (!_stop)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Stop() => _stop = true;
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                // Set by Stop, read by the worker thread.
                private CancellationTokenSource _stopSource = new CancellationTokenSource();

                public void Start()
                {
                    Interlocked.Exchange(ref _stopSource, new CancellationTokenSource()).Dispose();
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (!_stopSource.IsCancellationRequested)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Stop() => _stopSource.Cancel();
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    [Fact]
    public Task Token_source_fix_inverts_reads_of_a_running_flag() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                private static bool [|s_running|] = true;

                public static void Run()
                {
                    while (s_running)
                    {
                        Thread.Sleep(10);
                    }
                }

                public static bool IsStopped => !s_running;

                public static void Stop()
                {
                    s_running = false;
                }
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private static readonly CancellationTokenSource s_runningSource = new CancellationTokenSource();

                public static void Run()
                {
                    while (!s_runningSource.IsCancellationRequested)
                    {
                        Thread.Sleep(10);
                    }
                }

                public static bool IsStopped => s_runningSource.IsCancellationRequested;

                public static void Stop()
                {
                    s_runningSource.Cancel();
                }
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    [Fact]
    public Task Token_source_fix_starts_cancelled_when_a_running_flag_starts_false() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                private bool [|_running|];

                public void Start()
                {
                    _running = true;
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (_running) { }
                }

                public void Stop() => _running = false;
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private CancellationTokenSource _runningSource = CancellationTokenSource.CreateLinkedTokenSource(new CancellationToken(canceled: true));

                public void Start()
                {
                    Interlocked.Exchange(ref _runningSource, new CancellationTokenSource()).Dispose();
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (!_runningSource.IsCancellationRequested) { }
                }

                public void Stop() => _runningSource.Cancel();
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    [Fact]
    public Task Event_fix_uses_set_is_set_reset_and_turns_a_sleep_poll_into_a_wait() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                private bool [|_done|];

                public void Work()
                {
                    _done = false;
                    new Thread(() =>
                    {
                        Thread.Sleep(100);
                        _done = true;
                    }).Start();
                }

                public void WaitForWork()
                {
                    while (!_done)
                        Thread.Sleep(50);
                }
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private readonly ManualResetEventSlim _doneEvent = new ManualResetEventSlim();

                public void Work()
                {
                    _doneEvent.Reset();
                    new Thread(() =>
                    {
                        Thread.Sleep(100);
                        _doneEvent.Set();
                    }).Start();
                }

                public void WaitForWork()
                {
                    _doneEvent.Wait();
                }
            }
            """,
            StopFlagCodeFix.EventKey).RunAsync();

    [Fact]
    public Task Event_fix_starts_set_for_a_flag_that_starts_true() =>
        FixTest(
            """
            class Worker
            {
                private bool [|_running|] = true;

                public void Run()
                {
                    while (_running) { }
                }

                public void Stop() => _running = false;
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private readonly ManualResetEventSlim _runningEvent = new ManualResetEventSlim(initialState: true);

                public void Run()
                {
                    while (_runningEvent.IsSet) { }
                }

                public void Stop() => _runningEvent.Reset();
            }
            """,
            StopFlagCodeFix.EventKey).RunAsync();

    [Fact]
    public Task Volatile_fix_adds_the_modifier_and_keeps_comments() =>
        FixTest(
            """
            class Worker
            {
                /// <summary>Set to stop.</summary>
                bool [|_stop|]; // the flag

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => _stop = true;
            }
            """,
            """
            class Worker
            {
                /// <summary>Set to stop.</summary>
                volatile bool _stop; // the flag

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => _stop = true;
            }
            """,
            StopFlagCodeFix.VolatileKey).RunAsync();

    [Fact]
    public Task Token_source_fix_rewrites_a_captured_local() =>
        FixTest(
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    var [|stop|] = false;
                    var worker = new Thread(() =>
                    {
                        while (!stop) { }
                    });
                    worker.Start();
                    Console.ReadLine();
                    stop = true;
                    worker.Join();
                }
            }
            """,
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    var stopSource = new CancellationTokenSource();
                    var worker = new Thread(() =>
                    {
                        while (!stopSource.IsCancellationRequested) { }
                    });
                    worker.Start();
                    Console.ReadLine();
                    stopSource.Cancel();
                    worker.Join();
                }
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    [Fact]
    public Task Volatile_is_not_offered_for_a_captured_local() =>
        FixTest(
            """
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    bool [|stop|] = false;
                    new Thread(() => { while (!stop) { } }).Start();
                    stop = true;
                }
            }
            """,
            """
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    bool [|stop|] = false;
                    new Thread(() => { while (!stop) { } }).Start();
                    stop = true;
                }
            }
            """,
            StopFlagCodeFix.VolatileKey).RunAsync();

    [Fact]
    public async Task Token_source_fix_rewrites_every_document_of_a_partial_class()
    {
        var test = new CSharpCodeFixVerifier<StopFlagAnalyzer, StopFlagCodeFix>.Test { CodeActionEquivalenceKey = StopFlagCodeFix.TokenSourceKey };
        test.TestState.Sources.Add(("/0/Worker.cs", """
            using System.Threading;

            partial class Worker
            {
                private bool [|_stop|];

                public void Run()
                {
                    while (!_stop) { }
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Worker.Stop.cs", """
            partial class Worker
            {
                public void Stop()
                {
                    _stop = true;
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Worker.cs", """
            using System.Threading;

            partial class Worker
            {
                private readonly CancellationTokenSource _stopSource = new CancellationTokenSource();

                public void Run()
                {
                    while (!_stopSource.IsCancellationRequested) { }
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Worker.Stop.cs", """
            partial class Worker
            {
                public void Stop()
                {
                    _stopSource.Cancel();
                }
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Event_fix_rewrites_every_document_of_a_partial_class_and_adds_the_using_where_types_are_named()
    {
        var test = new CSharpCodeFixVerifier<StopFlagAnalyzer, StopFlagCodeFix>.Test { CodeActionEquivalenceKey = StopFlagCodeFix.EventKey };
        test.TestState.Sources.Add(("/0/A.cs", """
            using System;

            partial class Worker
            {
                public void Run()
                {
                    while (!_stop) { Console.WriteLine(); }
                }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            partial class Worker
            {
                private bool [|_stop|];

                public void Stop() => this._stop = true;
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using System;

            partial class Worker
            {
                public void Run()
                {
                    while (!_stopEvent.IsSet) { Console.WriteLine(); }
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            partial class Worker
            {
                private readonly ManualResetEventSlim _stopEvent = new ManualResetEventSlim();

                public void Stop() => this._stopEvent.Set();
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public Task New_name_does_not_collide_with_existing_members() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                private bool [|_stop|];
                private readonly object _stopSource = new();

                public void Run()
                {
                    int _stopSource2 = 0;
                    while (!_stop) { _stopSource2++; }
                }

                public void Stop() => _stop = true;
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private readonly CancellationTokenSource _stopSource3 = new CancellationTokenSource();
                private readonly object _stopSource = new();

                public void Run()
                {
                    int _stopSource2 = 0;
                    while (!_stopSource3.IsCancellationRequested) { _stopSource2++; }
                }

                public void Stop() => _stopSource3.Cancel();
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    [Fact]
    public Task Flag_written_with_a_non_constant_value_gets_only_the_volatile_fix()
    {
        const string source = """
            class Worker
            {
                private bool [|_stop|];

                public bool StopRequested { set => _stop = value; }

                public void Run()
                {
                    while (!_stop) { }
                }
            }
            """;
        // Volatile is the site's preferred action: it has the preferred key, as at every site of the rule.
        return Task.WhenAll(
            FixTest(source, source.Replace("private bool [|_stop|]", "private volatile bool _stop"), StopFlagCodeFix.PreferredKey).RunAsync(),
            FixTest(source, source, StopFlagCodeFix.EventKey).RunAsync(),
            FixTest(source, source, StopFlagCodeFix.VolatileKey).RunAsync());
    }

    [Fact]
    public Task Event_and_volatile_are_not_offered_where_the_polling_loop_sleeps_long()
    {
        // Neither wakes the sleep after the work (a loop that only sleeps becomes a wait on the event, which does wake):
        // Stop() would wait up to four seconds. The token source is offered (its token then
        // wakes the sleep through GS0005's fix).
        const string source = """
            using System.Threading;

            class Worker
            {
                private bool [|_stop|];

                public void Stop() => _stop = true;

                public void Run()
                {
                    while (!_stop)
                    {
                        Work();
                        Thread.Sleep(4000);
                    }
                }

                private void Work() { }
            }
            """;
        return Task.WhenAll(
            FixTest(source, source, StopFlagCodeFix.EventKey).RunAsync(),
            FixTest(source, source, StopFlagCodeFix.VolatileKey).RunAsync());
    }

    [Fact]
    public Task Event_and_volatile_are_offered_where_the_polling_loop_waits_briefly() =>
        FixTest(
            """
            using System.Threading;

            class Worker
            {
                private bool [|_stop|];

                public void Stop() => _stop = true;

                public void Run()
                {
                    while (!_stop)
                    {
                        Thread.Sleep(50);
                    }
                }
            }
            """,
            """
            using System.Threading;

            class Worker
            {
                private volatile bool _stop;

                public void Stop() => _stop = true;

                public void Run()
                {
                    while (!_stop)
                    {
                        Thread.Sleep(50);
                    }
                }
            }
            """,
            StopFlagCodeFix.VolatileKey).RunAsync();

    [Fact]
    public Task Flag_passed_by_ref_gets_no_fix()
    {
        const string source = """
            class Worker
            {
                private bool [|_stop|];

                public void Run()
                {
                    while (!_stop) { }
                }

                public void Stop() => Set(ref _stop);

                private static void Set(ref bool flag) => flag = true;

                public void Reset() => _stop = false;
            }
            """;
        return Task.WhenAll(
            FixTest(source, source, StopFlagCodeFix.TokenSourceKey).RunAsync(),
            FixTest(source, source, StopFlagCodeFix.EventKey).RunAsync(),
            FixTest(source, source, StopFlagCodeFix.VolatileKey).RunAsync());
    }

    [Fact]
    public async Task Field_written_from_another_type_gets_only_the_volatile_fix()
    {
        const string source = """
            using System.Threading;

            class Worker
            {
                public bool {|#0:Stop|};

                public void Run()
                {
                    while (!Stop) { }
                }
            }

            static class Program
            {
                static void Main()
                {
                    var worker = new Worker();
                    new Thread(worker.Run).Start();
                    worker.Stop = true;
                }
            }
            """;
        var diagnostic = Verify.Diagnostic(Descriptors.StopFlagWrittenOutsideType).WithLocation(0).WithArguments("Stop", "Run", "Program.Main").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
        foreach (var key in new[] { StopFlagCodeFix.VolatileKey, StopFlagCodeFix.EventKey })
        {
            var test = FixTest(source, source, key);
            test.ExpectedDiagnostics.Add(diagnostic);
            await test.RunAsync();
        }

        // Volatile is the site's preferred action: it has the preferred key, as at every site of the rule.
        var fix = FixTest(source, source.Replace("public bool {|#0:Stop|}", "public volatile bool Stop"), StopFlagCodeFix.PreferredKey);
        fix.ExpectedDiagnostics.Add(diagnostic);
        await fix.RunAsync();
    }

    [Fact]
    public Task Fix_all_of_interacting_flags_applies_each_sites_preferred_fix_volatile_where_no_token_source_can_be_written() =>
        FixTest(
            """
            using System.Threading;

            class Pipeline
            {
                private bool [|_stop|], _unused;
                private bool [|_paused|];

                public void Run()
                {
                    while (!_stop)
                    {
                        while (_paused) Thread.Sleep(1);
                        Thread.Sleep(1);
                    }
                }

                public void Pause() => _paused = true;

                public void Resume() => _paused = false;

                public void Stop()
                {
                    _stop = true;
                }
            }
            """,
            """
            using System.Threading;

            class Pipeline
            {
                private volatile bool _stop, _unused;
                private CancellationTokenSource _pausedSource = CancellationTokenSource.CreateLinkedTokenSource(new CancellationToken(canceled: true));

                public void Run()
                {
                    while (!_stop)
                    {
                        while (!_pausedSource.IsCancellationRequested) Thread.Sleep(1);
                        Thread.Sleep(1);
                    }
                }

                public void Pause() => Interlocked.Exchange(ref _pausedSource, new CancellationTokenSource()).Dispose();

                public void Resume() => _pausedSource.Cancel();

                public void Stop()
                {
                    _stop = true;
                }
            }
            """,
            StopFlagCodeFix.PreferredKey).RunAsync();

    [Fact]
    public Task Fix_all_token_sources_for_two_flags_of_one_type() =>
        FixTest(
            """
            using System.Threading;

            class Pipeline
            {
                private bool [|_stopReading|];
                private bool [|_stopWriting|];

                public void Read()
                {
                    while (!_stopReading) { }
                }

                public void Write()
                {
                    while (true)
                    {
                        if (_stopWriting) return;
                    }
                }

                public void Stop()
                {
                    _stopReading = true;
                    _stopWriting = true;
                }
            }
            """,
            """
            using System.Threading;

            class Pipeline
            {
                private readonly CancellationTokenSource _stopReadingSource = new CancellationTokenSource();
                private readonly CancellationTokenSource _stopWritingSource = new CancellationTokenSource();

                public void Read()
                {
                    while (!_stopReadingSource.IsCancellationRequested) { }
                }

                public void Write()
                {
                    while (true)
                    {
                        if (_stopWritingSource.IsCancellationRequested) return;
                    }
                }

                public void Stop()
                {
                    _stopReadingSource.Cancel();
                    _stopWritingSource.Cancel();
                }
            }
            """,
            StopFlagCodeFix.TokenSourceKey).RunAsync();

    // ---------------------------------------------------------------- the fixed program runs and stops

    private const string SpinningWorker = """
        using System;
        using System.Threading;

        public class Worker
        {
            private bool _stop;
            private long _iterations;

            public long Iterations => _iterations;

            public void Run()
            {
                while (!_stop)
                {
                    _iterations++;
                }
            }

            public void Stop() => _stop = true;
        }

        public static class Program
        {
            public static bool StartSignalAndJoin()
            {
                var worker = new Worker();
                var thread = new Thread(worker.Run) { IsBackground = true };
                thread.Start();
                Thread.Sleep(200);
                worker.Stop();
                return thread.Join(TimeSpan.FromSeconds(10));
            }
        }
        """;

    [Theory]
    [InlineData(StopFlagCodeFix.TokenSourceKey, "_stopSource.IsCancellationRequested")]
    [InlineData(StopFlagCodeFix.EventKey, "_stopEvent.IsSet")]
    [InlineData(StopFlagCodeFix.VolatileKey, "private volatile bool _stop;")]
    public async Task Fixed_program_compiled_with_optimizations_stops_its_thread(string key, string expectedFragment)
    {
        var fixedCode = await ApplyFixAsync(SpinningWorker, key);
        Assert.Contains(expectedFragment, fixedCode, StringComparison.Ordinal);

        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "StopFlagFixed" + Guid.NewGuid().ToString("N"),
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(fixedCode) },
            TestReferences.Net80.References,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(
                Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: Microsoft.CodeAnalysis.OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));

        var context = new System.Runtime.Loader.AssemblyLoadContext("GS0007 fixed program", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var run = assembly.GetType("Program", throwOnError: true)!.GetMethod("StartSignalAndJoin")!;
            var stopped = (bool)run.Invoke(null, null)!;
            Assert.True(stopped, "The worker thread did not stop within 10 s after the signal.");
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Applies the action with <paramref name="key"/> to the first GS0007 diagnostic and returns the new text.</summary>
    private static async Task<string> ApplyFixAsync(string source, string key)
    {
        var analyzers = System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new StopFlagAnalyzer());
        var project = TestProjectBuilder.Create(
            new TestProjectOptions(TestReferences.Net80, Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest, Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, analyzers, System.Collections.Immutable.ImmutableArray<string>.Empty),
            new[] { ("/0/Test0.cs", source) },
            Array.Empty<(string, string)>());
        var diagnostic = Assert.Single(await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, analyzers, CancellationToken.None));
        var document = project.GetDocument(diagnostic.Location.SourceTree)!;
        var actions = new List<Microsoft.CodeAnalysis.CodeActions.CodeAction>();
        await new StopFlagCodeFix().RegisterCodeFixesAsync(new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        var action = Assert.Single(actions, a => a.EquivalenceKey == key);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var solution = operations.OfType<Microsoft.CodeAnalysis.CodeActions.ApplyChangesOperation>().Single().ChangedSolution;
        return (await solution.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    // ---------------------------------------------------------------- the showcase sample

    [Fact]
    public async Task Showcase_sample_compiles_with_implicit_usings_and_reports_its_three_flags()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var sample = await File.ReadAllTextAsync(Path.Combine(directory!.FullName, "samples", "Showcase", "StopFlagSample.cs"));
        const string implicitUsings = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;
            """;
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test { TestBehaviors = TestBehaviors.SkipGeneratedCodeCheck };
        test.TestState.MarkupHandling = MarkupMode.None;
        test.TestState.Sources.Add(("/0/GlobalUsings.cs", implicitUsings));
        test.TestState.Sources.Add(("/0/StopFlagSample.cs", sample));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithSpan("/0/StopFlagSample.cs", 10, 18, 10, 23).WithArguments("_stop", "Run", "Stop"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithSpan("/0/StopFlagSample.cs", 41, 25, 41, 34).WithArguments("s_running", "Beat", "Shutdown"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithSpan("/0/StopFlagSample.cs", 60, 13, 60, 17).WithArguments("done", "lambda in RunFor", "RunFor"));
        await test.RunAsync();
    }

    [Fact]
    public async Task An_auto_property_flag_is_reported_at_the_property_and_gets_no_fix()
    {
        const string source = """
            using System.Threading;

            class Listener
            {
                internal bool {|#0:QueueStop|} { get; set; }

                internal bool Computed { get => _computed; set => _computed = value; }
                private volatile bool _computed;

                public bool ReadOnly { get; } = false;

                public bool IsStarted { get; private set; }

                public void Start() => new Thread(Run).Start();

                private void Run()
                {
                    while (!{|#1:QueueStop|})
                    {
                        Thread.Sleep(10);
                    }

                    while (!Computed) { Thread.Sleep(10); }
                    while (!ReadOnly) { Thread.Sleep(10); }
                    while (IsStarted) { Thread.Sleep(10); }
                }

                public void Stop()
                {
                    {|#2:QueueStop|} = true;
                    Computed = true;
                    IsStarted = false;
                }
            }
            """;
        var diagnostic = Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("QueueStop", "Run", "Stop");
        await Verify.VerifyAnalyzerAsync(source, diagnostic);
        var fix = FixTest(source, source, StopFlagCodeFix.PreferredKey);
        fix.ExpectedDiagnostics.Add(diagnostic);
        await fix.RunAsync();
    }

    /// <summary>
    /// Fresh set 3, Terminals' Server: a public-get auto-property with a private setter that the type sets just before
    /// starting the work polling it is that work's run flag. Look-alike: NetCoreServer's IsConnected, observed state
    /// nobody sets before a start, and a property anybody can set.
    /// </summary>
    [Fact]
    public Task Public_run_flag_with_a_private_setter_set_before_its_work_starts_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Server
            {
                public bool {|#0:ServerOnline|} { get; private set; }

                public void Start()
                {
                    ServerOnline = true;
                    ThreadPool.QueueUserWorkItem(_ => Serve());
                }

                private void Serve()
                {
                    while ({|#1:ServerOnline|})
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Stop() => {|#2:ServerOnline|} = false;
            }

            class Client
            {
                public bool IsConnected { get; private set; }

                public bool Verbose { get; set; }

                public void Connect() => IsConnected = true;

                public void Disconnect() => ThreadPool.QueueUserWorkItem(_ => IsConnected = false);

                public void Reconnect()
                {
                    Disconnect();
                    while (IsConnected)
                    {
                        Thread.Yield();
                    }

                    Connect();
                }

                public void Start()
                {
                    Verbose = true;
                    new Thread(Log).Start();
                }

                private void Log()
                {
                    while (Verbose)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Quiet() => Verbose = false;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("ServerOnline", "Serve", "Stop"));
}
