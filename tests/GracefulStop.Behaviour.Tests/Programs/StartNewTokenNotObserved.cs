namespace Behaviour.Programs;

/// <summary>A long-running task started with StartNew(method, token, ...) whose method never sees the token.</summary>
public sealed class StartNewTokenNotObserved : IStoppable
{
    private CancellationTokenSource? _cancellation;
    private Task? _compactor;
    private long _compactions;

    public long Progress => Interlocked.Read(ref _compactions);

    public void Start()
    {
        _cancellation = new CancellationTokenSource();
        var token = _cancellation.Token;
        _compactor = Task.Factory.StartNew(Compact, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Stop()
    {
        _cancellation?.Cancel();
        try
        {
            _compactor?.Wait();
        }
        catch (AggregateException e) when (e.InnerException is TaskCanceledException)
        {
            // Cancelled before it started: nothing to wait for.
        }
    }

    private void Compact()
    {
        while (true)
        {
            Interlocked.Increment(ref _compactions);
            Thread.SpinWait(2000);
        }
    }
}
