namespace Behaviour.Programs;

/// <summary>
/// A console tool's heartbeat: a thread appends an "alive" line to the tool's log for as long as the tool runs. It has
/// no stop method, its stop is meant to be the end of Main, but a foreground thread keeps the process alive.
/// </summary>
public sealed class EndlessHeartbeatLogger : IRunsUntilProcessExit
{
    private readonly StringWriter _log = new();
    private long _beats;

    public long Progress => Interlocked.Read(ref _beats);

    public void Start()
    {
        var heartbeat = new Thread(() =>
        {
            while (true)
            {
                var beat = Interlocked.Increment(ref _beats);
                lock (_log)
                {
                    // A bounded log: the tool keeps only the latest lines.
                    if (_log.GetStringBuilder().Length > 64 * 1024)
                        _log.GetStringBuilder().Clear();
                    _log.WriteLine($"{DateTime.UtcNow:O} alive #{beat}");
                }

                Thread.Sleep(10);
            }
        });
        heartbeat.Start();
    }
}
