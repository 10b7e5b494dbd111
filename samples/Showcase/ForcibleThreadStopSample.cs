namespace Showcase;

/// <summary>GS0001 and GS0002: stopping a thread by force instead of asking it to stop.</summary>
public sealed class ForcibleThreadStopSample
{
    private readonly Thread _worker;
    private readonly Queue<string> _pending = new();

    public ForcibleThreadStopSample()
    {
        _worker = new Thread(Work);
    }

    public void Start() => _worker.Start();

    // GS0001: on .NET 5+ Abort throws PlatformNotSupportedException and the worker keeps running.
    public void Stop()
    {
        _worker.Abort();
        _worker.Join();
    }

    // GS0002: Interrupt throws ThreadInterruptedException wherever the worker waits next.
    public void Cancel() => _worker.Interrupt();

    // GS0001: Suspend and Resume freeze the thread wherever it is, possibly holding a lock.
    public void Pause() => _worker.Suspend();

    public void Continue() => _worker.Resume();

    private void Work()
    {
        while (true)
        {
            lock (_pending)
            {
                _pending.Clear();
            }

            Thread.Sleep(100);
        }
    }
}

/// <summary>GS0001: code built around Thread.Abort, swallowing the abort.</summary>
public static class SwallowedAbortSample
{
    public static void Run(Action work)
    {
        try
        {
            work();
        }
        catch (ThreadAbortException)
        {
            Console.WriteLine("aborted");
        }
    }
}
