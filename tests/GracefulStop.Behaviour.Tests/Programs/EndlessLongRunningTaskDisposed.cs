namespace Behaviour.Programs;

/// <summary>A long-running task with an endless loop; Dispose waits for it, and Stop disposes.</summary>
public sealed class EndlessLongRunningTaskDisposed : IStoppable, IDisposable
{
    private Task? _flusher;
    private long _flushes;

    public long Progress => Interlocked.Read(ref _flushes);

    public void Start()
    {
        _flusher = Task.Factory.StartNew(Flush, TaskCreationOptions.LongRunning);
    }

    public void Stop() => Dispose();

    public void Dispose()
    {
        _flusher?.Wait();
    }

    private void Flush()
    {
        while (true)
        {
            Interlocked.Increment(ref _flushes);
            Thread.Sleep(10);
        }
    }
}
