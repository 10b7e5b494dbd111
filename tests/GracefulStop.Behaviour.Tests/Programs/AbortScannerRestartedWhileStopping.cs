namespace Behaviour.Programs;

/// <summary>
/// A folder scanner whose settings watcher restarts it on another thread while the service is stopping: the restart
/// starts a new scan while Stop() still waits for the old one. Stopped with Thread.Abort and joined. After the fix the
/// stop must not dispose the source the new scan uses (its token's wait handle would throw ObjectDisposedException on
/// the scanning thread), and the final stop must stop the new scan.
/// </summary>
public sealed class AbortScannerRestartedWhileStopping : IStoppable
{
    private Thread? _scanner;
    private long _scans;

    public long Progress => Interlocked.Read(ref _scans);

    public void Start() => Launch();

    public void Stop()
    {
        var watcher = new Thread(RestartSoon);
        watcher.Start();
        Halt();
        watcher.Join();
        Halt();
    }

    private void RestartSoon()
    {
        // Arrives while Halt() waits for the scan in progress (a scan takes 60 ms).
        Thread.Sleep(20);
        Launch();
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
            ScanFolder();
            Thread.Sleep(5);
        }
    }

    private void ScanFolder()
    {
        Interlocked.Increment(ref _scans);
        Thread.Sleep(60);
    }
}
