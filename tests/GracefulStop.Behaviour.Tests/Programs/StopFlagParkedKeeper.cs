namespace Behaviour.Programs;

/// <summary>
/// A lease keeper: its thread owns a heartbeat timer and parks, sleeping, until a plain bool flag says stop; then it
/// disposes the timer. (GS0007's event fix turns the parking loop into a wait on the event: the program where the
/// secondary action is offered and has to stop too.)
/// </summary>
public sealed class StopFlagParkedKeeper : IStoppable
{
    private bool _stopping;
    private Thread? _keeper;
    private long _beats;

    public long Progress => Interlocked.Read(ref _beats);

    public void Start()
    {
        _keeper = new Thread(Keep);
        _keeper.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _keeper?.Join();
    }

    private void Keep()
    {
        using var heartbeat = new Timer(_ => Interlocked.Increment(ref _beats), null, 0, 10);
        while (!_stopping)
            Thread.Sleep(Backlog.Busy ? 10 : 4000);
    }
}
