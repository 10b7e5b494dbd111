namespace Behaviour.Programs;

/// <summary>A thread that waits with the token inside a try whose catch-all logs and goes on, so it never leaves.</summary>
public sealed class SwallowedCancellationThread : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _worker;
    private long _rounds;
    private long _errors;

    public long Progress => Interlocked.Read(ref _rounds);

    public void Start()
    {
        var token = _cancellation.Token;
        _worker = new Thread(() => Work(token));
        _worker.Start();
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _worker?.Join();
    }

    private void Work(CancellationToken token)
    {
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _rounds);
                Task.Delay(10, token).Wait();
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
