namespace Consumer.Cases;

/// <summary>GS0002: a worker thread stopped with Thread.Interrupt.</summary>
public sealed class GS0002InterruptCase : IStoppableCase
{
    private readonly Thread _worker;
    private int _iterations;

    public GS0002InterruptCase()
    {
        _worker = new Thread(Work);
    }

    public void Start() => _worker.Start();

    public void Stop()
    {
        _worker.Interrupt(); // expect: GS0002
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
