namespace Behaviour.Programs;

/// <summary>A feed poller that checks its token but sleeps five seconds between polls without it.</summary>
public sealed class SleepIgnoresTokenPoller : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _poller;
    private long _polls;

    public long Progress => Interlocked.Read(ref _polls);

    public void Start()
    {
        var token = _cancellation.Token;
        _poller = new Thread(() => Poll(token));
        _poller.Start();
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _poller?.Join();
    }

    private void Poll(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            // Polls quickly while the feed has a backlog, then every five seconds.
            Interlocked.Increment(ref _polls);
            var backlog = Backlog.Busy;
            Thread.Sleep(backlog ? 10 : 5000);
        }
    }
}
