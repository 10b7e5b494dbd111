namespace Behaviour.Programs;

/// <summary>
/// A service's settings reloader: a named thread polls the settings file's time stamp and reloads the file when it
/// changes. Nothing stops it; the process exit is meant to, but a foreground thread keeps the process alive.
/// </summary>
public sealed class EndlessConfigFilePoller : IRunsUntilProcessExit
{
    private readonly string _path = Path.Combine(AppContext.BaseDirectory, "poller-settings.json");
    private Thread? _poller;
    private DateTime _loadedStamp;
    private string _settings = string.Empty;
    private long _polls;

    public long Progress => Interlocked.Read(ref _polls);

    public string Settings => Volatile.Read(ref _settings);

    public void Start()
    {
        File.WriteAllText(_path, "{ \"level\": \"info\" }");
        _poller = new Thread(Poll) { Name = "settings poller" };
        _poller.Start();
    }

    private void Poll()
    {
        for (;;)
        {
            var stamp = File.GetLastWriteTimeUtc(_path);
            if (stamp != _loadedStamp)
            {
                Volatile.Write(ref _settings, File.ReadAllText(_path));
                _loadedStamp = stamp;
            }

            Interlocked.Increment(ref _polls);
            Thread.Sleep(Backlog.Busy ? 10 : 4000);
        }
    }
}
