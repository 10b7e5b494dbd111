namespace Behaviour.Programs;

/// <summary>
/// A simulation's frame loop: each frame advances a spring-mass system by one fixed step, for as long as a plain bool
/// "running" flag set by Start stays true. Nothing in the loop makes the JIT read the flag again, so an optimised build
/// never sees Stop() clear it.
/// </summary>
public sealed class StopFlagFrameLoop : IStoppable
{
    private const double Step = 0.001;
    private bool _running;
    private Thread? _loop;
    private long _frames;
    private double _position = 1;
    private double _velocity;

    public long Progress => Interlocked.Read(ref _frames);

    public double Position => _position;

    public void Start()
    {
        _running = true;
        _loop = new Thread(Run);
        _loop.Start();
    }

    public void Stop()
    {
        _running = false;
        _loop?.Join();
    }

    private void Run()
    {
        while (_running)
        {
            _velocity -= _position * Step;
            _position += _velocity * Step;
            _frames++;
        }
    }
}
