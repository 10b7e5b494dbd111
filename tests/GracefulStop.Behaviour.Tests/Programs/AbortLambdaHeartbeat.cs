namespace Behaviour.Programs;

/// <summary>A heartbeat sender whose work is a lambda, stopped with Thread.Abort.</summary>
public sealed class AbortLambdaHeartbeat : IStoppable
{
    private readonly Thread _sender;
    private long _beats;

    public AbortLambdaHeartbeat()
    {
        _sender = new Thread(() =>
        {
            while (true)
            {
                Interlocked.Increment(ref _beats);
                Thread.Sleep(40);
            }
        });
    }

    public long Progress => Interlocked.Read(ref _beats);

    public void Start() => _sender.Start();

    public void Stop() => _sender.Abort();
}
