namespace Behaviour.Programs;

/// <summary>A long-running task checking a stop flag, awaited by Stop; it waits between rounds.</summary>
public sealed class StopFlagTaskLoop : IStoppable
{
    private bool _stopRequested;
    private Task? _loop;
    private long _rounds;

    public long Progress => Interlocked.Read(ref _rounds);

    public void Start()
    {
        _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);
    }

    public void Stop()
    {
        _stopRequested = true;
        _loop?.Wait();
    }

    private void Loop()
    {
        while (!_stopRequested)
        {
            Interlocked.Increment(ref _rounds);
            var busy = Backlog.Busy;
            Thread.Sleep(busy ? 10 : 4000);
        }
    }
}
