namespace Consumer.Cases;

/// <summary>GS0006: a worker thread that waits for a signal with no timeout and no token in scope.</summary>
public sealed class GS0006WaitForeverCase : IStoppableCase
{
    private readonly ManualResetEventSlim _signal = new();
    private Thread? _worker;
    private volatile bool _stopping;
    private int _rounds;

    public void Start()
    {
        _worker = new Thread(() => Work());
        _worker.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _signal.Set();
        _worker?.Join();
    }

    private void Work()
    {
        while (!_stopping)
        {
            _signal.Wait(); // expect: GS0006
            _rounds++;
        }
    }
}
