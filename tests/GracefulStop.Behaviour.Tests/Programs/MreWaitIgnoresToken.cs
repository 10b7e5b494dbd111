namespace Behaviour.Programs;

/// <summary>A paused-or-running worker gated by a ManualResetEventSlim; the gate closes and the wait ignores the token.</summary>
public sealed class MreWaitIgnoresToken : IStoppable
{
    private readonly ManualResetEventSlim _resumed = new(true);
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _worker;
    private long _steps;

    public long Progress => Interlocked.Read(ref _steps);

    public void Start()
    {
        var token = _cancellation.Token;
        _worker = new Thread(() => Work(token));
        _worker.Start();
    }

    public void Stop()
    {
        // Pause first (as a user pressing "pause" then "quit" does), then cancel.
        _resumed.Reset();
        Thread.Sleep(50);
        _cancellation.Cancel();
        _worker?.Join();
    }

    private void Work(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            _resumed.Wait();
            Interlocked.Increment(ref _steps);
            Thread.SpinWait(2000);
        }
    }
}
