namespace Behaviour.Programs;

/// <summary>A telemetry pump with no way out; Stop only waits for it.</summary>
public sealed class EndlessPumpJoinedOnStop : IStoppable
{
    private Thread? _pump;
    private long _sent;

    public long Progress => Interlocked.Read(ref _sent);

    public void Start()
    {
        _pump = new Thread(Pump);
        _pump.Start();
    }

    public void Stop()
    {
        _pump?.Join();
    }

    private void Pump()
    {
        while (true)
        {
            Interlocked.Increment(ref _sent);
            Thread.Sleep(10);
        }
    }
}
