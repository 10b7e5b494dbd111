namespace Behaviour.Programs;

/// <summary>
/// A console tool's main loop: Ctrl+C cancels a token source (here Stop() does what the CancelKeyPress handler does),
/// but the loop never looks at the token.
/// </summary>
public sealed class CtrlCConsoleLoop : IStoppable
{
    private readonly CancellationTokenSource _ctrlC = new();
    private Thread? _main;
    private long _lines;

    public long Progress => Interlocked.Read(ref _lines);

    public void Start()
    {
        _main = new Thread(() => RunMain(_ctrlC.Token));
        _main.Start();
    }

    public void Stop()
    {
        // What Console.CancelKeyPress += (_, e) => { e.Cancel = true; _ctrlC.Cancel(); } does on Ctrl+C.
        _ctrlC.Cancel();
        _main?.Join();
    }

    private void RunMain(CancellationToken token)
    {
        do
        {
            Interlocked.Increment(ref _lines);
            Thread.SpinWait(3000);
        }
        while (true);
    }
}
