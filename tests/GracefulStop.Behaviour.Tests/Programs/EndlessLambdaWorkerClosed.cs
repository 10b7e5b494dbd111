namespace Behaviour.Programs;

/// <summary>A connection keep-alive loop written as a lambda; Close waits for the thread.</summary>
public sealed class EndlessLambdaWorkerClosed : IStoppable
{
    private Thread? _keepAlive;
    private long _pings;

    public long Progress => Interlocked.Read(ref _pings);

    public void Start()
    {
        _keepAlive = new Thread(() =>
        {
            while (true)
            {
                Interlocked.Increment(ref _pings);
                Thread.Sleep(10);
            }
        });
        _keepAlive.Start();
    }

    public void Stop() => Close();

    public void Close()
    {
        _keepAlive?.Join();
    }
}
