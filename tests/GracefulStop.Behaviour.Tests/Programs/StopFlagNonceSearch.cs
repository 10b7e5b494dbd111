namespace Behaviour.Programs;

/// <summary>
/// A proof-of-work search: a worker spins through nonces, keeping the one whose hash is lowest, until a plain bool flag
/// says stop. Nothing in the loop (the hash is inlined) makes the JIT read the flag again, so an optimised build never
/// sees Stop().
/// </summary>
public sealed class StopFlagNonceSearch : IStoppable
{
    private const ulong Header = 0x5EED_CAFE_F00D_BEEFUL;
    private bool _stop;
    private Thread? _searcher;
    private long _tried;
    private ulong _bestHash = ulong.MaxValue;
    private ulong _bestNonce;

    public long Progress => Interlocked.Read(ref _tried);

    public ulong BestNonce => _bestNonce;

    public void Start()
    {
        _searcher = new Thread(Search);
        _searcher.Start();
    }

    public void Stop()
    {
        _stop = true;
        _searcher?.Join();
    }

    private void Search()
    {
        while (!_stop)
        {
            var nonce = (ulong)_tried;
            var hash = Mix(Header ^ nonce);
            var better = hash < _bestHash;
            _bestNonce = better ? nonce : _bestNonce;
            _bestHash = better ? hash : _bestHash;
            _tried++;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51_AFD7_ED55_8CCDUL;
        x ^= x >> 33;
        x *= 0xC4CE_B9FE_1A85_EC53UL;
        return x ^ (x >> 33);
    }
}
