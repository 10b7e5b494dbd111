namespace Behaviour.Programs;

/// <summary>An inbox poller stopped by a plain bool flag; it sleeps between polls once the inbox is empty.</summary>
public sealed class StopFlagSleepingPoller : IStoppable
{
    private bool _stop;
    private Thread? _poller;
    private long _polls;

    public long Progress => Interlocked.Read(ref _polls);

    public void Start()
    {
        _poller = new Thread(Poll);
        _poller.Start();
    }

    public void Stop()
    {
        _stop = true;
        _poller?.Join();
    }

    private void Poll()
    {
        while (!_stop)
        {
            Interlocked.Increment(ref _polls);
            var backlog = Backlog.Busy;
            Thread.Sleep(backlog ? 10 : 4000);
        }
    }
}
