using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>A one-shot timer whose callback drains a queue until cancelled, taking items without the token.</summary>
public sealed class TimerCallbackDrainsQueue : IStoppable
{
    private readonly BlockingCollection<int> _events = new();
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ManualResetEventSlim _drained = new();
    private Timer? _drainer;
    private long _handled;

    public long Progress => Interlocked.Read(ref _handled);

    public void Start()
    {
        _drainer = new Timer(Drain, null, 0, Timeout.Infinite);
        ThreadPool.QueueUserWorkItem(_ =>
        {
            for (var i = 0; Backlog.Busy; i++)
            {
                _events.Add(i);
                Thread.Sleep(5);
            }
        });
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _drained.Wait(TimeSpan.FromSeconds(5));
        _drainer?.Dispose();
    }

    private void Drain(object? state)
    {
        try
        {
            while (!_cancellation.IsCancellationRequested)
            {
                var item = _events.Take();
                Interlocked.Add(ref _handled, item >= 0 ? 1 : 0);
            }
        }
        finally
        {
            _drained.Set();
        }
    }
}
