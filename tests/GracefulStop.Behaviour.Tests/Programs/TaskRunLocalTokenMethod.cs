namespace Behaviour.Programs;

/// <summary>A queue drainer: Task.Run(() => Drain(), token) with the token a local of Start; Stop waits for it.</summary>
public sealed class TaskRunLocalTokenMethod : IStoppable
{
    private CancellationTokenSource? _source;
    private Task? _drainer;
    private long _drained;

    public long Progress => Interlocked.Read(ref _drained);

    public void Start()
    {
        var source = new CancellationTokenSource();
        _source = source;
        var token = source.Token;
        _drainer = Task.Run(() => Drain(), token);
    }

    public void Stop()
    {
        _source?.Cancel();
        _drainer?.Wait();
    }

    private void Drain()
    {
        for (;;)
        {
            Interlocked.Increment(ref _drained);
            Thread.SpinWait(2000);
        }
    }
}
