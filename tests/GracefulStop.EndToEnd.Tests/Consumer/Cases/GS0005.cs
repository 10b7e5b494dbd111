namespace Consumer.Cases;

/// <summary>GS0005: a worker that checks its token but sleeps for five seconds without it.</summary>
public sealed class GS0005BlockingCallCase : IStoppableCase
{
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _worker;
    private int _iterations;

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

    private void Work(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            _iterations++;
            Thread.Sleep(5000); // expect: GS0005
        }
    }
}
