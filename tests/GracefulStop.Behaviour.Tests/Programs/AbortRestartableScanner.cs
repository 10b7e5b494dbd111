namespace Behaviour.Programs;

/// <summary>A directory scanner that can be started again after a stop; stopped with Thread.Abort.</summary>
public sealed class AbortRestartableScanner : IStoppable
{
    private Thread? _scanner;
    private long _scans;

    public long Progress => Interlocked.Read(ref _scans);

    public void Start() => Launch();

    public void Stop()
    {
        // Stopped, started again (as after a settings change) and stopped for good.
        Halt();
        Launch();
        Thread.Sleep(30);
        Halt();
    }

    private void Launch()
    {
        _scanner = new Thread(Scan);
        _scanner.Start();
    }

    private void Halt()
    {
        _scanner?.Abort();
        _scanner?.Join();
    }

    private void Scan()
    {
        while (true)
        {
            foreach (var name in new[] { "a.txt", "b.txt", "c.txt" })
            {
                if (name.Length > 0)
                {
                    Interlocked.Increment(ref _scans);
                }
            }

            Thread.Sleep(25);
        }
    }
}
