namespace Behaviour.Programs;

/// <summary>A retrying sender on a thread that backs off with Task.Delay(...).Wait() and no token.</summary>
public sealed class DelayWaitIgnoresToken : IStoppable
{
    private readonly CancellationTokenSource _cts = new();
    private Thread? _sender;
    private long _attempts;

    public long Progress => Interlocked.Read(ref _attempts);

    public void Start()
    {
        _sender = new Thread(Send);
        _sender.Start();
    }

    public void Stop()
    {
        _cts.Cancel();
        _sender?.Join();
    }

    private void Send()
    {
        while (!_cts.IsCancellationRequested)
        {
            // Retries quickly at first, then backs off for five seconds.
            Interlocked.Increment(ref _attempts);
            var backoff = Backlog.Busy ? 10 : 5000;
            Task.Delay(backoff).Wait();
        }
    }
}
