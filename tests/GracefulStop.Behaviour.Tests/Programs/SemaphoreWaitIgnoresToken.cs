namespace Behaviour.Programs;

/// <summary>A connection pool's janitor thread waiting on a SemaphoreSlim without its token.</summary>
public sealed class SemaphoreWaitIgnoresToken : IStoppable
{
    private readonly SemaphoreSlim _returned = new(0);
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _janitor;
    private Timer? _clients;
    private long _recycled;

    public long Progress => Interlocked.Read(ref _recycled);

    public void Start()
    {
        _janitor = new Thread(() => Recycle(_cancellation.Token));
        _janitor.Start();
        _clients = new Timer(_ => _returned.Release(), null, 0, 10);
    }

    public void Stop()
    {
        // Wait until no timer callback is running or queued: a late one would wake the worker and let the original
        // program stop by chance (seen under load).
        using (var callbacksDone = new ManualResetEvent(false))
        {
            if (_clients?.Dispose(callbacksDone) == true)
            {
                callbacksDone.WaitOne();
            }
        }

        // Then let the worker take a count the callbacks left and block: left over, it would let the original loop see the
        // cancellation and stop by chance (seen under load). Blocked with nobody left to wake it, it cannot.
        SpinWait.SpinUntil(() => _janitor is null || (_janitor.ThreadState & ThreadState.WaitSleepJoin) != 0, 5000);

        _cancellation.Cancel();
        _janitor?.Join();
    }

    private void Recycle(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            _returned.Wait();
            Interlocked.Increment(ref _recycled);
        }
    }
}
