namespace Consumer.Cases;

/// <summary>GS0007: a worker loop polling a plain bool stop flag that another thread sets.</summary>
public sealed class GS0007StopFlagCase : IStoppableCase
{
    private readonly Thread _worker;
    private bool _stop; // expect: GS0007
    private int _iterations;

    public GS0007StopFlagCase()
    {
        _worker = new Thread(Work);
    }

    public void Start() => _worker.Start();

    public void Stop()
    {
        _stop = true;
        _worker.Join();
    }

    private void Work()
    {
        while (!_stop)
        {
            _iterations++;
            Thread.Sleep(10);
        }
    }
}
