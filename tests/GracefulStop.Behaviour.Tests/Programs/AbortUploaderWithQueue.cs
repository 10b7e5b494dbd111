using System.Collections.Concurrent;

namespace Behaviour.Programs;

/// <summary>An uploader taking files from a blocking queue, stopped with Thread.Abort.</summary>
public sealed class AbortUploaderWithQueue : IStoppable
{
    private readonly BlockingCollection<string> _files = new();
    private Thread? _uploader;
    private Timer? _producer;
    private long _uploaded;

    public long Progress => Interlocked.Read(ref _uploaded);

    public void Start()
    {
        _uploader = new Thread(Upload);
        _uploader.Start();
        _producer = new Timer(_ => _files.Add("report.csv"), null, 0, 10);
    }

    public void Stop()
    {
        _producer?.Dispose();
        _uploader?.Abort();
        _uploader?.Join();
    }

    private void Upload()
    {
        while (true)
        {
            var file = _files.Take();
            if (file.Length > 0)
            {
                Interlocked.Increment(ref _uploaded);
            }
        }
    }
}
