namespace Behaviour.Programs;

/// <summary>A sync worker with a "running" flag set by Start and cleared by Stop; it waits between syncs.</summary>
public sealed class RunningFlagWorker : IStoppable
{
    private bool _running;
    private Thread? _worker;
    private long _syncs;

    public long Progress => Interlocked.Read(ref _syncs);

    public void Start()
    {
        _running = true;
        _worker = new Thread(Sync);
        _worker.Start();
    }

    public void Stop()
    {
        _running = false;
        _worker?.Join();
    }

    private void Sync()
    {
        while (_running)
        {
            Interlocked.Increment(ref _syncs);
            var pending = Backlog.Busy;
            Thread.Sleep(pending ? 10 : 4000);
        }
    }
}
