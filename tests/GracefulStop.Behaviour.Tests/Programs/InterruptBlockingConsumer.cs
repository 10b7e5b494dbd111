using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>A log writer taking lines from a BlockingCollection, woken for shutdown with Thread.Interrupt.</summary>
public sealed class InterruptBlockingConsumer : IStoppable
{
    private readonly BlockingCollection<string> _lines = new();
    private readonly Thread _writer;
    private long _written;

    public InterruptBlockingConsumer()
    {
        _writer = new Thread(Write);
    }

    public long Progress => Interlocked.Read(ref _written);

    public void Start()
    {
        _writer.Start();
        ThreadPool.QueueUserWorkItem(_ =>
        {
            for (var i = 0; Backlog.Busy; i++)
            {
                _lines.Add("line " + i);
                Thread.Sleep(10);
            }
        });
    }

    public void Stop()
    {
        _writer.Interrupt();
        _writer.Join();
    }

    private void Write()
    {
        while (true)
        {
            var line = _lines.Take();
            Interlocked.Add(ref _written, line.Length > 0 ? 1 : 0);
        }
    }
}
