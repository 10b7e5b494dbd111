namespace Consumer.Cases;

/// <summary>GS0001: a worker thread stopped with Thread.Abort.</summary>
public sealed class GS0001AbortCase : IStoppableCase
{
    private readonly Thread _worker;
    private int _iterations;

    public GS0001AbortCase()
    {
        _worker = new Thread(Work);
    }

    public void Start() => _worker.Start();

    public void Stop()
    {
        _worker.Abort(); // expect: GS0001
        _worker.Join();
    }

    private void Work()
    {
        while (true)
        {
            _iterations++;
            Thread.Sleep(10);
        }
    }
}
