namespace Behaviour.Programs;

/// <summary>A watchdog whose stop flag is a local captured by the thread's lambda and by the stop action.</summary>
public sealed class CapturedLocalStopFlag : IStoppable
{
    private Action? _stop;
    private long _checks;

    public long Progress => Interlocked.Read(ref _checks);

    public void Start()
    {
        var stopping = false;
        var watchdog = new Thread(() =>
        {
            while (!stopping)
            {
                Interlocked.Increment(ref _checks);
            var warmingUp = Backlog.Busy;
                Thread.Sleep(warmingUp ? 10 : 4000);
            }
        });
        _stop = () =>
        {
            stopping = true;
            watchdog.Join();
        };
        watchdog.Start();
    }

    public void Stop() => _stop?.Invoke();
}
