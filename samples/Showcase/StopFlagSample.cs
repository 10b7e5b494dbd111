namespace Showcase.StopFlag;

/// <summary>
/// GS0007: stop flags that a loop polls and another thread sets, with no synchronization. In a Release build
/// the JIT may read each flag once, before its loop, and the loop then never stops.
/// </summary>
public sealed class PollingWorker
{
    // GS0007: read by the loop in 'Run', written in 'Stop'.
    private bool _stop;

    private Thread? _thread;

    public long Iterations { get; private set; }

    public void Start()
    {
        _stop = false;
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop)
        {
            Iterations++;
        }
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join(TimeSpan.FromSeconds(1));
    }
}

/// <summary>GS0007 on a "running" flag that starts true, read by an <c>if (!flag) return;</c>.</summary>
public static class Heartbeat
{
    private static bool s_running = true;

    public static void Beat()
    {
        for (;;)
        {
            if (!s_running) return;
            Thread.Sleep(100);
        }
    }

    public static void Shutdown() => s_running = false;
}

/// <summary>GS0007 on a captured local: the loop runs on a new thread, the write is in the method.</summary>
public static class CapturedFlag
{
    public static void RunFor(TimeSpan duration)
    {
        var done = false;
        var worker = new Thread(() =>
        {
            while (!done)
            {
                Thread.SpinWait(10);
            }
        })
        { IsBackground = true };
        worker.Start();
        Thread.Sleep(duration);
        done = true;
        worker.Join(TimeSpan.FromSeconds(1));
    }
}

/// <summary>Not reported: the flag is volatile, and the loop calls the method that ends it on its own thread.</summary>
public sealed class NotReported
{
    private volatile bool _stop;
    private int _position;
    private bool _atEnd;

    public void Run()
    {
        while (!_stop) { Thread.Sleep(10); }
    }

    public void Stop() => _stop = true;

    public int Count(string text)
    {
        var count = 0;
        _atEnd = text.Length == 0;
        while (!_atEnd)
        {
            Advance(text);
            count++;
        }

        return count;
    }

    private void Advance(string text)
    {
        if (++_position >= text.Length) _atEnd = true;
    }
}
