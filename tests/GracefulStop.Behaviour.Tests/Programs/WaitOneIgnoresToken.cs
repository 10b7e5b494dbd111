namespace Behaviour.Programs;

/// <summary>A file-change dispatcher waiting on an AutoResetEvent without its token.</summary>
public sealed class WaitOneIgnoresToken : IStoppable
{
    private readonly AutoResetEvent _changed = new(false);
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _dispatcher;
    private Timer? _watcher;
    private long _dispatched;

    public long Progress => Interlocked.Read(ref _dispatched);

    public void Start()
    {
        var token = _cancellation.Token;
        _dispatcher = new Thread(() => Dispatch(token));
        _dispatcher.Start();
        _watcher = new Timer(_ => _changed.Set(), null, 0, 10);
    }

    public void Stop()
    {
        // Wait until no timer callback is running or queued: a late one would wake the worker and let the original
        // program stop by chance (seen under load).
        using (var callbacksDone = new ManualResetEvent(false))
        {
            if (_watcher?.Dispose(callbacksDone) == true)
            {
                callbacksDone.WaitOne();
            }
        }

        // Then let the worker take an event the last callback set and block: left over, it would let the original loop see the
        // cancellation and stop by chance (seen under load). Blocked with nobody left to wake it, it cannot.
        SpinWait.SpinUntil(() => _dispatcher is null || (_dispatcher.ThreadState & ThreadState.WaitSleepJoin) != 0, 5000);

        _cancellation.Cancel();
        _dispatcher?.Join();
    }

    private void Dispatch(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            _changed.WaitOne();
            Interlocked.Increment(ref _dispatched);
        }
    }
}
