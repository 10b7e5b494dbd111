namespace Consumer.Cases;

/// <summary>GS0008: a token given to Task.Run that the work never looks at.</summary>
public sealed class GS0008TokenNotObservedCase : IStoppableCase
{
    private readonly CancellationTokenSource _cancellation = new();
    private Task _work = Task.CompletedTask;
    private int _iterations;

    public void Start()
    {
        var token = _cancellation.Token;
        _work = Task.Run(() =>
        {
            while (true)
            {
                _iterations++;
                Thread.Sleep(10);
            }
        }, token); // expect: GS0008
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
}
