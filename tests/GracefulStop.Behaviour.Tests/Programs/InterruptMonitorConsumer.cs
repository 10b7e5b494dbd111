namespace Behaviour.Programs;

/// <summary>A consumer waiting on a monitor for queued work, woken for shutdown with Thread.Interrupt.</summary>
public sealed class InterruptMonitorConsumer : IStoppable
{
    private readonly object _gate = new();
    private readonly Queue<int> _queue = new();
    private Thread? _consumer;
    private Thread? _producer;
    private volatile bool _producing;
    private long _consumed;

    public long Progress => Interlocked.Read(ref _consumed);

    public void Start()
    {
        _producing = true;
        _consumer = new Thread(Consume);
        _consumer.Start();
        _producer = new Thread(Produce) { IsBackground = true };
        _producer.Start();
    }

    public void Stop()
    {
        _producing = false;
        _producer?.Join();
        _consumer?.Interrupt();
        _consumer?.Join();
    }

    private void Produce()
    {
        while (_producing)
        {
            lock (_gate)
            {
                _queue.Enqueue(1);
                Monitor.Pulse(_gate);
            }

            Thread.Sleep(10);
        }
    }

    private void Consume()
    {
        while (true)
        {
            int item;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    Monitor.Wait(_gate);
                }

                item = _queue.Dequeue();
            }

            Interlocked.Add(ref _consumed, item);
        }
    }
}
