using System.Collections.Immutable;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// Programs written the way real services stop (or fail to stop) their threads, for the fix safety and mutation
/// tests. Each compiles on its own against .NET 8 and is full of comments, which every fix must keep.
/// </summary>
public static class RealisticPrograms
{
    /// <summary>A hosted worker service: Microsoft.Extensions.Hosting is not referenced, so a minimal stand-in is defined.</summary>
    public const string WorkerService = """
        // A background worker in the style of Microsoft.Extensions.Hosting.
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Microsoft.Extensions.Hosting
        {
            /// <summary>Stand-in for the hosting package's BackgroundService.</summary>
            public abstract class BackgroundService
            {
                private Task? _executing;
                private CancellationTokenSource? _stopping;

                protected abstract Task ExecuteAsync(CancellationToken stoppingToken);

                public virtual Task StartAsync(CancellationToken cancellationToken)
                {
                    _stopping = new CancellationTokenSource();
                    _executing = ExecuteAsync(_stopping.Token);
                    return Task.CompletedTask;
                }

                public virtual async Task StopAsync(CancellationToken cancellationToken)
                {
                    _stopping?.Cancel(); // ask the worker to stop
                    if (_executing is not null)
                    {
                        await Task.WhenAny(_executing, Task.Delay(Timeout.Infinite, cancellationToken));
                    }
                }
            }
        }

        namespace Contoso.Workers
        {
            using Microsoft.Extensions.Hosting;

            public interface IQueue
            {
                bool TryDequeue(out string? item);
            }

            /// <summary>Drains the queue every second.</summary>
            public sealed class QueueWorker : BackgroundService
            {
                private readonly IQueue _queue;
                private readonly ConcurrentBag<string> _done = new();

                public QueueWorker(IQueue queue) => _queue = queue;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    // Poll forever: the host cancels stoppingToken on shutdown.
                    while (true)
                    {
                        while (_queue.TryDequeue(out var item)) // drain what is there
                        {
                            _done.Add(item!); /* remember it */
                        }

                        Thread.Sleep(1000); // wait for more work
                        await Task.Delay(100); // yield
                    }
                }
            }

            /// <summary>Sends a heartbeat; the loop checks the token but the waits do not.</summary>
            public sealed class HeartbeatWorker : BackgroundService
            {
                private readonly ManualResetEventSlim _wake = new(false);
                public int Beats { get; private set; }

                protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
                    Task.Run(() =>
                    {
                        // beat until stopped
                        while (!stoppingToken.IsCancellationRequested)
                        {
                            Beats++; // one more
                            _wake.Wait(); // woken by the timer
                            try
                            {
                                Task.Delay(500).Wait();
                            }
                            catch (OperationCanceledException)
                            {
                                // ignore and go on
                            }
                        }
                    });
            }
        }
        """;

    /// <summary>A TCP server: an accept loop on a dedicated thread stopped by a flag, per-client reads without a token.</summary>
    public const string TcpServer = """
        using System;
        using System.IO;
        using System.Net;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Contoso.Net
        {
            /// <summary>An echo server on loopback.</summary>
            public sealed class EchoServer : IDisposable
            {
                private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
                private Thread? _acceptThread;
                private bool _running; // set to false to stop

                public void Start()
                {
                    _listener.Start();
                    _running = true;
                    _acceptThread = new Thread(AcceptLoop) { Name = "accept" }; // dedicated thread
                    _acceptThread.Start();
                }

                private void AcceptLoop()
                {
                    // Accept clients until told to stop.
                    while (_running)
                    {
                        var client = _listener.AcceptTcpClient(); // blocks until a client comes
                        Task.Run(() => Serve(client));
                    }
                }

                private static async Task Serve(TcpClient client)
                {
                    using (client) // closes the socket
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        int read;
                        // echo until the client hangs up
                        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length)) > 0)
                        {
                            await stream.WriteAsync(buffer, 0, read); /* echo */
                        }
                    }
                }

                public void Stop()
                {
                    _running = false; // the loop sees it... eventually
                    _acceptThread?.Interrupt(); // wake it up if it sleeps
                    _acceptThread?.Join();
                }

                public void Dispose()
                {
                    Stop();
                    _listener.Stop(); // release the port
                }
            }

            /// <summary>A client that reads lines with a token it never passes on.</summary>
            public static class LineClient
            {
                public static async Task<int> CountLinesAsync(Stream stream, CancellationToken cancellationToken)
                {
                    using var reader = new StreamReader(stream);
                    var count = 0;
                    // read to the end
                    while (await reader.ReadLineAsync() is not null)
                    {
                        count++;
                    }

                    return count;
                }
            }
        }
        """;

