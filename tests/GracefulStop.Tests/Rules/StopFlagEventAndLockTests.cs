using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags set by an event handler that the loop raises itself (validation class 17, LiteNetLib tests), and flags read
/// under a lock taken with <c>using</c> (validation class 18, AsyncEx <c>AsyncCollection</c>).
/// </summary>
public sealed partial class StopFlagTests
{
    /// <summary>The shape of LiteNetLib: a listener whose events the manager raises inside <c>PollEvents()</c>.</summary>
    private const string PollingLibrary =
        """
        namespace Net
        {
            public delegate void ReceiveHandler(int peer, byte[] data);

            public interface INetListener { }

            public class EventListener : INetListener
            {
                public event ReceiveHandler? ReceiveEvent;
                public event System.Action<int>? DisconnectedEvent;
                public void ClearEvents() { ReceiveEvent = null; DisconnectedEvent = null; }
                internal void Raise() { ReceiveEvent?.Invoke(0, new byte[0]); DisconnectedEvent?.Invoke(0); }
            }

            public class NetManager
            {
                private readonly INetListener _listener;
                public NetManager(INetListener listener) => _listener = listener;
                public int ConnectedPeersCount => 0;
                public void PollEvents() => ((EventListener)_listener).Raise();
                public void Connect(string host) { }
            }

            public class ManagerStack
            {
                private readonly EventListener _listener = new EventListener();
                public NetManager Client(int id) => new NetManager(_listener);
                public EventListener ClientListener(int id) => _listener;
            }
        }

        """;

