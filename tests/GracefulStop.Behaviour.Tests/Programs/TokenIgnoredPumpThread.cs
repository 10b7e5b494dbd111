namespace Behaviour.Programs;

/// <summary>A message pump thread that receives a token and never looks at it.</summary>
public sealed class TokenIgnoredPumpThread : IStoppable
{
    private readonly CancellationTokenSource _shutdown = new();
    private Thread? _pump;
    private long _pumped;

    public long Progress => Interlocked.Read(ref _pumped);

    public void Start()
    {
        var token = _shutdown.Token;
        _pump = new Thread(() => Pump(token));
        _pump.Start();
    }

    public void Stop()
    {
        _shutdown.Cancel();
        _pump?.Join();
    }

    private void Pump(CancellationToken cancellationToken)
    {
        while (true)
        {
            Interlocked.Increment(ref _pumped);
            Thread.SpinWait(1000);
        }
    }
}
