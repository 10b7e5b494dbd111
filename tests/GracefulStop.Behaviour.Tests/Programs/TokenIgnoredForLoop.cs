namespace Behaviour.Programs;

/// <summary>A sampler whose for(;;) loop ignores the token source it owns.</summary>
public sealed class TokenIgnoredForLoop : IStoppable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Thread _sampler;
    private long _samples;

    public TokenIgnoredForLoop()
    {
        _sampler = new Thread(Sample);
    }

    public long Progress => Interlocked.Read(ref _samples);

    public void Start() => _sampler.Start();

    public void Stop()
    {
        _cts.Cancel();
        _sampler.Join();
    }

    private void Sample()
    {
        for (var tick = 0; ; tick++)
        {
            Interlocked.Exchange(ref _samples, tick + 1);
            Thread.SpinWait(500);
        }
    }
}
