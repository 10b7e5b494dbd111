namespace Consumer.Cases;

/// <summary>GS0009: a polling loop whose catch swallows the cancellation, so it never ends.</summary>
public sealed class GS0009SwallowedCancellationCase : IStoppableCase
{
    private readonly CancellationTokenSource _cancellation = new();
    private Task _work = Task.CompletedTask;
    private int _failures;

    public void Start()
    {
        var token = _cancellation.Token;
        _work = Task.Run(() => Poll(token));
    }

    public void Stop()
    {
        _cancellation.Cancel();
        try
        {
            _work.Wait();
        }
        catch (AggregateException)
        {
        }
    }

    private void Poll(CancellationToken token)
    {
        while (true)
        {
            try
            {
                token.WaitHandle.WaitOne(10);
                token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) // expect: GS0009
            {
                _failures++;
            }
        }
    }
}
