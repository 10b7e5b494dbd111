namespace Behaviour.Programs;

/// <summary>A timer callback that polls a device in a loop and sleeps without its token once the device is idle.</summary>
public sealed class TimerCallbackSleeps : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ManualResetEventSlim _done = new();
    private Timer? _poller;
    private long _reads;

    public long Progress => Interlocked.Read(ref _reads);

    public void Start()
    {
        _poller = new Timer(_ => Poll(_cancellation.Token), null, 0, Timeout.Infinite);
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _done.Wait(TimeSpan.FromSeconds(5));
        _poller?.Dispose();
    }

    private void Poll(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Interlocked.Increment(ref _reads);
            Thread.Sleep(Backlog.Busy ? 10 : 4000);
        }

        _done.Set();
    }
}
