using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Showcase;

/// <summary>GS0005 and GS0006: blocking calls that a cancellation token cannot end.</summary>
public sealed class BlockingSamples
{
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<string> _queue = new();
    private readonly AutoResetEvent _signal = new(false);

    // GS0005: Sleep ignores _stop.Token; the loop notices cancellation only after the full five seconds.
    public void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            Console.WriteLine("tick");
            Thread.Sleep(5000);
        }
    }

    // GS0005: Take() waits for the next item even after cancellation.
    public void Consume(CancellationToken token)
    {
        while (true)
        {
            var item = _queue.Take();
            Console.WriteLine(item);
        }
    }

    // GS0005: WaitOne() only wakes up when the signal is set; cancelling the token does nothing.
    public void WaitForSignal(CancellationToken token) => _signal.WaitOne();

    // GS0005: in async code the sync accept and the sync process wait block a thread and ignore the token.
    public async Task ServeAsync(TcpListener listener, Process process, CancellationToken token)
    {
        await Task.Delay(10, token);
        using var client = listener.AcceptTcpClient();
        process.WaitForExit();
        await Task.Delay(1000);
    }
}

/// <summary>GS0006: infinite waits with no token at all, in thread work and loops.</summary>
public sealed class WaitForeverSamples
{
    private readonly BlockingCollection<string> _queue = new();
    private readonly object _gate = new();
    private bool _ready;

    public void Start()
    {
        // GS0006: the worker thread can never be told to stop while it waits for the next item.
        new Thread(() =>
        {
            while (true)
            {
                Console.WriteLine(_queue.Take());
            }
        }).Start();
    }

    // GS0006: Join() and Monitor.Wait() without a timeout wait forever if the other side never finishes.
    public void JoinAll(Thread[] workers)
    {
        foreach (var worker in workers)
        {
            worker.Join();
        }

        lock (_gate)
        {
            while (!_ready)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    public void MarkReady()
    {
        lock (_gate)
        {
            _ready = true;
            Monitor.PulseAll(_gate);
        }
    }
}
