using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallCanWaitForeverAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallCanWaitForeverCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Waits the owner ends in ways the stop model learned in session 15: a local reused for a second field, a close or a
/// CompleteAdding from any member, a collection handed to the consumer as a parameter, an <c>OnDisposing</c> hook.
/// </summary>
public sealed partial class BlockingCallCanWaitForeverAnalyzerTests
{
    [Fact]
    public Task A_stop_path_that_reuses_one_local_for_two_events_ends_both_waits() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class MockServer : IDisposable
            {
                private ManualResetEvent? _broadcastAvailable = new(false);
                private ManualResetEvent? _messageAvailable = new(false);
                private volatile bool _disposed;

                public void Listen()
                {
                    Task.Run(() =>
                    {
                        while (!_disposed)
                        {
                            _broadcastAvailable?.WaitOne();
                            _messageAvailable?.WaitOne();
                        }
                    });
                }

                public void Dispose()
                {
                    _disposed = true;
                    var signal = _broadcastAvailable;
                    _broadcastAvailable = null;
                    if (signal != null)
                    {
                        signal.Set();
                        signal.Dispose();
                    }

                    signal = _messageAvailable;
                    _messageAvailable = null;
                    if (signal != null)
                    {
                        signal.Set();
                        signal.Dispose();
                    }
                }
            }
            """);

    /// <summary>The look-alike: the local may hold another event where it is set (a branch reassigns it), so the first field is not followed.</summary>
    [Fact]
    public Task A_local_that_a_branch_may_reassign_before_the_set_is_not_followed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class MockServer : IDisposable
            {
                private ManualResetEvent? _broadcastAvailable = new(false);
                private ManualResetEvent? _messageAvailable = new(false);
                private readonly ManualResetEvent _spare = new(false);
                private volatile bool _disposed;

                public void Listen()
                {
                    Task.Run(() =>
                    {
                        while (!_disposed)
                        {
                            _broadcastAvailable?.WaitOne();
                            _messageAvailable?.{|#0:WaitOne|}();
                        }
                    });
                }

                public void Dispose()
                {
                    _disposed = true;
                    var signal = _broadcastAvailable;
                    signal?.Set();
                    signal = _messageAvailable;
                    if (_disposed)
                    {
                        signal = _spare;
                    }

                    signal?.Set();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_messageAvailable?.WaitOne()", "loop"));

    [Fact]
    public Task An_accept_whose_listener_another_member_stops_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            class MockDaemon
            {
                private TcpListener Listener { get; set; } = new TcpListener(IPAddress.Loopback, 0);

                public void Start()
                {
                    Listener.Start();
                    Task.Run(() => Listen());
                }

                private void Listen()
                {
                    while (true)
                    {
                        TcpClient client;
                        try
                        {
                            client = Listener.AcceptTcpClient();
                        }
                        catch
                        {
                            break;
                        }

                        Task.Run(() => Handle(client));
                    }
                }

                private void Handle(TcpClient client)
                {
                    client.GetStream().ReadByte();
                    Listener.Stop();
                    client.Close();
                }
            }
            """);

    /// <summary>The look-alike: the only Stop() of the listener is in the waiting method itself, after its loop.</summary>
    [Fact]
    public Task An_accept_whose_listener_only_the_waiting_method_stops_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;

            class Server
            {
                private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
                private volatile bool _listening = true;

                public void Start() => Task.Run(() => Listen());

                public void StopListening() => _listening = false;

                private void Listen()
                {
                    while (_listening)
                    {
                        try
                        {
                            _listener.{|#0:AcceptTcpClient|}().Close();
                        }
                        catch
                        {
                        }
                    }

                    _listener.Stop();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_listener.AcceptTcpClient()", "loop"));

    [Fact]
    public Task A_take_on_a_collection_passed_as_a_parameter_that_the_caller_completes_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class SaveStrategy
            {
                private readonly BlockingCollection<string> _items = new();
                private readonly BlockingCollection<string> _mobiles = new();

                public Task SaveItems(string[] items)
                {
                    var commit = StartCommitTask(_items);
                    foreach (var item in items)
                    {
                        _items.Add(item);
                    }

                    _items.CompleteAdding();
                    return commit;
                }

                public Task SaveMobiles(string[] mobiles)
                {
                    var commit = StartCommitTask(_mobiles);
                    Parallel.ForEach(mobiles, mobile => _mobiles.Add(mobile));
                    _mobiles.CompleteAdding();
                    return commit;
                }

                private Task StartCommitTask(BlockingCollection<string> writer)
                {
                    return Task.Factory.StartNew(() =>
                    {
                        while (!writer.IsCompleted)
                        {
                            string next;
                            try
                            {
                                next = writer.Take();
                            }
                            catch (InvalidOperationException)
                            {
                                break;
                            }

                            Console.WriteLine(next);
                        }
                    });
                }
            }
            """);

    /// <summary>The look-alike: one of the collections the callers pass is never completed.</summary>
    [Fact]
    public Task A_take_on_a_parameter_one_caller_passes_a_collection_nobody_completes_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class SaveStrategy
            {
                private readonly BlockingCollection<string> _items = new();
                private readonly BlockingCollection<string> _guilds = new();

                public Task SaveItems(string item)
                {
                    var commit = StartCommitTask(_items);
                    _items.Add(item);
                    _items.CompleteAdding();
                    return commit;
                }

                public Task SaveGuilds(string guild)
                {
                    var commit = StartCommitTask(_guilds);
                    _guilds.Add(guild);
                    return commit;
                }

                private Task StartCommitTask(BlockingCollection<string> writer)
                {
                    return Task.Factory.StartNew(() =>
                    {
                        while (!writer.IsCompleted)
                        {
                            Console.WriteLine(writer.{|#0:Take|}());
                        }
                    });
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("writer.Take()", "loop"));

    [Fact]
    public Task An_event_set_by_a_method_the_OnDisposing_hook_calls_ends_the_wait() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            abstract class Worker
            {
                protected abstract void OnDisposing();
            }

            sealed class CommandManager : Worker
            {
                private readonly ManualResetEventSlim _priorityDone = new(true);

                public Task<bool> Queue()
                {
                    _priorityDone.Reset();
                    var task = new Task<bool>(() =>
                    {
                        _priorityDone.Wait();
                        return true;
                    });
                    task.Start();
                    return task;
                }

                private void ClearPriorityCommands()
                {
                    lock (_priorityDone)
                    {
                        _priorityDone.Set();
                    }
                }

                protected override void OnDisposing() => ClearPriorityCommands();
            }
            """);

    /// <summary>The look-alike: the same method is called only from a hook that does not stop (pausing).</summary>
    [Fact]
    public Task An_event_set_only_from_a_pausing_hook_does_not_end_the_wait() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            sealed class CommandManager
            {
                private readonly ManualResetEventSlim _priorityDone = new(true);

                public Task<bool> Queue()
                {
                    _priorityDone.Reset();
                    var task = new Task<bool>(() =>
                    {
                        _priorityDone.{|#0:Wait|}();
                        return true;
                    });
                    task.Start();
                    return task;
                }

                private void ClearPriorityCommands()
                {
                    lock (_priorityDone)
                    {
                        _priorityDone.Set();
                    }
                }

                private void OnPausing() => ClearPriorityCommands();
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_priorityDone.Wait()", "thread"));

    [Fact]
    public Task A_consumer_that_returns_on_the_sentinel_its_queue_delivers_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections;
            using System.Threading;

            class CommandQueue
            {
                private readonly Queue _queue = Queue.Synchronized(new Queue());
                private readonly ManualResetEvent _sync = new(true);

                public CommandQueue() => new Thread(Run).Start();

                public void Enqueue(object? command)
                {
                    lock (_queue.SyncRoot)
                    {
                        _queue.Enqueue(command);
                        _sync.Set();
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        _sync.WaitOne();
                        while (_queue.Count > 0)
                        {
                            object? command = _queue.Dequeue();
                            if (command == null)
                            {
                                Console.WriteLine("done");
                                return;
                            }

                            Console.WriteLine(command);
                        }

                        _sync.Reset();
                    }
                }
            }
            """);

    /// <summary>The look-alike: the null item only skips a turn (the inner loop's break), so nothing ends the consumer.</summary>
    [Fact]
    public Task A_consumer_that_only_skips_null_items_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections;
            using System.Threading;

            class CommandQueue
            {
                private readonly Queue _queue = Queue.Synchronized(new Queue());
                private readonly ManualResetEvent _sync = new(true);

                public CommandQueue() => new Thread(Run).Start();

                public void Enqueue(object? command)
                {
                    lock (_queue.SyncRoot)
                    {
                        _queue.Enqueue(command);
                        _sync.Set();
                    }
                }

                private void Run()
                {
                    while (true)
                    {
                        _sync.{|#0:WaitOne|}();
                        while (_queue.Count > 0)
                        {
                            object? command = _queue.Dequeue();
                            if (command == null)
                            {
                                break;
                            }

                            Console.WriteLine(command);
                        }

                        _sync.Reset();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_sync.WaitOne()", "loop"));
}
