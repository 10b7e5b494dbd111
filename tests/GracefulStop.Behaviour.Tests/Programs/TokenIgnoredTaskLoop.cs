namespace Behaviour.Programs;

/// <summary>A cache refresher run as a task with a token, whose loop ignores it; Stop waits for the task.</summary>
public sealed class TokenIgnoredTaskLoop : IStoppable
{
    private CancellationTokenSource? _cancellation;
    private Task? _refresher;
    private long _refreshes;

    public long Progress => Interlocked.Read(ref _refreshes);

    public void Start()
    {
        _cancellation = new CancellationTokenSource();
        var token = _cancellation.Token;
        _refresher = Task.Run(() => Refresh(token));
    }

    public void Stop()
    {
        _cancellation!.Cancel();
        _refresher!.Wait();
    }

    private void Refresh(CancellationToken token)
    {
        while (true)
        {
            Interlocked.Increment(ref _refreshes);
            Thread.SpinWait(2000);
        }
    }
}
