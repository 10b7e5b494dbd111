using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>A two-stage pipeline (parse, then store) joined by a BlockingCollection; both stages are interrupted to stop.</summary>
public sealed class PipelineInterruptedStages : IStoppable
{
    private readonly BlockingCollection<string> _parsed = new();
    private Thread? _parser;
    private Thread? _store;
    private long _stored;

    public long Progress => Interlocked.Read(ref _stored);

    public void Start()
    {
        _parser = new Thread(Parse);
        _store = new Thread(Store);
        _parser.Start();
        _store.Start();
    }

    public void Stop()
    {
        _parser?.Interrupt();
        _parser?.Join();
        _store?.Interrupt();
        _store?.Join();
    }

    private void Parse()
    {
        var line = 0;
        while (true)
        {
            _parsed.Add("record " + line++);
            Thread.Sleep(5);
        }
    }

    private void Store()
    {
        while (true)
        {
            var record = _parsed.Take();
            Interlocked.Add(ref _stored, record.Length > 0 ? 1 : 0);
        }
    }
}
