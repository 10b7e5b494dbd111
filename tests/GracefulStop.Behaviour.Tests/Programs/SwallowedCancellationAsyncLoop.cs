namespace Behaviour.Programs;

/// <summary>An async retry loop that swallows every exception, cancellation included; Stop waits for the task.</summary>
public sealed class SwallowedCancellationAsyncLoop : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private Task? _loop;
    private long _attempts;

    public long Progress => Interlocked.Read(ref _attempts);

    public void Start()
    {
        _loop = RetryAsync(_cancellation.Token);
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _loop?.Wait();
    }

    private async Task RetryAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _attempts);
                await Task.Delay(10, token);
            }
            catch
            {
                Thread.SpinWait(10);
            }
        }
    }
}
