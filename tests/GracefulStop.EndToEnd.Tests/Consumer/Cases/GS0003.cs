namespace Consumer.Cases;

/// <summary>GS0003: a worker loop that has a token parameter and never looks at it.</summary>
public sealed class GS0003LoopIgnoresTokenCase : IStoppableCase
{
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _worker;
    private long _iterations;

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
        while (true) // expect: GS0003
        {
            _iterations++;
            Thread.SpinWait(100);
        }
    }
}