    [Fact]
    public Task Captured_local_set_by_a_handler_of_an_event_the_loop_raises_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            PollingLibrary +
            """
            namespace Tests
            {
                using System.Threading;
                using Net;

                public class CommunicationTest
                {
                    public ManagerStack ManagerStack { get; } = new ManagerStack();

                    // LiteNetLib CommunicationTest.ConnectionFailedTest: listener and manager come from a helper.
                    public void ConnectionFailedTest()
                    {
                        NetManager client = ManagerStack.Client(1);
                        var result = false;
                        ManagerStack.ClientListener(1).DisconnectedEvent += peer => { result = true; };
                        client.Connect("127.0.0.2");
                        while (!result)
                        {
                            Thread.Sleep(15);
                            client.PollEvents();
                        }
                    }

                    // LiteNetLib ConnectAfterDisconnectWithSamePort: the manager is constructed with the listener.
                    public void ConstructedWithTheListener()
                    {
                        var listener = new EventListener();
                        var client = new NetManager(listener);
                        bool msgDelivered = false, msgReceived = false;
                        listener.ReceiveEvent += (peer, data) => msgReceived = true;
                        listener.DisconnectedEvent += peer => msgDelivered = true;
                        while (client.ConnectedPeersCount != 1 || !msgDelivered || !msgReceived)
                        {
                            Thread.Sleep(15);
                            client.PollEvents();
                        }
                    }

                    // The loop calls a method of the object whose event it is.
                    public void CallsTheEventSource()
                    {
                        var listener = new EventListener();
                        var cleared = false;
                        listener.DisconnectedEvent += peer => cleared = true;
                        while (!cleared)
                        {
                            listener.ClearEvents();
                        }
                    }

                    // A local function attached with += and used nowhere else.
                    public void LocalFunctionHandler()
                    {
                        var listener = new EventListener();
                        var client = new NetManager(listener);
                        var done = false;
                        listener.DisconnectedEvent += OnDisconnected;
                        while (!done)
                        {
                            client.PollEvents();
                        }

                        listener.DisconnectedEvent -= OnDisconnected;

                        void OnDisconnected(int peer) => done = true;
                    }
                }

                // A field written by a private method attached to the listener's event, the loop polls the manager.
                public class Client
                {
                    private readonly EventListener _listener = new EventListener();
                    private readonly NetManager _manager;
                    private bool _connected;

                    public Client()
                    {
                        _manager = new NetManager(_listener);
                        _listener.DisconnectedEvent += OnDisconnected;
                        _connected = true;
                    }

                    public void WaitForDisconnect()
                    {
                        while (_connected)
                        {
                            Thread.Sleep(15);
                            _manager.PollEvents();
                        }
                    }

                    private void OnDisconnected(int peer) => _connected = false;
                }
            }
            """);

    [Fact]
    public Task Captured_local_set_by_an_event_handler_is_reported_when_the_loop_does_not_raise_the_event() =>
        Verify.VerifyAnalyzerAsync(
            PollingLibrary +
            """
            namespace Tests
            {
                using System;
                using System.Threading;
                using Net;

                public class Samples
                {
                    // LiteNetLib NtpTest: the loop calls nothing on the manager, the event comes from its receive thread.
                    public void NtpTest()
                    {
                        var {|#0:ntpComplete|} = false;
                        var listener = new EventListener();
                        listener.DisconnectedEvent += peer => {|#1:ntpComplete|} = true;
                        var manager = new NetManager(listener);
                        manager.Connect("pool.ntp.org");
                        while (!{|#2:ntpComplete|})
                        {
                            Thread.Yield();
                        }
                    }

                    // A framework event (a console signal) with a static call on its type in the loop.
                    public void CancelKey()
                    {
                        var {|#3:stop|} = false;
                        Console.CancelKeyPress += (s, e) => {|#4:stop|} = true;
                        while (!{|#5:stop|})
                        {
                            Console.WriteLine("working");
                        }
                    }

                    // A framework event: the timer raises Elapsed on the thread pool, whatever the loop calls on it.
                    public void Timer()
                    {
                        var {|#6:elapsed|} = false;
                        var timer = new System.Timers.Timer(100);
                        timer.Elapsed += (s, e) => {|#7:elapsed|} = true;
                        timer.Start();
                        while (!{|#8:elapsed|})
                        {
                            timer.Start();
                        }
                    }

                    // The handler also runs as a thread's work.
                    public void HandlerAlsoStartedOnAThread()
                    {
                        var listener = new EventListener();
                        var client = new NetManager(listener);
                        var {|#9:done|} = false;
                        listener.DisconnectedEvent += OnDisconnected;
                        new Thread(() => OnDisconnected(0)).Start();
                        while (!{|#10:done|})
                        {
                            client.PollEvents();
                        }

                        void OnDisconnected(int peer) => {|#11:done|} = true;
                    }

                    // Attached to one listener, the loop polls a manager of another type.
                    public void UnrelatedReceiver()
                    {
                        var listener = new EventListener();
                        var {|#12:received|} = false;
                        listener.ReceiveEvent += (peer, data) => {|#13:received|} = true;
                        var sb = new System.Text.StringBuilder();
                        while (!{|#14:received|})
                        {
                            sb.Clear();
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(2).WithLocation(1)
                .WithArguments("ntpComplete", "NtpTest", "lambda in NtpTest"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(5).WithLocation(4)
                .WithArguments("stop", "CancelKey", "lambda in CancelKey"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(6).WithLocation(8).WithLocation(7)
                .WithArguments("elapsed", "Timer", "lambda in Timer"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(9).WithLocation(10).WithLocation(11)
                .WithArguments("done", "HandlerAlsoStartedOnAThread", "OnDisconnected"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(12).WithLocation(14).WithLocation(13)
                .WithArguments("received", "UnrelatedReceiver", "lambda in UnrelatedReceiver"));

    [Fact]
    public Task Field_set_by_a_public_handler_or_a_thread_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            PollingLibrary +
            """
            namespace Tests
            {
                using System.Threading;
                using System.Threading.Tasks;
                using Net;

                public class Client
                {
                    private readonly EventListener _listener = new EventListener();
                    private readonly NetManager _manager;
                    private bool {|#0:_connected|};

                    public Client()
                    {
                        _manager = new NetManager(_listener);
                        _listener.DisconnectedEvent += OnDisconnected;
                        Task.Run(() => {|#1:_connected|} = false);
                    }

                    public void WaitForDisconnect()
                    {
                        while ({|#2:_connected|})
                        {
                            _manager.PollEvents();
                        }
                    }

                    public void OnDisconnected(int peer) => {|#3:_connected|} = false;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(2).WithLocation(1).WithLocation(3)
                .WithArguments("_connected", "WaitForDisconnect", "lambda in Client constructor"));

    /// <summary>The shape of AsyncEx: an async lock whose Lock()/LockAsync() return the releaser.</summary>
    private const string AsyncLockLibrary =
        """
        namespace Locks
        {
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            public sealed class AsyncLock
            {
                public IDisposable Lock() => new Releaser();
                public Task<IDisposable> LockAsync() => Task.FromResult<IDisposable>(new Releaser());
                private sealed class Releaser : IDisposable { public void Dispose() { } }
            }

            public static class SemaphoreExtensions
            {
                public static async Task<IDisposable> LockAsync(this SemaphoreSlim semaphore)
                {
                    await semaphore.WaitAsync();
                    return new Releaser(semaphore);
                }

                private sealed class Releaser : IDisposable
                {
                    private readonly SemaphoreSlim _semaphore;
                    public Releaser(SemaphoreSlim semaphore) => _semaphore = semaphore;
                    public void Dispose() => _semaphore.Release();
                }
            }

            public sealed class AsyncConditionVariable
            {
                public AsyncConditionVariable(AsyncLock mutex) { }
                public void Wait(CancellationToken token) { }
                public Task WaitAsync(CancellationToken token) => Task.CompletedTask;
                public void NotifyAll() { }
            }

            public sealed class Scope : IDisposable { public void Dispose() { } }
        }

        """;

    [Fact]
    public Task Flag_read_and_written_under_an_async_lock_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            AsyncLockLibrary +
            """
            namespace Collections
            {
                using System.Collections.Generic;
                using System.Threading;
                using System.Threading.Tasks;
                using Locks;

                // AsyncEx AsyncCollection: every access to _completed holds _mutex.
                public sealed class AsyncCollection<T>
                {
                    private readonly Queue<T> _items = new Queue<T>();
                    private readonly AsyncLock _mutex = new AsyncLock();
                    private readonly AsyncConditionVariable _completedOrNotEmpty;
                    private bool _completed;

                    public AsyncCollection() => _completedOrNotEmpty = new AsyncConditionVariable(_mutex);

                    private bool Empty => _items.Count == 0;

                    public void CompleteAdding()
                    {
                        using (_mutex.Lock())
                        {
                            _completed = true;
                            _completedOrNotEmpty.NotifyAll();
                        }
                    }

                    private async Task<bool> DoOutputAvailableAsync(CancellationToken cancellationToken, bool sync)
                    {
                        using (sync ? _mutex.Lock() : await _mutex.LockAsync().ConfigureAwait(false))
                        {
                            while (Empty && !_completed)
                            {
                                if (sync)
                                    _completedOrNotEmpty.Wait(cancellationToken);
                                else
                                    await _completedOrNotEmpty.WaitAsync(cancellationToken).ConfigureAwait(false);
                            }

                            return !Empty;
                        }
                    }
                }

                // A using declaration and a lock taken from a SemaphoreSlim through an extension method.
                public sealed class Pump
                {
                    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);
                    private bool _stop;

                    public async Task RunAsync()
                    {
                        while (true)
                        {
                            using var held = await _gate.LockAsync();
                            if (_stop) break;
                        }
                    }

                    public async Task StopAsync()
                    {
                        using (await _gate.LockAsync())
                        {
                            _stop = true;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Flag_read_outside_the_async_lock_or_under_a_using_that_is_no_lock_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            AsyncLockLibrary +
            """
            namespace Collections
            {
                using System.Threading.Tasks;
                using Locks;

                public sealed class ReadOutside
                {
                    private readonly AsyncLock _mutex = new AsyncLock();
                    private bool {|#0:_completed|};

                    public async Task RunAsync()
                    {
                        while (!{|#1:_completed|})
                        {
                            using (await _mutex.LockAsync())
                            {
                                await Task.Yield();
                            }
                        }
                    }

                    public void Complete()
                    {
                        using (_mutex.Lock())
                        {
                            {|#2:_completed|} = true;
                        }
                    }
                }

                public sealed class NotALock
                {
                    private bool {|#3:_stop|};

                    public void Run()
                    {
                        using (new Scope())
                        {
                            while (!{|#4:_stop|})
                            {
                            }
                        }
                    }

                    public void Stop()
                    {
                        using (new Scope())
                        {
                            {|#5:_stop|} = true;
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_completed", "RunAsync", "Complete"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5)
                .WithArguments("_stop", "Run", "Stop"));

    /// <summary>The shape of SteamKit's samples: handlers subscribed to a manager that runs them inside <c>RunWaitCallbacks</c>.</summary>
    [Fact]
    public Task Flag_set_by_a_handler_handed_to_the_object_the_loop_pumps_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class CallbackManager
            {
                public void Subscribe<T>(Action<T> handler) { }
                public void RunWaitCallbacks(TimeSpan timeout) { }
            }

            class Program
            {
                static void Main()
                {
                    var manager = new CallbackManager();
                    var isRunning = true;
                    manager.Subscribe<string>(OnDisconnected);
                    manager.Subscribe<int>(_ => isRunning = false);

                    while (isRunning)
                    {
                        manager.RunWaitCallbacks(TimeSpan.FromSeconds(1));
                    }

                    void OnDisconnected(string reason) => isRunning = false;
                }

                static void Elsewhere(CallbackManager other)
                {
                    var {|#0:running|} = true;
                    var pumped = new CallbackManager();
                    other.Subscribe<string>(_ => {|#2:running|} = false);
                    new Thread(() => { while ({|#1:running|}) { pumped.RunWaitCallbacks(TimeSpan.FromSeconds(1)); } }).Start();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("running", "lambda in Elsewhere", "lambda in Elsewhere"));

    /// <summary>
    /// Fresh set 4, a Kafka test: the handler is set on a builder, and the consumer it builds runs it inside
    /// <c>Consume</c>, on the loop's thread. The look-alike hands the handler to another consumer's builder.
    /// </summary>
    [Fact]
    public Task Flag_set_by_a_handler_given_to_the_builder_of_the_object_the_loop_calls_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            interface IConsumer : IDisposable
            {
                void Consume(TimeSpan timeout);
            }

            class ConsumerBuilder
            {
                public ConsumerBuilder(string config) { }
                public ConsumerBuilder SetAssignedHandler(Action<IConsumer, int> handler) => this;
                public ConsumerBuilder SetErrorHandler(Action<string> handler) => this;
                public IConsumer Build() => null!;
            }

            class Tests
            {
                private IConsumer? _consumer;

                void Assigned()
                {
                    var assigned = false;
                    using (var consumer = new ConsumerBuilder("cfg")
                        .SetAssignedHandler((c, p) => { assigned = true; })
                        .SetErrorHandler(_ => { })
                        .Build())
                    {
                        while (!assigned)
                        {
                            consumer.Consume(TimeSpan.FromSeconds(1));
                        }
                    }
                }

                void AssignedField()
                {
                    var assigned = false;
                    _consumer = new ConsumerBuilder("cfg").SetAssignedHandler((c, p) => assigned = true).Build();
                    while (!assigned)
                    {
                        _consumer.Consume(TimeSpan.FromSeconds(1));
                    }
                }

                void OtherConsumer(IConsumer polled)
                {
                    var {|#0:assigned|} = false;
                    using var consumer = new ConsumerBuilder("cfg").SetAssignedHandler((c, p) => {|#2:assigned|} = true).Build();
                    new Thread(() => consumer.Consume(TimeSpan.FromSeconds(1))).Start();
                    while (!{|#1:assigned|})
                    {
                        polled.Consume(TimeSpan.FromSeconds(1));
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("assigned", "OtherConsumer", "lambda in OtherConsumer"));

    /// <summary>Fresh set 3, Jabber-Net's XEP124Socket; the look-alike is cscore's BufferSource, whose Sleep branch skips the lock.</summary>
    [Fact]
    public Task Flag_read_again_under_a_lock_the_loop_takes_every_iteration_is_not_reported_unless_an_iteration_can_skip_it() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class Poller
            {
                private readonly Queue<string> _queue = new();
                private bool _running;

                public void Open()
                {
                    lock (_queue)
                    {
                        _running = true;
                        new Thread(Process).Start();
                    }
                }

                private void Process()
                {
                    while (_running)
                    {
                        lock (_queue)
                        {
                            while (_queue.Count == 0)
                            {
                                Monitor.Wait(_queue);
                                if (!_running) return;
                            }

                            _queue.Dequeue();
                        }
                    }
                }

                public void Close()
                {
                    lock (_queue)
                    {
                        _running = false;
                    }
                }

                public void Reset() => _running = false;
            }

            class Buffer
            {
                private readonly object _gate = new();
                private bool {|#0:_disposing|};
                private int _buffered;

                public void Start() => new Thread(Fill).Start();

                private void Fill()
                {
                    do
                    {
                        if (_buffered > 100)
                        {
                            Thread.Sleep(50);
                            continue;
                        }

                        lock (_gate)
                        {
                            if (_disposing) return;
                            _buffered++;
                        }
                    }
                    while (!{|#1:_disposing|});
                }

                public void Dispose() => {|#2:_disposing|} = true;
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_disposing", "Fill", "Dispose"));

    [Fact]
    public Task Flag_written_under_the_lock_that_the_loop_takes_every_iteration_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class DeferredWriter
            {
                private readonly Queue<string> _queue = new();
                private readonly AutoResetEvent _queued = new(false);
                private bool _disposed;
                private bool _closed;

                public void Start() => new Thread(Drain).Start();

                public void Dispose()
                {
                    Monitor.Enter(this);
                    try
                    {
                        _disposed = true;
                    }
                    finally
                    {
                        Monitor.Exit(this);
                    }
                }

                public void Close()
                {
                    lock (_queue)
                    {
                        _closed = true;
                    }
                }

                private void Drain()
                {
                    while (!_disposed)
                    {
                        string item = null;
                        Monitor.Enter(this);
                        try
                        {
                            if (_queue.Count > 0) item = _queue.Dequeue();
                        }
                        finally
                        {
                            Monitor.Exit(this);
                        }

                        if (item == null) _queued.WaitOne(100);
                    }

                    while (!_closed)
                    {
                        lock (_queue)
                        {
                            _queue.Clear();
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Flag_written_under_another_lock_than_the_loop_takes_or_after_a_skippable_lock_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class DeferredWriter
            {
                private readonly Queue<string> _queue = new();
                private readonly object _stateGate = new();
                private bool {|#0:_disposed|};
                private bool {|#3:_closed|};

                public void Start() => new Thread(Drain).Start();

                public void Dispose()
                {
                    lock (_stateGate)
                    {
                        {|#2:_disposed|} = true;
                    }
                }

                public void Close()
                {
                    lock (_queue)
                    {
                        {|#5:_closed|} = true;
                    }
                }

                private void Drain()
                {
                    while (!{|#1:_disposed|})
                    {
                        lock (_queue)
                        {
                            _queue.Clear();
                        }
                    }

                    while (!{|#4:_closed|})
                    {
                        if (_queue.Count == 0)
                        {
                            Thread.Sleep(10);
                            continue;
                        }

                        lock (_queue)
                        {
                            _queue.Clear();
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_disposed", "Drain", "Dispose"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_closed", "Drain", "Close"));
}
