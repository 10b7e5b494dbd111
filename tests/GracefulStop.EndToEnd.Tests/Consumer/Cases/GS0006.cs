using System.Collections.Concurrent;

namespace Consumer.Cases;

/// <summary>
/// GS0006: a worker thread that takes items with no timeout and no token in scope. Stop wakes it with one more item
/// (an Add is not a signal that ends the wait for good, so the wait is still reported).
/// </summary>
public sealed class GS0006WaitForeverCase : IStoppableCase
{
    private readonly BlockingCollection<int> _items = new();
    private Thread? _worker;
    private volatile bool _stopping;
    private int _rounds;

    public void Start()
    {
        _worker = new Thread(() => Work());
        _worker.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _items.Add(0);
        _worker?.Join();
    }

    private void Work()
    {
        while (!_stopping)
        {
            _items.Take(); // expect: GS0006
            _rounds++;
        }
    }
}
