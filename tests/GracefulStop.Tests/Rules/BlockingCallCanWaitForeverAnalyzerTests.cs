using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallCanWaitForeverAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallCanWaitForeverCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed partial class BlockingCallCanWaitForeverAnalyzerTests
{
    [Fact]
    public Task Infinite_waits_in_a_loop_are_reported_with_the_consequence() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(BlockingCollection<int> queue, AutoResetEvent signal, Task task, object gate, TcpListener listener, Socket socket, byte[] buffer, Thread other)
                {
                    while (true)
                    {
                        queue.{|#0:Take|}();
                        signal.{|GS0006:WaitOne|}();
                        signal.{|GS0006:WaitOne|}(Timeout.Infinite);
                        task.{|GS0006:Wait|}();
                        lock (gate)
                        {
                            Monitor.{|GS0006:Wait|}(gate);
                        }

                        SpinWait.{|GS0006:SpinUntil|}(() => task.IsCompleted);
                        listener.{|GS0006:AcceptTcpClient|}();
                        socket.{|GS0006:Receive|}(buffer);
                        other.{|GS0006:Join|}();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("queue.Take()", "loop"));

    [Fact]
    public Task Accept_and_receive_on_a_socket_set_non_blocking_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;

            abstract class ChannelBase
            {
                protected ChannelBase(Socket socket)
                {
                    Socket = socket;
                    this.Socket.Blocking = false;
                }

                public Socket Socket { get; }
            }

            sealed class ServerChannel : ChannelBase
            {
                public ServerChannel(Socket socket) : base(socket) { }
            }

            class Reader
            {
                private Socket _blocking;
                private Socket _nonBlocking;

                Reader(Socket a, Socket b)
                {
                    _blocking = a;
                    _nonBlocking = b;
                    _nonBlocking.Blocking = false;
                }

                void Poll(ServerChannel channel, byte[] buffer, Socket other)
                {
                    var local = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    local.Blocking = false;
                    while (true)
                    {
                        var accepted = channel.Socket.Accept();
                        _nonBlocking.Receive(buffer);
                        local.Receive(buffer);
                        _blocking.{|GS0006:Receive|}(buffer);
                        other.{|GS0006:Receive|}(buffer);
                    }
                }
            }
            """);

    [Fact]
    public Task Infinite_waits_in_thread_work_are_reported_for_lambdas_and_started_methods() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly ManualResetEvent _done = new(false);

                void Start(Thread other)
                {
                    new Thread(() => other.{|#0:Join|}()).Start();
                    Task.Run(() => _done.{|GS0006:WaitOne|}());
                    new Thread(Run).Start();
                }

                void Run()
                {
                    _done.{|#1:WaitOne|}();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("other.Join()", "thread"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_done.WaitOne()", "thread"));

    [Fact]
    public Task Waits_with_a_timeout_a_token_in_scope_or_outside_loops_and_threads_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Timeout(AutoResetEvent signal, Thread other)
                {
                    while (true)
                    {
                        signal.WaitOne(1000);
                        other.Join(TimeSpan.FromSeconds(1));
                    }
                }

                void WithToken(CancellationToken token, AutoResetEvent signal)
                {
                    while (true)
                    {
                        signal.WaitOne();
                    }
                }

                void Once(AutoResetEvent signal, Task task)
                {
                    signal.WaitOne();
                    task.Wait();
                    Action later = () => signal.WaitOne();
                }
            }
            """);

    [Fact]
    public Task Look_alike_methods_on_unrelated_types_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Door
            {
                public void WaitOne() { }
                public void Join() { }
                public int Take() => 0;
            }

            class C
            {
                void M(Door door)
                {
                    while (true)
                    {
                        door.WaitOne();
                        door.Join();
                        door.Take();
                    }
                }
            }
            """);

    [Fact]
    public async Task Configured_blocking_methods_are_reported()
    {
        var test = new CSharpAnalyzerVerifier<BlockingCallCanWaitForeverAnalyzer>.Test
        {
            TestCode = """
                namespace Lib
                {
                    class Device
                    {
                        public int Read(int count) => count;
                    }

                    class C
                    {
                        void M(Device device)
                        {
                            while (true)
                            {
                                device.{|#0:Read|}(4);
                            }
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/0/.editorconfig", "root = true\n[*.cs]\ngracefulstop.blocking_methods = M:Lib.Device.Read(System.Int32), M:Lib.Missing.Nothing\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("device.Read()", "loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Configured_blocking_methods_are_reported_only_in_the_files_whose_options_name_them()
    {
        var test = new CSharpAnalyzerVerifier<BlockingCallCanWaitForeverAnalyzer>.Test();
        test.TestState.Sources.Add(("/0/A.cs", """
            namespace Lib
            {
                public class Device
                {
                    public int Read(int count) => count;
                }

                class A
                {
                    void M(Device device)
                    {
                        while (true)
                        {
                            device.{|#0:Read|}(4);
                        }
                    }
                }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            namespace Lib
            {
                class B
                {
                    void M(Device device)
                    {
                        while (true)
                        {
                            device.Read(4);
                        }
                    }
                }
            }
            """));
        test.TestState.AnalyzerConfigFiles.Add(("/0/.editorconfig", "root = true\n[A.cs]\ngracefulstop.blocking_methods = M:Lib.Device.Read(System.Int32)\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("device.Read()", "loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task The_fix_adds_a_token_parameter_and_passes_it_on() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;

            class C
            {
                private readonly BlockingCollection<string> _queue = new();

                void Consume()
                {
                    while (true)
                    {
                        var item = _queue.[|Take|](); // next item
                        Handle(item);
                    }
                }

                void Handle(string item) { }

                void Caller() => Consume();
            }
            """,
            """
            using System.Collections.Concurrent;
            using System.Threading;

            class C
            {
                private readonly BlockingCollection<string> _queue = new();

                void Consume(CancellationToken cancellationToken = default)
                {
                    while (true)
                    {
                        string item;
                        try
                        {
                            item = _queue.Take(cancellationToken); // next item
                        }
                        catch (System.OperationCanceledException)
                        {
                            break;
                        }

                        Handle(item);
                    }
                }

                void Handle(string item) { }

                void Caller() => Consume();
            }
            """);

    [Fact]
    public Task In_a_method_that_returns_a_value_the_fix_throws_instead_of_leaving_the_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class SignalQueue<T>
            {
                private readonly Queue<T> _items = new();
                private readonly AutoResetEvent _available = new(false);

                public T Dequeue()
                {
                    while (true)
                    {
                        lock (_items)
                        {
                            if (_items.Count > 0)
                            {
                                return _items.Dequeue();
                            }
                        }

                        _available.[|WaitOne|]();
                    }
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading;

            class SignalQueue<T>
            {
                private readonly Queue<T> _items = new();
                private readonly AutoResetEvent _available = new(false);

                public T Dequeue(CancellationToken cancellationToken = default)
                {
                    while (true)
                    {
                        lock (_items)
                        {
                            if (_items.Count > 0)
                            {
                                return _items.Dequeue();
                            }
                        }

                        if (WaitHandle.WaitAny(new[] { _available, cancellationToken.WaitHandle }) == 1)
                            throw new System.OperationCanceledException(cancellationToken);
                    }
                }
            }
            """);

    [Fact]
    public Task The_fix_turns_WaitOne_into_WaitAny_on_the_new_parameter() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void Pump(AutoResetEvent signal, int count)
                {
                    while (count-- > 0)
                    {
                        signal.[|WaitOne|]();
                    }
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void Pump(AutoResetEvent signal, int count, CancellationToken cancellationToken = default)
                {
                    while (count-- > 0)
                    {
                        if (WaitHandle.WaitAny(new[] { signal, cancellationToken.WaitHandle }) == 1)
                            break;
                    }
                }
            }
            """);

    [Fact]
    public Task No_parameter_is_added_to_a_method_started_as_a_method_group_or_an_interface_member() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            interface IWorker
            {
                void Work();
            }

            class C : IWorker
            {
                private readonly AutoResetEvent _signal = new(false);

                void Start() => new Thread(Run).Start();

                void Run()
                {
                    _signal.[|WaitOne|]();
                }

                public void Work()
                {
                    while (true)
                    {
                        _signal.[|WaitOne|]();
                    }
                }
            }
            """,
            """
            using System.Threading;

            interface IWorker
            {
                void Work();
            }

            class C : IWorker
            {
                private readonly AutoResetEvent _signal = new(false);

                void Start() => new Thread(Run).Start();

                void Run()
                {
                    _signal.[|WaitOne|]();
                }

                public void Work()
                {
                    while (true)
                    {
                        _signal.[|WaitOne|]();
                    }
                }
            }
            """);

    [Fact]
    public Task Waits_that_the_owner_ends_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Net.Sockets;
            using System.Threading;

            class Reader
            {
                private readonly AutoResetEvent _dataReady = new(false);
                private readonly TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
                private readonly BlockingCollection<int> _queue = new();
                private readonly Process _process = new();
                private readonly object _gate = new();
                private readonly SemaphoreSlim _never = new(0);
                private volatile bool _closed;

                void Pump()
                {
                    while (!_closed)
                    {
                        _dataReady.WaitOne();
                        _listener.AcceptTcpClient();
                        _queue.Take();
                        _process.WaitForExit();
                        lock (_gate) { Monitor.Wait(_gate); }
                        _never.{|#0:Wait|}();
                    }
                }

                public void Close()
                {
                    _closed = true;
                    _dataReady.Set();
                    _listener.Stop();
                    _queue.CompleteAdding();
                    _process.Kill();
                    lock (_gate) { Monitor.PulseAll(_gate); }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_never.Wait()", "loop"));

    [Fact]
    public Task A_signal_outside_the_stop_path_does_not_end_the_wait() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class BlockingQueue<T>
            {
                private readonly Queue<T> _items = new();
                private readonly AutoResetEvent _available = new(false);

                public void Enqueue(T item)
                {
                    lock (_items) { _items.Enqueue(item); }
                    _available.Set();
                }

                public T Dequeue()
                {
                    while (true)
                    {
                        lock (_items)
                        {
                            if (_items.Count > 0) return _items.Dequeue();
                        }

                        _available.{|#0:WaitOne|}();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_available.WaitOne()", "loop"));

    [Fact]
    public Task Accepts_after_a_readiness_check_and_waits_in_bounded_loops_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                void Serve(TcpListener listener, Socket socket, bool running)
                {
                    while (running)
                    {
                        if (!listener.Pending())
                        {
                            Thread.Sleep(100);
                            continue;
                        }

                        listener.AcceptTcpClient();
                        if (socket.Poll(1000, SelectMode.SelectRead))
                        {
                            socket.Receive(new byte[16]);
                        }
                    }
                }

                void JoinAll(Thread[] threads, Task[] tasks)
                {
                    foreach (var thread in threads)
                    {
                        thread.Join();
                    }

                    for (var i = 0; i < tasks.Length; i++)
                    {
                        tasks[i].Wait();
                    }
                }
            }
            """);

    /// <summary>
    /// Fresh set 11 (OpenRA's server): <c>listener.Server.Poll(t, SelectMode.SelectRead)</c> polls the listener's own
    /// socket, so the accept after it has a connection waiting. The look-alike polls another socket.
    /// </summary>
    [Fact]
    public Task An_accept_after_polling_the_listeners_socket_is_not_reported_but_one_after_polling_another_socket_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class Server
            {
                private volatile bool _waiting = true;

                public void Listen(TcpListener listener, TcpListener other)
                {
                    new Thread(() =>
                    {
                        while (_waiting)
                        {
                            if (listener.Server.Poll(1000000, SelectMode.SelectRead))
                            {
                                listener.AcceptSocket();
                            }
                        }
                    }).Start();

                    new Thread(() =>
                    {
                        while (_waiting)
                        {
                            if (other.Server.Poll(1000000, SelectMode.SelectRead))
                            {
                                listener.{|#0:AcceptSocket|}();
                            }
                        }
                    }).Start();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("listener.AcceptSocket()", "loop"));

    [Fact]
    public Task Timeout_only_waits_get_the_default_timeout_of_30_seconds() =>
        new CSharpCodeFixVerifier<BlockingCallCanWaitForeverAnalyzer, BlockingCallCanWaitForeverCodeFix>.Test
        {
            CodeActionEquivalenceKey = BlockingCallCanWaitForeverCodeFix.PreferredKey,
            TestCode = """
                using System;
                using System.Threading;

                class C
                {
                    void M(Thread[] workers, object gate, Func<bool> ready)
                    {
                        while (workers.Length > 0 && workers[0].IsAlive)
                        {
                            workers[0].[|Join|](); // each
                        }

                        new Thread(() => SpinWait.[|SpinUntil|](ready)).Start();
                        lock (gate)
                        {
                            while (!ready())
                            {
                                Monitor.[|Wait|](gate);
                            }
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;

                class C
                {
                    void M(Thread[] workers, object gate, Func<bool> ready)
                    {
                        while (workers.Length > 0 && workers[0].IsAlive)
                        {
                            workers[0].Join(TimeSpan.FromSeconds(30)); // each
                        }

                        new Thread(() => SpinWait.SpinUntil(ready, TimeSpan.FromSeconds(30))).Start();
                        lock (gate)
                        {
                            while (!ready())
                            {
                                Monitor.Wait(gate, TimeSpan.FromSeconds(30));
                            }
                        }
                    }
                }
                """,
        }.RunAsync();

    [Theory]
    [InlineData("gracefulstop.GS0006.default_timeout_seconds = 5", "5")]
    [InlineData("gracefulstop.GS0006.default_timeout_seconds = five", "30")]
    [InlineData("gracefulstop.GS0006.default_timeout_seconds = -1", "30")]
    [InlineData("gracefulstop.GS0006.default_timeout_seconds = 0", "30")]
    public async Task The_timeout_comes_from_editorconfig_and_invalid_values_keep_the_default(string option, string seconds)
    {
        var test = new CSharpCodeFixVerifier<BlockingCallCanWaitForeverAnalyzer, BlockingCallCanWaitForeverCodeFix>.Test
        {
            CodeActionEquivalenceKey = BlockingCallCanWaitForeverCodeFix.PreferredKey,
            TestCode = """
                using System;
                using System.Threading;

                class C
                {
                    void M(Thread worker)
                    {
                        while (true)
                        {
                            worker.[|Join|]();
                        }
                    }
                }
                """,
            FixedCode = $$"""
                using System;
                using System.Threading;

                class C
                {
                    void M(Thread worker)
                    {
                        while (true)
                        {
                            worker.Join(TimeSpan.FromSeconds({{seconds}}));
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/0/.editorconfig", "root = true\n[*.cs]\n" + option + "\n"));
        await test.RunAsync();
    }

    [Fact]
    public Task Monitor_wait_in_a_loop_that_rechecks_state_the_type_sets_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            sealed class Pipe : IDisposable
            {
                private readonly object _gate = new();
                private bool _disposed;
                private int _available;

                public void Read()
                {
                    lock (_gate)
                    {
                        // The condition-variable idiom (SSH.NET's PipeStream): Dispose sets the field and pulses.
                        while (_available == 0 && !_disposed)
                        {
                            Monitor.Wait(_gate);
                        }

                        while (true)
                        {
                            if (_disposed) throw new ObjectDisposedException(nameof(Pipe));
                            if (_available > 0) break;
                            Monitor.Wait(_gate);
                        }
                    }
                }

                public void Dispose()
                {
                    lock (_gate)
                    {
                        _disposed = true;
                        Monitor.PulseAll(_gate);
                    }
                }

                public void Spin(object other)
                {
                    lock (other)
                    {
                        while (true)
                        {
                            Monitor.{|GS0006:Wait|}(other);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task A_method_is_work_only_when_a_start_site_in_its_file_runs_it() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            partial class Worker
            {
                private readonly AutoResetEvent _signal = new(false);

                void Start()
                {
                    Thread thread = new(Pump);
                    thread.Start();
                    Task.Factory.StartNew(() => Drain());
                }

                void Pump() => _signal.{|GS0006:WaitOne|}();

                void Drain() => _signal.{|GS0006:WaitOne|}();

                void NotStarted() => _signal.WaitOne();

                class Nested
                {
                    void Wait(AutoResetEvent e) => e.WaitOne();
                }
            }
            """);

    [Fact]
    public Task A_wait_for_a_finite_delay_or_a_task_given_a_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Owner
            {
                public CancellationTokenSource Source { get; } = new();
            }

            class Timer
            {
                private volatile bool _running = true;

                void Tick(Owner owner, int ms, Task work)
                {
                    while (_running)
                    {
                        var delay = Task.Delay(ms, owner.Source.Token); // DotNetty HashedWheelTimer
                        delay.Wait();
                        Task.Delay(100).Wait();
                        Task later = null;
                        later = Task.Delay(ms, owner.Source.Token);
                        later.Wait();
                        work.{|GS0006:Wait|}();
                    }
                }
            }
            """);

    [Fact]
    public Task Waits_in_work_started_through_a_helper_are_in_thread_work() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                private readonly ManualResetEvent _go = new(false);

                void Start() => StartThread(Run, "worker");

                static void StartThread(Action work, string name) => new Thread(() => work()) { Name = name }.Start();

                void Run()
                {
                    _go.{|#0:WaitOne|}();
                }

                void NotWork()
                {
                    _go.WaitOne();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_go.WaitOne()", "thread"));

    [Fact]
    public Task A_shutdown_handler_is_on_the_stop_path() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Program
            {
                private static readonly ManualResetEvent _exit = new(false);
                private static readonly ManualResetEvent _other = new(false);

                static void Main()
                {
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; _exit.Set(); };
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => _exit.Set();
                    Run();
                }

                static void Run()
                {
                    while (true)
                    {
                        _exit.WaitOne();
                        _other.{|#0:WaitOne|}();
                    }
                }

                static void Signal() => _other.Set();
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_other.WaitOne()", "loop"));

    [Fact]
    public Task A_delay_computed_at_run_time_ends_by_itself() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Run(Random rng, TimeSpan pause, int infinite)
                {
                    while (true)
                    {
                        Task.Delay(rng.Next(0, 1000)).Wait();
                        Task.Delay(pause).Wait();
                        Task.Delay(Timeout.Infinite).{|#0:Wait|}();
                        Task.Delay(rng.Next(0, 10) > 5 ? 100 : Timeout.Infinite).{|#1:Wait|}();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("Task.Delay(Timeout.Infinite).Wait()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("Task.Wait()", "loop"));

    // ---- Tuning after fresh set 2 (docs/validation.md, "Tuning after fresh set 2: GS0005 and GS0006") ----

    [Fact]
    public Task A_receive_on_a_TcpClient_socket_under_its_Available_check_is_not_reported_but_another_clients_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;

            class Listener
            {
                void Read(TcpClient c, TcpClient other, bool running)
                {
                    while (c.Available > 0 && c.Connected)
                    {
                        var next = new byte[1];
                        c.Client.Receive(next, 0, 1, SocketFlags.None);
                    }

                    while (other.Connected && c.Available > 0)
                    {
                        var next = new byte[1];
                        other.Client.[|Receive|](next, 0, 1, SocketFlags.None);
                    }
                }
            }
            """);

    [Fact]
    public Task An_accept_whose_listener_socket_the_stop_path_disposes_is_not_reported_but_one_whose_type_disposes_another_listener_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            sealed class Proxy : IDisposable
            {
                private readonly TcpListener _tcpListener = new TcpListener(IPAddress.Loopback, 0);

                public Proxy()
                {
                    _tcpListener.Start();
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            _tcpListener.AcceptTcpClient().Close();
                        }
                    });
                }

                public void Dispose() => _tcpListener.Server.Dispose();
            }

            sealed class Leaky
            {
                private readonly TcpListener _tcpListener = new TcpListener(IPAddress.Loopback, 0);
                private readonly TcpListener _spare = new TcpListener(IPAddress.Loopback, 0);

                public Leaky()
                {
                    _tcpListener.Start();
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            _tcpListener.[|AcceptTcpClient|]().Close();
                        }
                    });
                }

                public void Dispose() => _spare.Server.Dispose();
            }
            """);

    [Fact]
    public Task A_wait_on_a_local_gate_its_function_opens_is_not_reported_but_one_nobody_opens_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Tests
            {
                void Opened()
                {
                    var block = new SemaphoreSlim(0, 2);
                    var first = Task.Run(() =>
                    {
                        block.Wait();
                        block.Wait();
                    });
                    block.Release(2);
                    first.Wait(1000);
                }

                void NeverOpened()
                {
                    var block = new SemaphoreSlim(0, 2);
                    var first = Task.Run(() =>
                    {
                        block.[|Wait|]();
                        block.Release();
                    });
                    first.Wait(1000);
                }
            }
            """);

    /// <summary>
    /// Fresh set 6 (a row-lock test): two tasks of one function meet at a local <c>Barrier(2)</c>; each arrival is the
    /// other's signal. The look-alike's barrier waits for three participants and only two ever arrive.
    /// </summary>
    [Fact]
    public Task A_barrier_the_functions_tasks_all_arrive_at_is_not_reported_but_one_missing_a_participant_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Tests
            {
                void Meet()
                {
                    using var barrier = new Barrier(2);
                    var first = Task.Run(() => barrier.SignalAndWait());
                    var second = Task.Run(() => barrier.SignalAndWait());
                    Task.WaitAll(new[] { first, second }, 5000);
                }

                void MissingParticipant()
                {
                    using var barrier = new Barrier(3);
                    var first = Task.Run(() => barrier.[|SignalAndWait|]());
                    var second = Task.Run(() => barrier.[|SignalAndWait|]());
                    Task.WaitAll(new[] { first, second }, 5000);
                }
            }
            """);

    /// <summary>
    /// Fresh set 6 (a controller's input thread): the reading loop sets its pause event each turn before it waits on it,
    /// and the view that pauses it resets the event only while it copies the state, setting it again right after (a
    /// derived reader's own loop of the same shape resets it too); the event is never left unset. The look-alikes: a pause that never sets the event again, and a loop that waits on an
    /// event it does not set itself.
    /// </summary>
    [Fact]
    public Task A_wait_on_an_event_its_loop_keeps_set_is_not_reported_but_one_another_party_leaves_unset_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Reader
            {
                protected readonly ManualResetEventSlim _pause = new();
                protected volatile bool _stop;

                public ManualResetEventSlim Pause => _pause;

                public void Run()
                {
                    while (!_stop)
                    {
                        _pause.Set();
                        if (!Read())
                        {
                            _pause.Reset();
                            continue;
                        }

                        _pause.Wait();
                        _pause.Reset();
                    }
                }

                private bool Read() => true;
            }

            class FastReader : Reader
            {
                public void RunFast()
                {
                    while (!_stop)
                    {
                        _pause.Set();
                        _pause.Wait();
                        _pause.Reset();
                    }
                }
            }

            class View
            {
                public void Copy(Reader reader)
                {
                    reader.Pause.Wait();
                    reader.Pause.Reset();
                    Snapshot();
                    reader.Pause.Set();
                }

                private void Snapshot() { }
            }

            class HeldReader
            {
                private readonly ManualResetEventSlim _pause = new();
                private volatile bool _stop;

                public void Hold() => _pause.Reset();

                public void Run()
                {
                    while (!_stop)
                    {
                        _pause.Set();
                        _pause.[|Wait|]();
                    }
                }
            }

            class WaitingReader
            {
                private readonly ManualResetEventSlim _go = new();
                private volatile bool _stop;

                public void Go() => _go.Set();

                public void Run()
                {
                    while (!_stop)
                    {
                        _go.[|Wait|]();
                        _go.Reset();
                    }
                }
            }
            """);

    // ---- Tuning after fresh set 3 ----

    [Fact]
    public Task A_one_slot_semaphore_every_holder_releases_in_finally_is_not_reported_but_a_signal_or_a_lock_held_in_a_loop_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            class Subscriptions
            {
                private readonly List<string> _topics = new();

                private SemaphoreSlim Gate { get; } = new(1, 1);

                public void OnMessage() => Task.Run(() => Dispatch());

                private void Dispatch()
                {
                    List<string> copy;
                    try
                    {
                        this.Gate.Wait();
                        copy = _topics.ToList();
                    }
                    finally
                    {
                        _ = this.Gate.Release();
                    }
                }

                public async Task AddAsync(string topic)
                {
                    await Gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        _topics.Add(topic);
                    }
                    finally
                    {
                        Gate.Release();
                    }
                }
            }

            class Signal
            {
                private readonly SemaphoreSlim _ready = new SemaphoreSlim(0, 1);

                public void Start() => Task.Run(() => Work());

                public void Ready(bool ok)
                {
                    if (ok)
                    {
                        _ready.Release();
                    }
                }

                private void Work() => _ready.[|Wait|]();
            }

            class HeldInALoop
            {
                private readonly Queue<string> _pending = new();
                private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);

                public void Start() => Task.Run(() => Work());

                private void Work()
                {
                    _gate.[|Wait|]();
                    try
                    {
                        while (_pending.Count < 10)
                        {
                            Thread.Sleep(100);
                        }
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }

            class ReleasedElsewhere
            {
                private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

                public void Start() => Task.Run(() => Work());

                public void Done() => _gate.Release();

                private void Work()
                {
                    _gate.[|Wait|]();
                    try
                    {
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }
            """);


    // Fresh set 3 (tuning): a worker posts a delegate to the UI thread and waits for it to have run (a handshake).
    [Fact]
    public Task A_handshake_with_a_delegate_posted_just_before_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Players
            {
                private readonly SynchronizationContext _ui = new SynchronizationContext();

                Task RemoveAsync() => Task.Run(() =>
                {
                    var uiUpdated = new AutoResetEvent(false);
                    _ui.Post(_ =>
                    {
                        Remove();
                        uiUpdated.Set();
                    }, null);
                    uiUpdated.WaitOne();
                });

                bool Remove() => true;
            }
            """);

    [Fact]
    public Task A_wait_for_an_io_callback_or_a_conditional_set_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Players
            {
                private readonly SynchronizationContext _ui = new SynchronizationContext();

                Task ConnectAsync(Socket socket, EndPoint endPoint) => Task.Run(() =>
                {
                    var connected = new ManualResetEvent(false);
                    socket.BeginConnect(endPoint, _ => connected.Set(), null);
                    connected.[|WaitOne|]();
                });

                Task RemoveAsync() => Task.Run(() =>
                {
                    var uiUpdated = new AutoResetEvent(false);
                    _ui.Post(_ =>
                    {
                        if (Remove())
                        {
                            uiUpdated.Set();
                        }
                    }, null);
                    uiUpdated.[|WaitOne|]();
                });

                bool Remove() => true;
            }
            """);


    // Fresh set 3 (tuning): the idle wait of a process-lifetime worker that the type's Schedule pulses; the type has no
    // stop and needs none.
    [Fact]
    public Task The_idle_wait_of_a_worker_whose_type_has_no_stop_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;

            class ProcessingQueue
            {
                private readonly Queue<Action> _jobs = new Queue<Action>();

                public ProcessingQueue()
                {
                    ThreadHelper.NewThread(new ThreadStart(Run), background: true).Start();
                }

                public void Schedule(Action job)
                {
                    lock (_jobs)
                    {
                        _jobs.Enqueue(job);
                        Monitor.PulseAll(_jobs);
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        Action job;
                        lock (_jobs)
                        {
                            while (true)
                            {
                                if (_jobs.Count == 0)
                                {
                                    Monitor.Wait(_jobs);
                                }
                                else
                                {
                                    job = _jobs.Dequeue();
                                    break;
                                }
                            }
                        }

                        job();
                    }
                }
            }

            static class ThreadHelper
            {
                public static Thread NewThread(ThreadStart start, bool background)
                {
                    var thread = new Thread(start);
                    Configure(thread, background);
                    return thread;
                }

                private static void Configure(Thread thread, bool background) => thread.IsBackground = background;
            }
            """);

    [Fact]
    public Task The_idle_wait_of_a_foreground_worker_or_one_with_a_stop_a_loop_condition_or_no_waker_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;

            class DisposableQueue
            {
                private readonly Queue<Action> _jobs = new Queue<Action>();

                public DisposableQueue()
                {
                    new Thread(Run) { IsBackground = true }.Start();
                }

                public void Schedule(Action job)
                {
                    lock (_jobs)
                    {
                        _jobs.Enqueue(job);
                        Monitor.PulseAll(_jobs);
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        Action job;
                        lock (_jobs)
                        {
                            while (true)
                            {
                                if (_jobs.Count == 0)
                                {
                                    Monitor.[|Wait|](_jobs);
                                }
                                else
                                {
                                    job = _jobs.Dequeue();
                                    break;
                                }
                            }
                        }

                        job();
                    }
                }

                public void Dispose() { }
            }

            class FlaggedQueue
            {
                private readonly Queue<Action> _jobs = new Queue<Action>();
                private volatile bool _more = true;

                public FlaggedQueue()
                {
                    new Thread(Run) { IsBackground = true }.Start();
                }

                public void Schedule(Action job)
                {
                    lock (_jobs)
                    {
                        _jobs.Enqueue(job);
                        Monitor.PulseAll(_jobs);
                    }
                }

                private void Run()
                {
                    while (_more)
                    {
                        Action job;
                        lock (_jobs)
                        {
                            while (true)
                            {
                                if (_jobs.Count == 0)
                                {
                                    Monitor.[|Wait|](_jobs);
                                }
                                else
                                {
                                    job = _jobs.Dequeue();
                                    break;
                                }
                            }
                        }

                        job();
                    }
                }

                public void Finish() => _more = false;
            }

            class UnwokenQueue
            {
                private readonly Queue<Action> _jobs = new Queue<Action>();
                private readonly object _gate = new object();

                public UnwokenQueue()
                {
                    new Thread(Run) { IsBackground = true }.Start();
                }

                public void Schedule(Action job)
                {
                    lock (_jobs)
                    {
                        _jobs.Enqueue(job);
                        Monitor.PulseAll(_jobs);
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        Action job;
                        lock (_jobs)
                        {
                            while (true)
                            {
                                if (_jobs.Count == 0)
                                {
                                    Monitor.[|Wait|](_gate);
                                }
                                else
                                {
                                    job = _jobs.Dequeue();
                                    break;
                                }
                            }
                        }

                        job();
                    }
                }
            }

            class ForegroundQueue
            {
                private readonly Queue<Action> _jobs = new Queue<Action>();

                public ForegroundQueue()
                {
                    new Thread(Run).Start();
                }

                public void Schedule(Action job)
                {
                    lock (_jobs)
                    {
                        _jobs.Enqueue(job);
                        Monitor.PulseAll(_jobs);
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        Action job;
                        lock (_jobs)
                        {
                            while (true)
                            {
                                if (_jobs.Count == 0)
                                {
                                    Monitor.[|Wait|](_jobs);
                                }
                                else
                                {
                                    job = _jobs.Dequeue();
                                    break;
                                }
                            }
                        }

                        job();
                    }
                }
            }
            """);

    // Fresh set 3 (tuning): a server's thread waits on the task of its own accept loop, which runs while IsRunning;
    // Stop() clears IsRunning and stops the listener, so the loop ends and the wait with it.
    [Fact]
    public Task A_wait_on_the_types_own_loop_that_the_stop_path_ends_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            class SmtpServer
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
                private Task _core;

                public bool IsRunning { get; private set; }

                public void Start()
                {
                    _listener.Start();
                    IsRunning = true;
                    _core = Task.Run(() => Core().Wait());
                }

                public void Stop()
                {
                    IsRunning = false;
                    _listener.Stop();
                    _core.Wait(1000);
                }

                private async Task Core()
                {
                    while (IsRunning)
                    {
                        var client = await _listener.AcceptTcpClientAsync();
                        client.Close();
                    }
                }
            }
            """);

    [Fact]
    public Task A_wait_on_the_types_own_loop_that_no_stop_path_ends_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            class FlagKeptServer
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
                private Task _core;

                public bool IsRunning { get; private set; }

                public void Start()
                {
                    _listener.Start();
                    IsRunning = true;
                    _core = Task.Run(() => Core().[|Wait|]());
                }

                public void Stop()
                {
                    _listener.Stop();
                    _core.Wait(1000);
                }

                private async Task Core()
                {
                    while (IsRunning)
                    {
                        var client = await _listener.AcceptTcpClientAsync();
                        client.Close();
                    }
                }
            }

            class EndlessServer
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
                private Task _core;

                public bool IsRunning { get; private set; }

                public void Start()
                {
                    _listener.Start();
                    IsRunning = true;
                    _core = Task.Run(() => Core().[|Wait|]());
                }

                public void Stop()
                {
                    IsRunning = false;
                    _listener.Stop();
                    _core.Wait(1000);
                }

                private async Task Core()
                {
                    while (true)
                    {
                        var client = await _listener.AcceptTcpClientAsync();
                        client.Close();
                    }
                }
            }
            """);
    /// <summary>
    /// Fresh set 6 (a tile queue): <c>Dispose()</c> queues one stop request per worker through a method that only forwards
    /// to the one that queues a batch and sets the event the workers wait on. The look-alike's forwarder leads to a
    /// method that sets another event.
    /// </summary>
    [Fact]
    public Task A_wait_the_stop_path_ends_through_a_forwarding_own_method_is_not_reported_but_one_forwarded_to_another_signal_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class TileQueue
            {
                private readonly Queue<object> _items = new();
                private readonly ManualResetEvent _nonEmpty = new(false);

                public void Dispose()
                {
                    for (var i = 0; i < 4; i++)
                    {
                        Post(null);
                    }
                }

                public void Post(object item)
                {
                    PostAll(new[] { item });
                }

                private void PostAll(object[] items)
                {
                    lock (_items)
                    {
                        foreach (var item in items) _items.Enqueue(item);
                        _nonEmpty.Set();
                    }
                }

                void Work()
                {
                    while (true)
                    {
                        _nonEmpty.WaitOne();
                        lock (_items)
                        {
                            if (_items.Count > 0 && _items.Dequeue() is null) break;
                        }
                    }
                }
            }

            class OtherSignalQueue
            {
                private readonly Queue<object> _items = new();
                private readonly ManualResetEvent _nonEmpty = new(false);
                private readonly ManualResetEvent _posted = new(false);

                public void Dispose() => Post(null);

                public void Post(object item) => PostAll(new[] { item });

                private void PostAll(object[] items)
                {
                    lock (_items) { foreach (var item in items) _items.Enqueue(item); }
                    _posted.Set();
                }

                void Work()
                {
                    while (true)
                    {
                        _nonEmpty.[|WaitOne|]();
                        lock (_items)
                        {
                            if (_items.Count > 0 && _items.Dequeue() is null) break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task A_wait_the_stop_path_ends_through_an_own_method_a_null_check_or_a_field_of_another_object_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class SaveQueue
            {
                private readonly Queue<string> _items = new();
                private readonly AutoResetEvent _ready = new(false);

                public void Save(string item) => Enqueue(item);

                public void Dispose() => Enqueue(null);

                private void Enqueue(string item)
                {
                    lock (_items) { _items.Enqueue(item); }
                    _ready.Set();
                }

                void Run()
                {
                    while (true)
                    {
                        lock (_items)
                        {
                            while (_items.Count > 0)
                            {
                                if (_items.Dequeue() is null) return;
                            }
                        }

                        _ready.WaitOne();
                    }
                }
            }

            class Grabber
            {
                private ManualResetEvent _stopped;

                void Grab()
                {
                    _stopped?.WaitOne();
                }

                public void Stop()
                {
                    _stopped?.Set();
                }
            }

            class Connection
            {
                private readonly Reader _reader = new();
                private volatile bool _connected = true;

                public string ReadLine()
                {
                    while (_connected && _reader.Lines.Count == 0)
                    {
                        _reader.Queued.WaitOne();
                    }

                    return _connected ? _reader.Lines.Dequeue() : null;
                }

                public void Disconnect()
                {
                    _connected = false;
                    _reader.Queued.Set();
                }

                class Reader
                {
                    public readonly Queue<string> Lines = new();
                    public readonly AutoResetEvent Queued = new(false);
                }
            }
            """);

    [Fact]
    public Task A_wait_the_stop_path_wakes_only_for_another_field_or_another_owner_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class SaveQueue
            {
                private readonly Queue<string> _items = new();
                private readonly AutoResetEvent _ready = new(false);
                private readonly AutoResetEvent _flushed = new(false);

                public void Save(string item) => Enqueue(item);

                public void Dispose() => Flush();

                private void Enqueue(string item)
                {
                    lock (_items) { _items.Enqueue(item); }
                    _ready.Set();
                }

                private void Flush() => _flushed.Set();

                void Run()
                {
                    while (true)
                    {
                        _ready.{|#0:WaitOne|}();
                    }
                }
            }

            class Grabber
            {
                private ManualResetEvent _frame;

                void Grab()
                {
                    while (true)
                    {
                        _frame?.{|#1:WaitOne|}();
                    }
                }

                public void Stop()
                {
                    _frame?.Reset();
                }
            }

            class Connection
            {
                private readonly Pump _reader = new();
                private readonly Pump _writer = new();
                private volatile bool _connected = true;

                public void WriteLoop()
                {
                    while (_connected)
                    {
                        _writer.Queued.{|#2:WaitOne|}();
                    }
                }

                public void Disconnect()
                {
                    _connected = false;
                    _reader.Queued.Set();
                }

                class Pump
                {
                    public readonly AutoResetEvent Queued = new(false);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_ready.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_frame?.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(2).WithArguments("_writer.Queued.WaitOne()", "loop"));
    [Fact]
    public Task WaitForExit_after_the_process_output_was_read_to_its_end_is_not_reported_but_before_it_or_for_another_process_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.Threading.Tasks;

            class Tool
            {
                void Read(ProcessStartInfo info)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        using (var reader = process.StandardOutput)
                        {
                            var output = reader.ReadToEnd();
                            process.WaitForExit();
                        }
                    });
                }

                void Strip(ProcessStartInfo info)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        var error = process.StandardError.ReadToEnd();
                        process.WaitForExit();
                    });
                }

                void Before(ProcessStartInfo info)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        process.{|#0:WaitForExit|}();
                        var output = process.StandardOutput.ReadToEnd();
                    });
                }

                void Another(ProcessStartInfo info, Process other)
                {
                    Task.Run(() =>
                    {
                        using var process = Process.Start(info);
                        var output = other.StandardOutput.ReadToEnd();
                        process.{|#1:WaitForExit|}();
                    });
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("process.WaitForExit()", "thread"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("process.WaitForExit()", "thread"));
    [Fact]
    public Task A_one_shot_wait_that_leaves_its_loop_or_a_monitor_another_task_of_the_function_pulses_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class Batches
            {
                private readonly CountdownEvent _started = new(3);

                public void Handle(IEnumerable<int> items, bool last)
                {
                    _started.Signal();
                    foreach (var item in Items(items))
                    {
                        if (last && item == 2)
                        {
                            _started.Wait();
                            throw new InvalidOperationException("fail once all started");
                        }
                    }
                }

                private static IEnumerable<int> Items(IEnumerable<int> items) => items;
            }

            class Latency
            {
                public void Run()
                {
                    var gate = new object();
                    var consumer = Task.Run(() =>
                    {
                        Assigned(() => { lock (gate) { Monitor.Pulse(gate); } });
                    });
                    var producer = Task.Run(() =>
                    {
                        lock (gate) { Monitor.Wait(gate); }
                    });
                    Task.WaitAll(consumer, producer);
                }

                private static void Assigned(Action handler) => handler();
            }
            """);

    [Fact]
    public Task A_wait_its_loop_comes_back_to_or_a_monitor_only_its_own_task_pulses_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class Batches
            {
                private readonly AutoResetEvent _ready = new(false);

                public void Handle(IEnumerable<int> items)
                {
                    while (true)
                    {
                        foreach (var item in Items(items))
                        {
                            if (item == 2)
                            {
                                _ready.{|#0:WaitOne|}();
                                break;
                            }
                        }
                    }
                }

                public void Each(IEnumerable<int> items)
                {
                    foreach (var item in Items(items))
                    {
                        if (item == 2)
                        {
                            _ready.{|#1:WaitOne|}();
                            if (item > 0) continue;
                            return;
                        }
                    }
                }

                private static IEnumerable<int> Items(IEnumerable<int> items) => items;
            }

            class Latency
            {
                public void Run()
                {
                    var gate = new object();
                    var producer = Task.Run(() =>
                    {
                        lock (gate) { Monitor.{|#2:Wait|}(gate); }
                        lock (gate) { Monitor.Pulse(gate); }
                    });
                    producer.Wait();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_ready.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_ready.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(2).WithArguments("Monitor.Wait()", "thread"));
    [Fact]
    public Task A_receive_on_a_socket_given_a_receive_timeout_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class Request
            {
                public TcpClient Client;
            }

            class Server
            {
                private readonly Socket _control = new(SocketType.Stream, ProtocolType.Tcp);

                void Accepted(TcpClient client)
                {
                    var socket = client.Client;
                    socket.ReceiveTimeout = socket.SendTimeout = 4000;
                    var request = new Request { Client = client };
                    new Thread(() => Talk(request)).Start();
                }

                void Talk(Request request)
                {
                    var buffer = new byte[1024];
                    while (request.Client.Client.Connected)
                    {
                        request.Client.Client.Receive(buffer);
                    }
                }

                void Control()
                {
                    _control.ReceiveTimeout = 5000;
                    var buffer = new byte[16];
                    while (true)
                    {
                        _control.Receive(buffer);
                    }
                }

                void Local(Socket accepted)
                {
                    var socket = accepted;
                    socket.ReceiveTimeout = 1000;
                    var buffer = new byte[16];
                    while (true)
                    {
                        socket.Receive(buffer);
                    }
                }
            }
            """);

    [Fact]
    public Task A_receive_on_a_socket_with_no_or_an_infinite_receive_timeout_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class Request
            {
                public TcpClient Client;
            }

            class Server
            {
                private readonly Socket _control = new(SocketType.Stream, ProtocolType.Tcp);

                void Talk(Request request)
                {
                    var buffer = new byte[1024];
                    while (request.Client.Client.Connected)
                    {
                        request.Client.Client.{|#0:Receive|}(buffer);
                    }
                }

                void Control()
                {
                    _control.ReceiveTimeout = Timeout.Infinite;
                    var buffer = new byte[16];
                    while (true)
                    {
                        _control.{|#1:Receive|}(buffer);
                    }
                }

                void Configure(Socket socket) => socket.ReceiveTimeout = 1000;

                void Local(Socket socket)
                {
                    var buffer = new byte[16];
                    while (true)
                    {
                        socket.{|#2:Receive|}(buffer);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("request.Client.Client.Receive()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_control.Receive()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(2).WithArguments("socket.Receive()", "loop"));

    [Fact]
    public Task A_windows_closing_handler_is_on_the_stop_path_but_a_handler_of_another_event_is_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.ComponentModel;
            using System.Threading;

            class StatusWindow
            {
                private readonly AutoResetEvent _wakeup = new(false);
                private readonly AutoResetEvent _refresh = new(false);
                private volatile bool _shouldStop;

                public void Open() => new Thread(StatusLoop).Start();

                private void OnStatusWindowClosing(object sender, CancelEventArgs e)
                {
                    _shouldStop = true;
                    _wakeup.Set();
                }

                private void OnStatusWindowActivated(object sender, EventArgs e) => _refresh.Set();

                private void StatusLoop()
                {
                    while (!_shouldStop)
                    {
                        _wakeup.WaitOne();
                        _refresh.{|#0:WaitOne|}();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_refresh.WaitOne()", "loop"));

    [Fact]
    public Task A_stop_path_that_takes_the_event_into_a_local_before_setting_it_ends_the_wait_but_one_setting_another_event_does_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class MockServer : IDisposable
            {
                private ManualResetEvent? _messageAvailable = new(false);
                private AutoResetEvent? _broadcastAvailable = new(false);
                private readonly AutoResetEvent _other = new(false);
                private readonly AutoResetEvent? _spare = new(false);
                private volatile bool _disposed;

                public void Start()
                {
                    Task.Run(() =>
                    {
                        while (!_disposed)
                        {
                            _messageAvailable?.WaitOne();
                            _broadcastAvailable?.WaitOne();
                            _other.{|#0:WaitOne|}();
                            _spare?.{|#1:WaitOne|}();
                        }
                    });
                }

                public void Dispose()
                {
                    _disposed = true;
                    var signal = _messageAvailable;
                    _messageAvailable = null;
                    signal?.Set();
                    var broadcast = Interlocked.Exchange(ref _broadcastAvailable, null);
                    broadcast?.Set();
                    var other = new AutoResetEvent(false);
                    other.Set();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_other.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_spare?.WaitOne()", "loop"));

    [Fact]
    public Task A_wait_on_a_local_copy_of_the_event_is_not_taken_for_a_wait_on_the_field() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class MockSocket : IDisposable
            {
                private ManualResetEvent? _available = new(false);

                public Task ReceiveAsync() => Task.Run(() =>
                {
                    var signal = _available;
                    signal?.{|#0:WaitOne|}();
                });

                public void ThrowSocketClosedException() => _available?.Set();

                public void Dispose()
                {
                    var available = _available;
                    _available = null;
                    available?.Dispose();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("signal?.WaitOne()", "thread"));
}
