namespace Behaviour.Programs;

/// <summary>A session keeper whose Dispose aborts its refresh thread; Stop disposes it.</summary>
public sealed class AbortInDispose : IStoppable, IDisposable
{
    private readonly Thread _refresher;
    private long _refreshes;

    public AbortInDispose()
    {
        _refresher = new Thread(Refresh) { Name = "session refresh" };
    }

    public long Progress => Interlocked.Read(ref _refreshes);

    public void Start() => _refresher.Start();

    public void Stop() => Dispose();

    public void Dispose()
    {
        _refresher.Abort();
    }

    private void Refresh()
    {
        var attempt = 0;
        while (attempt >= 0)
        {
            attempt++;
            Interlocked.Increment(ref _refreshes);
            Thread.Sleep(10);
        }
    }
}