    /// <summary>A producer/consumer pipeline on BlockingCollection, with a token that the blocking calls ignore.</summary>
    public const string Pipeline = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Contoso.Pipeline
        {
            /// <summary>Stage one parses, stage two stores.</summary>
            public sealed class TwoStagePipeline
            {
                private readonly BlockingCollection<string> _lines = new(boundedCapacity: 100);
                private readonly BlockingCollection<int> _numbers = new();
                private readonly List<int> _stored = new();

                public Task RunAsync(IEnumerable<string> input, CancellationToken cancellationToken)
                {
                    var produce = Task.Run(() =>
                    {
                        foreach (var line in input)
                        {
                            _lines.Add(line); // blocks when full
                        }

                        _lines.CompleteAdding();
                    }, cancellationToken);

                    var parse = Task.Factory.StartNew(() =>
                    {
                        // parse until the producer is done
                        foreach (var line in _lines.GetConsumingEnumerable())
                        {
                            if (int.TryParse(line, out var n))
                            {
                                _numbers.Add(n);
                            }
                        }

                        _numbers.CompleteAdding();
                    }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                    var store = Task.Run(() => Store(cancellationToken));
                    return Task.WhenAll(produce, parse, store);
                }

                private void Store(CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        int n;
                        try
                        {
                            n = _numbers.Take(); // waits for the next number
                        }
                        catch (InvalidOperationException)
                        {
                            break; // completed
                        }

                        lock (_stored)
                        {
                            _stored.Add(n);
                        }
                    }
                }

                public int Count
                {
                    get
                    {
                        lock (_stored) { return _stored.Count; }
                    }
                }
            }
        }
        """;

    /// <summary>A legacy poller on a dedicated thread, stopped with a bool flag, Interrupt and Abort.</summary>
    public const string LegacyPoller = """
        using System;
        using System.Threading;

        namespace Contoso.Legacy
        {
            /// <summary>Polls a device every 250 ms on its own thread.</summary>
            public class DevicePoller
            {
                private Thread _thread;
                private bool _stop; // plain field: the JIT may hoist the read
                private readonly object _gate = new object();
                public int Readings;

                public DevicePoller()
                {
                    _thread = new Thread(new ThreadStart(Poll));
                    _thread.IsBackground = false;
                }

                public void Start() => _thread.Start();

                private void Poll()
                {
                    try
                    {
                        // loop until _stop is set
                        while (!_stop)
                        {
                            lock (_gate)
                            {
                                Readings++; // read the device
                            }

                            Thread.Sleep(250); // poll interval
                        }
                    }
                    catch (ThreadAbortException)
                    {
                        // aborted: nothing to clean up (we hope)
                    }
                    catch (ThreadInterruptedException)
                    {
                        // interrupted while sleeping
                    }
                }

                /// <summary>Stops the poller, forcibly if it does not stop in time.</summary>
                public void Stop()
                {
                    _stop = true;
                    if (!_thread.Join(1000))
                    {
                        _thread.Interrupt(); // wake it from Sleep
                        if (!_thread.Join(1000))
                        {
                            _thread.Abort(); // last resort
                        }
                    }
                }
            }

            /// <summary>A second poller written with a local thread and a spin-wait.</summary>
            public static class Watchdog
            {
                public static Thread StartWatching(Func<bool> healthy)
                {
                    var thread = new Thread(() =>
                    {
                        for (;;)
                        {
                            if (!healthy())
                            {
                                Console.WriteLine("unhealthy"); // report
                            }

                            Thread.Sleep(TimeSpan.FromSeconds(5));
                        }
                    });
                    thread.Start();
                    return thread;
                }

                public static void StopWatching(Thread thread)
                {
                    thread.Suspend(); // freeze it first
                    thread.Resume();
                    thread.Abort("shutdown");
                }
            }
        }
        """;

    public static ImmutableArray<CorpusFile> All { get; } = ImmutableArray.Create(
        new CorpusFile("realistic/WorkerService", WorkerService),
        new CorpusFile("realistic/TcpServer", TcpServer),
        new CorpusFile("realistic/Pipeline", Pipeline),
        new CorpusFile("realistic/LegacyPoller", LegacyPoller));
}
