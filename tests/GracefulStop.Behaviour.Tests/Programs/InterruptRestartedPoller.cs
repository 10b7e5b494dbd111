namespace Behaviour.Programs;

/// <summary>
/// A health poller restarted after a stop (as after a configuration reload) and stopped again; stopped with
/// Thread.Interrupt and never joined. After the fix each start gets its own source and token, and each stop cancels
/// the one it takes.
/// </summary>
public sealed class InterruptRestartedPoller : IStoppable
{
    private Thread? _poller;
    private long _polls;

    public long Progress => Interlocked.Read(ref _polls);

    public void Start() => Launch();

    public void Stop()
    {
        // Stopped, started again with the new settings, and stopped for good.
        Halt();
        Launch();
        Thread.Sleep(40);
        Halt();
    }

    private void Launch()
    {
        _poller = new Thread(() =>
        {
            while (true)
            {
                Interlocked.Increment(ref _polls);
                Thread.Sleep(Backlog.Busy ? 10 : 2000);
            }
        });
        _poller.Start();
    }

    private void Halt()
    {
        _poller?.Interrupt();
    }
}
