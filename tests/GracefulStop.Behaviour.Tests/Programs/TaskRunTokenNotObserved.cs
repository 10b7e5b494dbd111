namespace Behaviour.Programs;

/// <summary>A price ticker started with Task.Run(work, token) whose loop never looks at the token; Stop waits for it.</summary>
public sealed class TaskRunTokenNotObserved : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private Task? _ticker;
    private long _ticks;

    public long Progress => Interlocked.Read(ref _ticks);

    public void Start()
    {
        _ticker = Task.Run(() =>
        {
            while (true)
            {
                Interlocked.Increment(ref _ticks);
                Thread.SpinWait(2000);
            }
        }, _cancellation.Token);
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _ticker?.Wait();
    }
}
