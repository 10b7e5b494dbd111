using System.Collections.Concurrent;

namespace Showcase;

/// <summary>GS0008 and GS0009: tokens that never reach the work, and cancellation swallowed in a loop.</summary>
public sealed class TokenSamples
{
    private readonly BlockingCollection<string> _queue = new();
    private readonly CancellationTokenSource _cts = new();

    // GS0008: the token only keeps the work from starting; the endless loop never looks at it.
    public Task StartPump() => Task.Run(() =>
    {
        while (true)
        {
            var line = _queue.Take();
            Console.WriteLine(line);
        }
    }, _cts.Token);

    // GS0008: the method group's loop cannot see the token given to StartNew.
    public Task StartPoller(CancellationToken token) =>
        Task.Factory.StartNew(Poll, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    // GS0008: Parallel stops starting new iterations, but a running one loops on.
    public void Scan(IEnumerable<string> hosts, CancellationToken token)
    {
        var options = new ParallelOptions { CancellationToken = token };
        Parallel.ForEach(hosts, options, host =>
        {
            while (true)
            {
                Thread.Sleep(1000);
                Console.WriteLine(host);
            }
        });
    }

    // GS0009: after cancellation Task.Delay throws at once, the catch swallows it, and the loop spins.
    public async Task HeartbeatAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                await Task.Delay(1000, token);
                Console.WriteLine("beat");
            }
            catch (Exception ex)
            {
                Console.WriteLine(ex.Message);
            }
        }
    }

    // GS0009: a bare catch in a plain loop swallows the cancellation of the wait.
    public void Drain()
    {
        while (_queue.Count >= 0)
        {
            try
            {
                Console.WriteLine(_queue.Take(_cts.Token));
            }
            catch
            {
                Console.WriteLine("retrying");
            }
        }
    }

    private void Poll()
    {
        for (;;)
        {
            Thread.Sleep(500);
            Console.WriteLine("poll");
        }
    }

    public void Stop() => _cts.Cancel();
}
