namespace Behaviour.Programs;

/// <summary>A downloader that checks a stop flag with "if (_cancelled) break;" and waits between chunks.</summary>
public sealed class StopFlagBreakInLoop : IStoppable
{
    private bool _cancelled;
    private Thread? _downloader;
    private long _chunks;

    public long Progress => Interlocked.Read(ref _chunks);

    public void Start()
    {
        _downloader = new Thread(Download);
        _downloader.Start();
    }

    public void Stop()
    {
        _cancelled = true;
        _downloader?.Join();
    }

    private void Download()
    {
        while (true)
        {
            if (_cancelled)
            {
                break;
            }

            Interlocked.Increment(ref _chunks);
            var fast = Backlog.Busy;
            Thread.Sleep(fast ? 10 : 4000);
        }
    }
}
