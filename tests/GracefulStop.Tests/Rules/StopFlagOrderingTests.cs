using GracefulStop.Analyzers;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags whose write reaches the loop through a signal the loop waits on, writes in finalizers, and loops that do not
/// depend on the flag to stop (issue 18: false positives on code the rule was not tuned on).
/// </summary>
public sealed partial class StopFlagTests
{
    [Fact]
    public Task Write_followed_by_a_signal_the_loop_waits_on_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Reader
            {
                private readonly AutoResetEvent _dataReady = new(false);
                private readonly object _gate = new();
                private bool _closed;
                private bool _stopped;
                private bool {|#0:_unsignalled|};

                public void Start() => new Thread(Run).Start();

                private void Run()
                {
                    while (!_closed)
                    {
                        _dataReady.WaitOne();
                    }

                    lock (_gate)
                    {
                        while (!_stopped)
                        {
                            Monitor.Wait(_gate, 1000);
                        }
                    }

                    while (!_unsignalled)
                    {
                        _dataReady.WaitOne(100);
                    }
                }

                public void Close()
                {
                    _closed = true;
                    _dataReady.Set();
                    _stopped = true;
                    Monitor.PulseAll(_gate);
                    _unsignalled = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_unsignalled", "Run", "Close"));

    /// <summary>
    /// Fresh set 11 (an RTSP session's timeout detector, <c>while (_dataReceive.WaitOne(timeout)) { if (_stoping) break; }</c>
    /// after <c>_stoping = true; _dataReceive.Set();</c>): a wait in the loop's condition orders the write like one in its
    /// body, and a timed wait there ends the loop when it times out. The look-alikes loop on timeouts (<c>!WaitOne(100)</c>)
    /// or wait on another event than the one the stop signals.
    /// </summary>
    [Fact]
    public Task Waits_in_the_loop_condition_order_the_write_or_end_the_loop_on_a_timeout() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Session
            {
                private readonly AutoResetEvent _dataReceive = new(false);
                private readonly AutoResetEvent _signal = new(false);
                private readonly AutoResetEvent _poke = new(false);
                private readonly AutoResetEvent _tick = new(false);
                private readonly AutoResetEvent _other = new(false);
                private bool _stopping;
                private bool _quit;
                private bool _halt;
                private bool {|#0:_done|};
                private bool {|#1:_finished|};

                public void Start()
                {
                    new Thread(Detect).Start();
                    new Thread(Pump).Start();
                    new Thread(Watch).Start();
                    new Thread(Spin).Start();
                    new Thread(Follow).Start();
                }

                private void Detect()
                {
                    while (_dataReceive.WaitOne())
                    {
                        if (_stopping)
                            break;
                    }
                }

                private void Pump()
                {
                    do
                    {
                        if (_quit)
                            return;
                    }
                    while (_signal.WaitOne());
                }

                private void Watch()
                {
                    while (_poke.WaitOne(5000))
                    {
                        if (_halt)
                            break;
                    }
                }

                private void Spin()
                {
                    while (!_tick.WaitOne(100))
                    {
                        if (_done)
                            break;
                    }
                }

                private void Follow()
                {
                    while (_other.WaitOne())
                    {
                        if (_finished)
                            break;
                    }
                }

                public void Stop()
                {
                    _stopping = true;
                    _dataReceive.Set();
                    _quit = true;
                    _signal.Set();
                    _halt = true;
                    _done = true;
                    _finished = true;
                    _dataReceive.Set();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_done", "Spin", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_finished", "Follow", "Stop"));

    /// <summary>
    /// Fresh set 6 (a paint prompter, a drop-down refresher): the signal is sent by a method of the type the stop calls
    /// right after the write. The look-alike's helper signals another event than the one the loop waits on.
    /// </summary>
    [Fact]
    public Task Write_followed_by_a_helper_that_signals_what_the_loop_waits_on_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Prompter
            {
                private readonly AutoResetEvent _prompt = new(false);
                private readonly SemaphoreSlim _refresh = new(0, 1);
                private readonly AutoResetEvent _other = new(false);
                private bool _exit;
                private bool _cancelled;
                private bool {|#0:_quit|};

                public Prompter()
                {
                    new Thread(Paint).Start();
                    new Thread(Refresh).Start();
                    new Thread(Idle).Start();
                }

                public void Dispose()
                {
                    _exit = true;
                    Prompt();
                    _cancelled = true;
                    TryRelease();
                    _quit = true;
                    Nudge();
                }

                public void Prompt() => _prompt.Set();

                private void TryRelease()
                {
                    if (_refresh.CurrentCount == 0)
                    {
                        _refresh.Release();
                    }
                }

                private void Nudge() => _other.Set();

                private void Paint()
                {
                    while (true)
                    {
                        _prompt.WaitOne();
                        if (_exit)
                        {
                            break;
                        }
                    }
                }

                private void Refresh()
                {
                    while (true)
                    {
                        _refresh.Wait();
                        if (_cancelled)
                        {
                            return;
                        }
                    }
                }

                private void Idle()
                {
                    while (!_quit)
                    {
                        _prompt.WaitOne(100);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_quit", "Idle", "Dispose"));

    /// <summary>
    /// Fresh set 6 (an archive viewer, a controller list): a flag that only cuts short a walk through items that end
    /// (a <c>foreach</c>, a loop stepping an enumerator) does not decide whether the loop stops. The look-alike polls the
    /// flag in a loop around such a walk.
    /// </summary>
    [Fact]
    public Task Flag_that_only_cuts_short_a_walk_through_items_is_not_reported_but_one_polled_around_the_walk_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;

            class Viewer
            {
                private readonly IEnumerable<string> _entries = Load();
                private bool _disposed;
                private bool _looping = true;
                private bool {|#0:_closing|};

                public void Open()
                {
                    Task.Run(Walk);
                    Task.Run(Step);
                    Task.Run(Consume);
                }

                public void Dispose()
                {
                    _disposed = true;
                    _looping = false;
                    _closing = true;
                }

                private void Walk()
                {
                    foreach (var entry in _entries)
                    {
                        if (_disposed)
                        {
                            return;
                        }
                    }
                }

                private void Step()
                {
                    for (var e = _entries.GetEnumerator(); e.MoveNext() && _looping;)
                    {
                        Show(e.Current);
                    }
                }

                private void Consume()
                {
                    while (!_closing)
                    {
                        foreach (var entry in _entries)
                        {
                            Show(entry);
                        }
                    }
                }

                private static void Show(string entry) { }

                private static IEnumerable<string> Load() => new List<string>();
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_closing", "Consume", "Dispose"));

    [Fact]
    public Task Writes_in_a_finalizer_and_loops_that_end_anyway_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Drainer
            {
                private readonly ConcurrentQueue<int> _queue = new();
                private bool _disposed;
                private bool _stop;
                private bool _cancelled;

                public void Start()
                {
                    new Thread(Drain).Start();
                    new Thread(Spin).Start();
                }

                private void Drain()
                {
                    while (!_stop && _queue.TryDequeue(out var item))
                    {
                        Handle(item);
                    }

                    for (var i = 0; i < 4 && !_cancelled; i++)
                    {
                        Handle(i);
                    }
                }

                private void Spin()
                {
                    while (!_disposed)
                    {
                        Handle(0);
                    }
                }

                public async Task PollAsync(CancellationToken token)
                {
                    while (!_cancelled)
                    {
                        await Task.Delay(1000, token);
                    }
                }

                public void Stop()
                {
                    _stop = true;
                    _cancelled = true;
                }

                ~Drainer()
                {
                    _disposed = true;
                }

                private static void Handle(int item) { }
            }
            """);

    [Fact]
    public Task A_setting_written_before_the_thread_starts_is_not_a_stop_request() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Watchdog
            {
                private bool _failFast;
                private bool {|#0:_stop|};

                public void Start(bool failFast)
                {
                    _failFast = failFast;
                    _stop = false;
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (!{|#1:_stop|})
                    {
                        if (_failFast) break;
                        Thread.Sleep(10);
                    }

                    while (_failFast) { Thread.Sleep(10); }
                }

                public void Stop() => {|#2:_stop|} = true;
            }

            class Restarter
            {
                private bool {|#3:_stop|};
                private Thread _thread;

                public void Restart()
                {
                    {|#4:_stop|} = true;
                    _thread.Join();
                    _stop = false;
                    _thread = new Thread(Run);
                    _thread.Start();
                }

                private void Run()
                {
                    while (!{|#5:_stop|}) { Thread.Sleep(10); }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_stop", "Run", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(5).WithLocation(4).WithArguments("_stop", "Run", "Restart"));

    /// <summary>
    /// Fresh set 3, MCGalaxy's DiscordWebsocket: Close() clears the flag and closes the client whose stream the loop
    /// reads, so the read throws and the loop ends. Look-alikes: a loop that catches the read's exception, and a close of
    /// something the loop does not read from.
    /// </summary>
    [Fact]
    public Task Write_followed_by_closing_what_the_loop_reads_from_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;

            class Relay
            {
                private TcpClient _client = new();
                private Stream _stream = Stream.Null;
                private bool _readable;

                public void Connect()
                {
                    _client = new TcpClient();
                    _client.Connect("localhost", 443);
                    _readable = true;
                    _stream = new BufferedStream(_client.GetStream());
                }

                public void Start() => new Thread(ReadLoop).Start();

                public void Close()
                {
                    _readable = false;
                    try
                    {
                        _client.Close();
                    }
                    catch (IOException)
                    {
                    }
                }

                private void ReadLoop()
                {
                    var data = new byte[4096];
                    while (_readable)
                    {
                        var read = _stream.Read(data, 0, data.Length);
                        if (read == 0) throw new IOException("closed");
                    }
                }
            }

            class TolerantRelay
            {
                private readonly NetworkStream _stream;
                private readonly TcpClient _log = new();
                private bool {|#0:_readable|} = true;
                private bool {|#3:_listening|} = true;

                public TolerantRelay(NetworkStream stream) => _stream = stream;

                public void Close()
                {
                    {|#2:_readable|} = false;
                    _stream.Close();
                    {|#5:_listening|} = false;
                    _log.Close();
                }

                public void ReadLoop()
                {
                    var data = new byte[4096];
                    while ({|#1:_readable|})
                    {
                        try
                        {
                            _stream.Read(data, 0, data.Length);
                        }
                        catch (IOException)
                        {
                        }
                    }

                    while ({|#4:_listening|})
                    {
                        _stream.Read(data, 0, data.Length);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_readable", "ReadLoop", "Close"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_listening", "ReadLoop", "Close"));

    /// <summary>
    /// A write of the value that keeps the loop running (MCGalaxy's Connect() writing readable = true) can only be
    /// missed harmlessly: the report rests on, and names, the write that stops the loop.
    /// </summary>
    [Fact]
    public Task Write_of_the_value_that_keeps_the_loop_running_is_not_a_stop_request() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Resumable
            {
                private bool _running;

                public void Resume() => _running = true;

                public void Run()
                {
                    while (_running)
                    {
                        Thread.Sleep(10);
                        if (Done()) return;
                    }
                }

                private static bool Done() => false;
            }

            class Worker
            {
                private bool {|#0:_running|};
                private bool {|#4:_stop|};

                public void Open() => {|#2:_running|} = true;

                public void Run()
                {
                    while ({|#1:_running|} && !{|#5:_stop|})
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Stop()
                {
                    {|#3:_running|} = false;
                    {|#6:_stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithArguments("_running", "Run", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(4).WithLocation(5).WithLocation(6).WithArguments("_stop", "Run", "Stop"));

    /// <summary>
    /// Fresh set 3, smtp4dev's vendored LumiSoft TCP_Server and UDP_DataReceiver: the loop only drains accepts that
    /// completed synchronously and ends when AcceptAsync goes pending. The look-alike's bool call does not end it.
    /// </summary>
    [Fact]
    public Task Loop_draining_operations_that_completed_synchronously_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;

            class Acceptor
            {
                private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);
                private readonly SocketAsyncEventArgs _args = new();
                private bool _disposed;
                private bool {|#0:_closed|};

                public void Accept()
                {
                    while (!_disposed && !_socket.AcceptAsync(_args))
                    {
                        _args.AcceptSocket?.Close();
                        _args.AcceptSocket = null;
                    }
                }

                public void WaitReadable()
                {
                    while (!{|#1:_closed|} && !_socket.Poll(1000, SelectMode.SelectRead))
                    {
                    }
                }

                public void Dispose()
                {
                    _disposed = true;
                    {|#2:_closed|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_closed", "WaitReadable", "Dispose"));

    [Fact]
    public Task Loop_whose_thread_the_type_interrupts_while_it_waits_every_turn_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class OutputPump
            {
                private readonly object _gate = new();
                private Thread _output;
                private bool _exit;

                public void Start()
                {
                    _output = new Thread(Copy);
                    _output.Start();
                }

                public void Stop()
                {
                    _exit = true;
                    _output.Interrupt();
                    _output.Join();
                }

                public void Remove()
                {
                    Stop();
                    _exit = true;
                }

                private void Copy()
                {
                    try
                    {
                        while (!_exit)
                        {
                            lock (_gate)
                            {
                                Monitor.Wait(_gate);
                            }
                        }
                    }
                    catch (ThreadInterruptedException)
                    {
                    }
                }
            }
            """);

    [Fact]
    public Task Loop_that_swallows_the_interrupt_or_whose_thread_is_not_interrupted_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class OutputPump
            {
                private readonly object _gate = new();
                private Thread _output;
                private Thread _input;
                private bool {|#0:_exit|};
                private bool {|#3:_inputDone|};

                public void Start()
                {
                    _output = new Thread(Copy);
                    _output.Start();
                    _input = new Thread(Read);
                    _input.Start();
                }

                public void Stop()
                {
                    {|#2:_exit|} = true;
                    _output.Interrupt();
                    {|#5:_inputDone|} = true;
                    _output.Interrupt();
                }

                private void Copy()
                {
                    while (!{|#1:_exit|})
                    {
                        try
                        {
                            lock (_gate)
                            {
                                Monitor.Wait(_gate);
                            }
                        }
                        catch (ThreadInterruptedException)
                        {
                        }
                    }
                }

                private void Read()
                {
                    while (!{|#4:_inputDone|})
                    {
                        Thread.Sleep(10);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_exit", "Copy", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_inputDone", "Read", "Stop"));

    [Fact]
    public Task Loop_whose_thread_the_type_interrupts_and_whose_catch_leaves_the_loop_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Blinker
            {
                private readonly Thread _blink;
                private bool _stop;

                public Blinker()
                {
                    _blink = new Thread(Blink);
                    _blink.Start();
                }

                public void Close()
                {
                    _stop = true;
                    _blink.Interrupt();
                    _blink.Join();
                }

                private void Blink()
                {
                    while (!_stop)
                    {
                        try
                        {
                            Thread.Sleep(200);
                        }
                        catch (Exception)
                        {
                            return;
                        }

                        Toggle();
                    }
                }

                private void Toggle()
                {
                }
            }
            """);

    [Fact]
    public Task Loop_whose_thread_the_type_interrupts_but_whose_catch_goes_on_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Blinker
            {
                private readonly Thread _blink;
                private bool {|#0:_stop|};

                public Blinker()
                {
                    _blink = new Thread(Blink);
                    _blink.Start();
                }

                public void Close()
                {
                    {|#2:_stop|} = true;
                    _blink.Interrupt();
                    _blink.Join();
                }

                private void Blink()
                {
                    while (!{|#1:_stop|})
                    {
                        try
                        {
                            Thread.Sleep(200);
                        }
                        catch (Exception)
                        {
                            Console.WriteLine("woken");
                        }

                        Toggle();
                    }
                }

                private void Toggle()
                {
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_stop", "Blink", "Close"));

    [Fact]
    public Task Loop_that_leaves_when_a_timed_wait_times_out_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Debouncer
            {
                private readonly ManualResetEvent _input = new(false);
                private readonly AutoResetEvent _poke = new(false);
                private bool _stop;
                private bool _closing;

                public void Start()
                {
                    new Thread(Settle).Start();
                    new Thread(Drain).Start();
                }

                public void Stop()
                {
                    _stop = true;
                    _closing = true;
                }

                private void Settle()
                {
                    while (!_stop)
                    {
                        bool signalled = _input.WaitOne(500);
                        _input.Reset();
                        if (signalled == false)
                        {
                            Flush();
                            break;
                        }
                    }
                }

                private void Drain()
                {
                    while (!_closing)
                    {
                        if (!_poke.WaitOne(TimeSpan.FromSeconds(1)))
                            return;
                    }
                }

                private void Flush()
                {
                }
            }
            """);

    [Fact]
    public Task Loop_that_goes_on_after_a_timeout_or_waits_without_one_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Debouncer
            {
                private readonly ManualResetEvent _input = new(false);
                private bool {|#0:_stop|};
                private bool {|#3:_closing|};

                public void Start()
                {
                    new Thread(Settle).Start();
                    new Thread(Drain).Start();
                }

                public void Stop()
                {
                    {|#2:_stop|} = true;
                    {|#5:_closing|} = true;
                }

                private void Settle()
                {
                    while (!{|#1:_stop|})
                    {
                        bool signalled = _input.WaitOne(500);
                        if (!signalled)
                        {
                            continue;
                        }

                        Flush();
                    }
                }

                private void Drain()
                {
                    while (!{|#4:_closing|})
                    {
                        if (!_input.WaitOne(Timeout.Infinite))
                            break;
                        Flush();
                    }
                }

                private void Flush()
                {
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_stop", "Settle", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_closing", "Drain", "Stop"));

    [Fact]
    public Task Retry_loop_whose_condition_also_needs_a_local_each_turn_first_clears_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class MetadataClient
            {
                private bool _disposed;

                public void Dispose() => _disposed = true;

                public int Fetch()
                {
                    var retry = false;
                    var attempt = 0;
                    int result;
                    do
                    {
                        retry = false;
                        result = Request();
                        if (result < 0)
                        {
                            retry = true;
                            Thread.Sleep(++attempt * 100);
                        }
                    }
                    while (_disposed == false && retry);

                    return result;
                }

                private static int Request() => 0;
            }
            """);

    [Fact]
    public Task Loop_whose_local_each_turn_sets_to_go_on_or_that_needs_either_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class MetadataClient
            {
                private bool {|#0:_disposed|};
                private bool {|#3:_closed|};

                public void Dispose()
                {
                    {|#2:_disposed|} = true;
                    {|#5:_closed|} = true;
                }

                public void Fetch()
                {
                    bool again;
                    do
                    {
                        again = true;
                        Thread.Sleep(100);
                    }
                    while (!{|#1:_disposed|} && again);
                }

                public void Poll()
                {
                    var pending = false;
                    do
                    {
                        pending = false;
                        Thread.Sleep(100);
                    }
                    while (!{|#4:_closed|} || pending);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_disposed", "Fetch", "Dispose"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_closed", "Poll", "Dispose"));

    [Fact]
    public Task Flag_written_by_a_private_method_only_called_beside_the_loop_method_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;

            class RecordParser
            {
                private bool _explicit;
                private int _stage;

                public void Parse(Stream source)
                {
                    while (source.Position < source.Length)
                    {
                        if (!ReadHeader(source))
                        {
                            return;
                        }

                        ReadValue(source);
                    }
                }

                private bool ReadHeader(Stream source)
                {
                    while (_stage == 0)
                    {
                        if (_explicit)
                        {
                            return source.ReadByte() >= 0;
                        }

                        _stage = source.ReadByte();
                    }

                    return true;
                }

                private void ReadValue(Stream source)
                {
                    if (source.ReadByte() == 0)
                    {
                        ReadSequence(source);
                    }

                    _explicit = !_explicit;
                    _stage = 0;
                }

                private void ReadSequence(Stream source)
                {
                    if (source.ReadByte() == 1)
                    {
                        _explicit = !_explicit;
                    }
                }
            }
            """);

    [Fact]
    public Task Flag_written_by_a_private_method_a_stop_calls_or_beside_a_loop_run_as_work_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Pump
            {
                private bool {|#0:_done|};
                private bool {|#3:_finished|};

                public void Start() => new Thread(Run).Start();

                public void Stop() => Shutdown();

                public void Cycle()
                {
                    new Thread(Spin).Start();
                    Spin();
                    Halt();
                }

                private void Run()
                {
                    while (!{|#1:_done|})
                    {
                        Thread.Sleep(10);
                    }
                }

                private void Spin()
                {
                    while (!{|#4:_finished|})
                    {
                        Thread.Sleep(10);
                    }
                }

                private void Shutdown() => Finish();

                private void Finish()
                {
                    {|#2:_done|} = true;
                }

                private void Halt()
                {
                    {|#5:_finished|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_done", "Run", "Finish"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_finished", "Spin", "Halt"));
}
