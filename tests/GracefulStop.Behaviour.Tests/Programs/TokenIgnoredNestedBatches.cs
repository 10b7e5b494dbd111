namespace Behaviour.Programs;

/// <summary>A batch processor with an outer endless loop and an inner loop over each batch; both ignore the token.</summary>
public sealed class TokenIgnoredNestedBatches : IStoppable
{
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _processor;
    private long _processed;

    public long Progress => Interlocked.Read(ref _processed);

    public void Start()
    {
        var token = _stopping.Token;
        _processor = new Thread(() => Process(token)) { Name = "batches" };
        _processor.Start();
    }

    public void Stop()
    {
        _stopping.Cancel();
        _processor?.Join();
    }

    private void Process(CancellationToken token)
    {
        var batch = Enumerable.Range(0, 50).ToArray();
        while (true)
        {
            foreach (var item in batch)
            {
                Interlocked.Add(ref _processed, item % 2);
                Thread.SpinWait(100);
            }
        }
    }
}
