namespace Consumer.Cases;

/// <summary>
/// GS0004: a pump thread with no token and no way out. Built, reported and fixed, but not run as a stoppable
/// case: the fix adds a token source next to the thread, and deciding where the owner cancels it is left to the
/// user (the rule's doc page says so).
/// </summary>
public sealed class GS0004WorkerLoopCase
{
    private Thread? _pump;
    private long _pumped;

    public void Start()
    {
        // A foreground thread: a background one would not be reported (the process does not wait for it).
        _pump = new Thread(Pump);
        _pump.Start();
    }

    private void Pump()
    {
        while (true) // expect: GS0004
        {
            _pumped++;
            Thread.SpinWait(100);
        }
    }
}
