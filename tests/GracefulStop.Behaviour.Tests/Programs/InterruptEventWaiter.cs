namespace Behaviour.Programs;

/// <summary>A dispatcher woken by an AutoResetEvent for each batch, woken for shutdown with Thread.Interrupt.</summary>
public sealed class InterruptEventWaiter : IStoppable
{
    private readonly AutoResetEvent _batchReady = new(false);
    private Thread? _dispatcher;
    private Timer? _batches;
    private long _dispatched;

    public long Progress => Interlocked.Read(ref _dispatched);

    public void Start()
    {
        _dispatcher = new Thread(Dispatch);
        _dispatcher.Start();
        _batches = new Timer(_ => _batchReady.Set(), null, 0, 10);
    }

    public void Stop()
    {
        _batches?.Dispose();
        _dispatcher?.Interrupt();
        _dispatcher?.Join();
    }

    private void Dispatch()
    {
        while (true)
        {
            _batchReady.WaitOne();
            Interlocked.Increment(ref _dispatched);
        }
    }
}
