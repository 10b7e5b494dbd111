using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>An order consumer thread that checks its token but takes from the queue without it.</summary>
public sealed class TakeIgnoresTokenConsumer : IStoppable
{
    private readonly BlockingCollection<int> _orders = new();
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _consumer;
    private long _handled;

    public long Progress => Interlocked.Read(ref _handled);

    public void Start()
    {
        var token = _cancellation.Token;
        _consumer = new Thread(() => Consume(token));
        _consumer.Start();
        for (var i = 0; i < 20; i++)
        {
            _orders.Add(i);
        }

        ThreadPool.QueueUserWorkItem(_ =>
        {
            for (var i = 0; Backlog.Busy; i++)
            {
                _orders.Add(i);
                Thread.Sleep(10);
            }
        });
    }

    public void Stop()
    {
        _cancellation.Cancel();
        _consumer?.Join();
    }

    private void Consume(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var order = _orders.Take();
            Interlocked.Increment(ref _handled);
            Thread.Sleep(order % 2);
        }
    }
}
