namespace Behaviour.Programs;

/// <summary>A hand-written blocking queue whose Dequeue waits on an event forever; the consumer checks its token between items.</summary>
public sealed class BlockingQueueDequeue : IStoppable
{
    private readonly SignalQueue<string> _queue = new();
    private readonly CancellationTokenSource _cancellation = new();
    private Thread? _consumer;
    private Timer? _producer;
    private long _consumed;

    public long Progress => Interlocked.Read(ref _consumed);

    public void Start()
    {
        var token = _cancellation.Token;
        _consumer = new Thread(() => Consume(token));
        _consumer.Start();
        _producer = new Timer(_ => _queue.Enqueue("event"), null, 0, 10);
    }

    public void Stop()
    {
        // Wait until no timer callback is running or queued: a late Enqueue would wake the consumer and let the original
        // program stop by chance (seen under load).
        using (var callbacksDone = new ManualResetEvent(false))
        {
            if (_producer?.Dispose(callbacksDone) == true)
            {
                callbacksDone.WaitOne();
            }
        }

        // Then let the worker take items the callbacks queued and block: left over, it would let the original loop see the
        // cancellation and stop by chance (seen under load). Blocked with nobody left to wake it, it cannot.
        SpinWait.SpinUntil(() => _consumer is null || (_consumer.ThreadState & ThreadState.WaitSleepJoin) != 0, 5000);

        _cancellation.Cancel();
        _consumer?.Join();
    }

    private void Consume(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var item = _queue.Dequeue();
            Interlocked.Add(ref _consumed, item.Length > 0 ? 1 : 0);
        }
    }
}

/// <summary>A queue whose Dequeue blocks until an item arrives.</summary>
public sealed class SignalQueue<T>
{
    private readonly Queue<T> _items = new();
    private readonly AutoResetEvent _available = new(false);

    public void Enqueue(T item)
    {
        lock (_items)
        {
            _items.Enqueue(item);
        }

        _available.Set();
    }

    public T Dequeue()
    {
        while (true)
        {
            lock (_items)
            {
                if (_items.Count > 0)
                {
                    return _items.Dequeue();
                }
            }

            _available.WaitOne();
        }
    }
}
