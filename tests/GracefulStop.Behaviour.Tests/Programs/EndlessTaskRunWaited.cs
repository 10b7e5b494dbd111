namespace Behaviour.Programs;

/// <summary>An index rebuilder started with Task.Run, with no token; Stop waits for the task.</summary>
public sealed class EndlessTaskRunWaited : IStoppable
{
    private Task? _rebuilder;
    private long _rebuilt;

    public long Progress => Interlocked.Read(ref _rebuilt);

    public void Start()
    {
        _rebuilder = Task.Run(Rebuild);
    }

    public void Stop()
    {
        _rebuilder?.Wait();
    }

    private void Rebuild()
    {
        while (true)
        {
            Interlocked.Increment(ref _rebuilt);
            Thread.Sleep(10);
        }
    }
}
