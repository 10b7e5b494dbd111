using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.Tests.Verification;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Captured locals are found from the loops that poll them: every loop shape and statement nesting.</summary>
public sealed partial class StopFlagTests
{
    [Fact]
    public Task Captured_local_polled_by_several_loops_is_reported_once_with_every_loop_read() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    var {|#0:stop|} = false;
                    var worker = new Thread(() =>
                    {
                        while (!{|#1:stop|}) { }
                        for (; !{|#2:stop|};) { }
                        do
                        {
                            while (true)
                            {
                                if ({|#3:stop|}) break;
                            }
                        }
                        while (!{|#4:stop|});
                    });
                    worker.Start();
                    {|#5:stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag)
                .WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithLocation(5)
                .WithArguments("stop", "lambda in Main", "Main"));

    [Fact]
    public Task Captured_locals_polled_from_nested_statements_are_reported_and_polls_of_other_loops_are_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            static class Program
            {
                static void Main(int[] items)
                {
                    var {|#0:inSwitch|} = false;
                    var {|#1:inTry|} = false;
                    var {|#2:inCatch|} = false;
                    var {|#3:inUsing|} = false;
                    var {|#4:labeled|} = false;
                    var {|#5:elseIf|} = false;
                    var {|#6:inChecked|} = false;
                    var {|#7:nested|} = false;
                    var underLock = false;
                    var inForeach = false;
                    var inBreakOfSwitch = false;
                    var notAnExit = false;
                    var gate = new object();
                    new Thread(() =>
                    {
                        var n = 0;
                        while (true)
                        {
                            switch (n)
                            {
                                case 1:
                                    if ({|#10:inSwitch|}) return;
                                    if (inBreakOfSwitch) break;
                                    break;
                            }

                            try
                            {
                                if ({|#11:inTry|}) break;
                            }
                            catch (InvalidOperationException)
                            {
                                if ({|#12:inCatch|}) break;
                            }

                            using (new MemoryStream())
                            {
                                if ({|#13:inUsing|}) break;
                            }

                        next:
                            if ({|#14:labeled|}) break;
                            if (n == 1) { }
                            else if (n == 2) { }
                            else if ({|#15:elseIf|}) break;

                            checked
                            {
                                if ({|#16:inChecked|}) { n++; break; }
                            }

                            if (n > 0)
                            {
                                if (n > 10 || {|#17:nested|}) return;
                            }

                            lock (gate)
                            {
                                if (underLock) break;
                            }

                            foreach (var item in items)
                            {
                                if (inForeach) break;
                            }

                            if (notAnExit) { n++; }
                            n++;
                            if (n < 5) goto next;
                        }
                    }).Start();
                    {|#20:inSwitch|} = true;
                    {|#21:inTry|} = true;
                    {|#22:inCatch|} = true;
                    {|#23:inUsing|} = true;
                    {|#24:labeled|} = true;
                    {|#25:elseIf|} = true;
                    {|#26:inChecked|} = true;
                    {|#27:nested|} = true;
                    underLock = true;
                    inForeach = true;
                    inBreakOfSwitch = true;
                    notAnExit = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(10).WithLocation(20).WithArguments("inSwitch", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(1).WithLocation(11).WithLocation(21).WithArguments("inTry", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(2).WithLocation(12).WithLocation(22).WithArguments("inCatch", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(13).WithLocation(23).WithArguments("inUsing", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(4).WithLocation(14).WithLocation(24).WithArguments("labeled", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(5).WithLocation(15).WithLocation(25).WithArguments("elseIf", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(6).WithLocation(16).WithLocation(26).WithArguments("inChecked", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(7).WithLocation(17).WithLocation(27).WithArguments("nested", "lambda in Main", "Main"));

    [Fact]
    public Task Captured_local_polled_inside_a_fixed_statement_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            static unsafe class Program
            {
                static void Main(int[] items)
                {
                    var {|#0:stop|} = false;
                    new Thread(() =>
                    {
                        while (true)
                        {
                            fixed (int* p = items)
                            {
                                if ({|#1:stop|}) break;
                            }
                        }
                    }).Start();
                    {|#2:stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("stop", "lambda in Main", "Main"));

    // A type's flags are analysed over its members and its nested types' members (issue 18's "a nested worker class
    // polling its owner's field"): these two were pinned as a known gap before the flags moved onto the stop model.
    [Fact]
    public Task Field_polled_by_the_type_and_written_by_a_nested_type_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private static bool {|#0:s_stop|};

                public void Run()
                {
                    while (!{|#1:s_stop|}) { }
                }

                private sealed class Stopper
                {
                    public void Stop() => {|#2:s_stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("s_stop", "Run", "Stop"));

    [Fact]
    public Task Field_polled_only_by_a_nested_worker_class_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private static bool {|#0:s_stop|};

                public void Stop() => {|#2:s_stop|} = true;

                private sealed class Loop
                {
                    public void Run()
                    {
                        while (true)
                        {
                            if ({|#1:s_stop|}) return;
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("s_stop", "Run", "Stop"));

    [Fact]
    public Task Nested_worker_polling_its_owners_field_through_a_reference_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Server
            {
                private bool {|#0:_stopping|};

                public void Start() => new Thread(new Worker(this).Run).Start();

                public void Stop() => {|#2:_stopping|} = true;

                private sealed class Worker
                {
                    private readonly Server _owner;

                    public Worker(Server owner) => _owner = owner;

                    public void Run()
                    {
                        while (!{|#1:_owner._stopping|}) { Thread.Sleep(10); }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_stopping", "Run", "Stop"));

    [Fact]
    public Task Nested_worker_that_writes_its_owners_field_in_its_own_loop_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Server
            {
                private bool _pending;

                private sealed class Worker
                {
                    private readonly Server _owner;

                    public Worker(Server owner) => _owner = owner;

                    public void Run()
                    {
                        while (_owner._pending)
                        {
                            _owner._pending = false;
                        }
                    }
                }
            }
            """);

    // Fresh set 2 recall (sipsorcery RTSPClient): the loop calls the public Close() on a timeout, and Close() is also how
    // other threads stop it; the signal Close() sends is one only another loop waits on.
    [Fact]
    public Task Flag_written_by_a_public_Close_that_the_loop_also_calls_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Client
            {
                private readonly ManualResetEvent _keepAlive = new ManualResetEvent(false);
                private bool {|#0:_isClosed|};
                private DateTime _last = DateTime.Now;

                public void Start() => new Thread(Receive).Start();

                public void Close()
                {
                    {|#2:_isClosed|} = true;
                    _keepAlive.Set();
                }

                private void Receive()
                {
                    while (!{|#1:_isClosed|})
                    {
                        if (DateTime.Now - _last > TimeSpan.FromSeconds(30))
                        {
                            Close();
                        }
                        else
                        {
                            Thread.Sleep(1);
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_isClosed", "Receive", "Close"));

    [Fact]
    public Task Flag_written_by_a_private_helper_the_loop_calls_is_still_the_loops_own_state() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Client
            {
                private bool _isClosed;
                private DateTime _last = DateTime.Now;

                public void Start() => new Thread(Receive).Start();

                private void CloseAfterTimeout() => _isClosed = true;

                private void Receive()
                {
                    while (!_isClosed)
                    {
                        if (DateTime.Now - _last > TimeSpan.FromSeconds(30))
                        {
                            CloseAfterTimeout();
                        }
                    }
                }
            }
            """);

    /// <summary>Fresh set 3, Jabber-Net's HttpSocket.OnRead: both ways out of the check return, so the flag keeps nothing running.</summary>
    [Fact]
    public Task Exit_check_followed_by_another_exit_is_not_a_poll_but_one_followed_by_more_work_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Parser
            {
                private bool _keepRunning = true;
                private int _state;

                public bool OnRead(byte[] buffer, int offset, int length)
                {
                    var i = offset;
                    var last = offset + length;
                    while (i < last)
                    {
                        switch (_state)
                        {
                            case 0:
                                Skip(buffer, ref i);
                                _state = 1;
                                break;
                            case 1:
                                if (!Deliver(buffer, i) || !_keepRunning)
                                {
                                    Close();
                                    return false;
                                }

                                return false;
                        }
                    }

                    return true;
                }

                public void Close() => _keepRunning = false;

                private static void Skip(byte[] buffer, ref int i) => i += buffer[i];

                private static bool Deliver(byte[] buffer, int i) => buffer[i] != 0;
            }

            class Pump
            {
                private bool {|#0:_running|} = true;

                public void Run(System.IO.Stream stream)
                {
                    var buffer = new byte[16];
                    while (true)
                    {
                        var read = stream.Read(buffer, 0, buffer.Length);
                        if (read == 0 || !{|#1:_running|})
                        {
                            return;
                        }

                        Consume(buffer, read);
                    }
                }

                public void Stop() => {|#2:_running|} = false;

                private static void Consume(byte[] buffer, int read) { }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_running", "Run", "Stop"));

    /// <summary>Fresh set 3, Terminals' PcapDevice and PacketLogger: the loop's own write right before its break is not state it reads back.</summary>
    [Fact]
    public Task Flag_the_loop_clears_only_on_its_way_out_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Capture
            {
                private bool {|#0:_started|};

                public void Start() => new Thread(Run).Start();

                private void Run()
                {
                    _started = true;
                    var count = 0;
                    while ({|#1:_started|})
                    {
                        if (count >= 100)
                        {
                            _started = false;
                            break;
                        }

                        if (Next() < 0)
                        {
                            _started = false;
                            break;
                        }

                        count++;
                    }
                }

                public void Stop() => {|#2:_started|} = false;

                private static int Next() => 0;
            }

            class Logger
            {
                private bool {|#3:_inUse|};

                public void Begin()
                {
                    while (true)
                    {
                        if (!{|#4:_inUse|})
                        {
                            _inUse = true;
                            break;
                        }
                    }
                }

                public void End() => {|#5:_inUse|} = false;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_started", "Run", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_inUse", "Begin", "End"));

    /// <summary>
    /// Fresh set 3, MCGalaxy's RoundsGame: a public field of the base type, polled by a derived type's game loop and
    /// cleared by its End(). Reported at the field; the look-alike is a base field the derived loop keeps as its own state.
    /// </summary>
    [Fact]
    public async Task Base_type_field_polled_and_cleared_by_a_derived_type_is_reported()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;

                abstract class Game
                {
                    public bool {|#0:Running|};
                    protected bool Waiting;
                }

                abstract class RoundsGame : Game
                {
                    public void Start()
                    {
                        Running = true;
                        new Thread(RunGame).Start();
                    }

                    private void RunGame()
                    {
                        while ({|#1:Running|})
                        {
                            DoRound();
                        }
                    }

                    public void WaitForPlayers()
                    {
                        Waiting = true;
                        while (Waiting)
                        {
                            Waiting = CountPlayers() < 2;
                        }
                    }

                    protected abstract void DoRound();

                    private static int CountPlayers() => 2;

                    public void End() => {|#2:Running|} = false;
                }

                sealed class CountdownGame : RoundsGame
                {
                    protected override void DoRound() => Thread.Sleep(1000);
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlagWrittenOutsideType).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("Running", "RunGame", "RoundsGame.End"));
        await test.RunAsync();
    }

    /// <summary>
    /// The derived classes are found from their base lists as written (issue 19): a generic base named through a using
    /// alias, in another file, by a nested class, is still found.
    /// </summary>
    [Fact]
    public async Task Base_type_field_polled_by_a_class_deriving_through_an_alias_in_another_file_is_reported()
    {
        var test = new CSharpAnalyzerVerifier<StopFlagAnalyzer>.Test
        {
            TestState =
            {
                Sources =
                {
                    """
                    namespace Games
                    {
                        public abstract class Game<T>
                        {
                            public bool {|#0:Running|};
                        }
                    }
                    """,
                    """
                    using System.Threading;
                    using GameBase = Games.Game<int>;

                    static class Host
                    {
                        public sealed class LoopGame : GameBase
                        {
                            public void Start()
                            {
                                Running = true;
                                new Thread(Loop).Start();
                            }

                            private void Loop()
                            {
                                while ({|#1:Running|})
                                {
                                    Thread.Sleep(10);
                                }
                            }

                            public void End() => {|#2:Running|} = false;
                        }
                    }
                    """,
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlagWrittenOutsideType).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("Running", "Loop", "LoopGame.End"));
        await test.RunAsync();
    }

    // Fresh set 4: an awaited call that passes no token (its "cancellationToken = default" is hidden) is no token the
    // loop awaits, and a condition written with the non-short-circuit & still polls the flag.
    [Fact]
    public Task Flag_loops_awaiting_a_call_without_a_token_or_polling_with_a_plain_and_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            static class Program
            {
                static Task SendAsync(string message, CancellationToken cancellationToken = default) => Task.CompletedTask;

                static async Task Main()
                {
                    var {|#0:cancelled|} = false;
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; {|#1:cancelled|} = true; };
                    while (!{|#2:cancelled|})
                    {
                        await SendAsync("tick");
                    }
                }

                static void Poll()
                {
                    var {|#3:received|} = false;
                    var ok = true;
                    var worker = new Thread(() => { {|#4:received|} = true; });
                    worker.Start();
                    while ({|#5:received|} == false & ok)
                    {
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(2).WithLocation(1).WithArguments("cancelled", "Main", "lambda in Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(5).WithLocation(4).WithArguments("received", "Poll", "lambda in Poll"));

    // Fresh set 4: a spin that also ends at its own deadline does not "never stop"; the same spin without one does.
    [Fact]
    public Task A_flag_spin_with_a_deadline_is_not_reported_but_one_without_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class SerialClient
            {
                private bool dataReceived;
                private bool {|#0:answered|};

                public void OnData() { dataReceived = true; {|#1:answered|} = true; }

                public void Send(long timeoutTicks)
                {
                    var sent = DateTime.Now;
                    dataReceived = false;
                    new Thread(OnData).Start();
                    while (dataReceived == false & !(DateTime.Now.Ticks - sent.Ticks > timeoutTicks))
                    {
                        Thread.Sleep(1);
                    }

                    while (!{|#2:answered|})
                    {
                        Thread.Sleep(1);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(2).WithLocation(1).WithArguments("answered", "Send", "OnData"));

    [Fact]
    public Task Flag_that_cuts_short_a_walk_stepped_by_an_unbound_reader_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class ArchivePanel
            {
                private bool _disposed;

                public void Start(string path) => new Thread(() => Load(path)).Start();

                public void Dispose() => _disposed = true;

                private void Load(string path)
                {
                    var reader = {|CS0103:ReaderFactory|}.Open(path);
                    while (reader.MoveToNextEntry())
                    {
                        if (_disposed)
                            return;
                    }
                }
            }
            """);

    [Fact]
    public Task Flag_that_stops_a_loop_over_an_unbound_reader_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class ArchivePanel
            {
                private bool {|#0:_disposed|};

                public void Start(string path) => new Thread(() => Load(path)).Start();

                public void Dispose() => {|#2:_disposed|} = true;

                private void Load(string path)
                {
                    var reader = {|CS0103:ReaderFactory|}.Open(path);
                    while (!{|#1:_disposed|})
                    {
                        reader.ReadNextEntry();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_disposed", "Load", "Dispose"));
}
