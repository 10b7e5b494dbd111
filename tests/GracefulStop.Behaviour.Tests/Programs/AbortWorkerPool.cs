namespace Behaviour.Programs;

/// <summary>A pool of worker threads kept in a list and aborted one by one.</summary>
public sealed class AbortWorkerPool : IStoppable
{
    private readonly List<Thread> _workers = new();
    private long _jobs;

    public long Progress => Interlocked.Read(ref _jobs);

    public void Start()
    {
        for (var i = 0; i < 3; i++)
        {
            var worker = new Thread(Work);
            _workers.Add(worker);
            worker.Start();
        }
    }

    public void Stop()
    {
        foreach (var worker in _workers)
        {
            worker.Abort();
        }

        foreach (var worker in _workers)
        {
            worker.Join();
        }
    }

    private void Work()
    {
        while (true)
        {
            Interlocked.Increment(ref _jobs);
            Thread.Sleep(15);
        }
    }
}
