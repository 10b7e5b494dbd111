namespace Behaviour.Programs;

/// <summary>A health checker run with Task.Run and a token, sleeping without it; Stop waits for the task.</summary>
public sealed class TaskSleepIgnoresToken : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private Task? _checker;
    private long _checks;

    public long Progress => Interlocked.Read(ref _checks);

    public void Start()
    {
        var token = _cancellation.Token;
        _checker = Task.Run(() =>
        {
            while (!token.IsCancellationRequested)
            {
                // Checks every 10 ms while a service is unhealthy, then every three seconds.
                Interlocked.Increment(ref _checks);
            var unhealthy = Backlog.Busy;
                Thread.Sleep(unhealthy ? 10 : 3000);
            }
        }, token);
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _checker?.Wait();
    }
}
