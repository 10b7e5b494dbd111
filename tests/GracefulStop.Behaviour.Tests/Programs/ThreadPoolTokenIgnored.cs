namespace Behaviour.Programs;

/// <summary>A thread-pool work item looping with a token it ignores; Stop waits for a done event.</summary>
public sealed class ThreadPoolTokenIgnored : IStoppable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ManualResetEventSlim _done = new();
    private long _frames;

    public long Progress => Interlocked.Read(ref _frames);

    public void Start()
    {
        var token = _cancellation.Token;
        ThreadPool.QueueUserWorkItem(_ => Render(token));
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _done.Wait(TimeSpan.FromSeconds(5));
    }

    private void Render(CancellationToken token)
    {
        try
        {
            while (true)
            {
                Interlocked.Increment(ref _frames);
                Thread.SpinWait(2000);
            }
        }
        finally
        {
            _done.Set();
        }
    }
}
