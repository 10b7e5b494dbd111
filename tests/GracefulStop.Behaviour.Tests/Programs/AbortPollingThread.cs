namespace Behaviour.Programs;

/// <summary>A status poller on its own thread, stopped with Thread.Abort.</summary>
public sealed class AbortPollingThread : IStoppable
{
    private Thread? _poller;
    private long _polls;

    public long Progress => Interlocked.Read(ref _polls);

    public void Start()
    {
        _poller = new Thread(Poll) { Name = "status poller" };
        _poller.Start();
    }

    public void Stop()
    {
        _poller?.Abort();
        _poller?.Join();
    }

    private void Poll()
    {
        while (true)
        {
            Interlocked.Increment(ref _polls);
            Thread.Sleep(20);
        }
    }
}
