namespace Behaviour.Programs;

/// <summary>A metrics reporter that sleeps between reports, woken for shutdown with Thread.Interrupt.</summary>
public sealed class InterruptSleepingReporter : IStoppable
{
    private Thread? _reporter;
    private long _reports;

    public long Progress => Interlocked.Read(ref _reports);

    public void Start()
    {
        _reporter = new Thread(Report) { Name = "metrics" };
        _reporter.Start();
    }

    public void Stop()
    {
        _reporter?.Interrupt();
        _reporter?.Join();
    }

    private void Report()
    {
        while (true)
        {
            Interlocked.Increment(ref _reports);
            Thread.Sleep(50);
        }
    }
}
