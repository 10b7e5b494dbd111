// GS0003 and GS0004: loops that ignore the cancellation token in scope, and worker loops that cannot stop.
namespace Showcase;

/// <summary>GS0003: a token is in scope, but the loop never looks at it.</summary>
public sealed class LoopIgnoresTokenSamples
{
    private readonly CancellationTokenSource _cts = new();
    private volatile bool _enabled = true;

    // GS0003: endless loop with a CancellationToken parameter.
    public void Pump(CancellationToken cancellationToken)
    {
        while (true)
        {
            Step();
        }
    }

    // GS0003: a bounded loop that does I/O, with a token source field in scope.
    public void ReadAll(Stream stream, int count)
    {
        for (var i = 0; i < count; i++)
        {
            stream.ReadByte();
        }
    }

    // GS0003: the main loop of a thread, with a captured token source.
    public void StartWorker()
    {
        var cts = new CancellationTokenSource();
        new Thread(() =>
        {
            while (_enabled)
            {
                Step();
            }
        }).Start();
    }

    // Not reported: the loop observes the token.
    public void Observed(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Step();
        }
    }

    // Not reported: a bounded loop over an in-memory list.
    public int Sum(List<int> values, CancellationToken cancellationToken)
    {
        var sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    private static void Step()
    {
    }
}

/// <summary>GS0004: an endless loop on its own thread, with no token and no exit.</summary>
public sealed class WorkerLoopSamples
{
    private Thread? _worker;

    // GS0004: the lambda given to new Thread(...) loops forever.
    public void Start()
    {
        _worker = new Thread(() =>
        {
            while (true)
            {
                Step();
            }
        });
        _worker.Start();
    }

    // GS0004: a method of this type, started by Task.Run, loops forever.
    public void StartPump() => Task.Run(() => Pump());

    private void Pump()
    {
        for (;;)
        {
            Step();
        }
    }

    // Not reported: the loop has a way out.
    public void StartCounted() => new Thread(() =>
    {
        while (true)
        {
            if (Step() > 10)
            {
                break;
            }
        }
    }).Start();

    private static int Step() => Environment.TickCount % 20;
}
