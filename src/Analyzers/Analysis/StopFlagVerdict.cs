using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The outcome for one flag: the loop read and the write the message names, and every location involved.</summary>
public sealed class StopFlagVerdict
{
    private StopFlagVerdict(StopFlagAccess loopRead, StopFlagAccess write, List<Location> locations)
    {
        LoopRead = loopRead;
        Write = write;
        Locations = locations;
    }

    public StopFlagAccess LoopRead { get; }

    public StopFlagAccess Write { get; }

    public List<Location> Locations { get; }

    /// <param name="scope">Where a method used as an event handler is looked for (the member of a captured local, the type's blocks).</param>
    public static StopFlagVerdict? Evaluate(List<StopFlagAccess> accesses, StopFlagCallGraph graph, INamedTypeSymbol? constructorType, StopFlagScope scope, KnownTypes types)
    {
        var loopReads = new List<StopFlagAccess>();
        var writes = new List<StopFlagAccess>();
        foreach (var access in accesses)
        {
            if (access.Kind == StopFlagAccessKind.LoopRead)
            {
                loopReads.Add(access);
            }
            else if (constructorType is null || !access.IsInConstructorOf(constructorType))
            {
                writes.Add(access);
            }
        }

        if (loopReads.Count == 0 || writes.Count == 0)
        {
            return null;
        }

        // A loop that writes the flag itself runs a state machine; its reads are not polls of a stop request.
        loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, graph));

        // A read in the body of using (_mutex.Lock()) / using (await _mutex.LockAsync()) is under a lock. A loop that
        // ends by itself, or whose real stop is a token it awaits, does not depend on the flag to stop.
        loopReads.RemoveAll(read => StopFlagExemptions.IsUnderUsingLock(read)
            || StopFlagOrdering.LoopEndsAnyway(read)
            || StopFlagOrdering.LoopAwaitsWithToken(read, types));

        // A finalizer runs when nothing polls the object any more; a write followed by the thread's start is ordered.
        writes.RemoveAll(write => StopFlagOrdering.IsInFinalizer(write) || StopFlagOrdering.IsWrittenBeforeStart(write, types));
        if (loopReads.Count == 0 || writes.Count == 0)
        {
            return null;
        }

        loopReads.Sort(StopFlagAnalysis.Compare);
        writes.Sort(StopFlagAnalysis.Compare);

        StopFlagAccess? namedRead = null;
        StopFlagAccess? namedWrite = null;
        var hazardousWrites = new List<StopFlagAccess>();
        foreach (var write in writes)
        {
            foreach (var read in loopReads)
            {
                HashSet<ISymbol>? reachable = null;
                if (StopFlagAnalysis.RunsOnLoopThread(write, read, graph, ref reachable)
                    || StopFlagExemptions.IsRaisedByLoop(write, read, scope)
                    || StopFlagOrdering.IsSignalledAfterWrite(write, read))
                {
                    continue;
                }

                hazardousWrites.Add(write);
                if (namedRead is null || StopFlagAnalysis.Compare(read, namedRead) < 0)
                {
                    namedRead = read;
                    namedWrite = write;
                }

                break;
            }
        }

        if (namedRead is null || namedWrite is null)
        {
            return null;
        }

        var locations = new List<Location>(loopReads.Count + hazardousWrites.Count);
        foreach (var read in loopReads)
        {
            locations.Add(read.Location);
        }

        foreach (var write in hazardousWrites)
        {
            locations.Add(write.Location);
        }

        return new StopFlagVerdict(namedRead, namedWrite, locations);
    }

    public Diagnostic Create(DiagnosticDescriptor descriptor, ISymbol flag, Location location, ImmutableDictionary<string, string?> properties, bool qualifyWriter)
    {
        var writer = StopFlagAnalysis.Describe(Write.Chain, qualifyWriter);
        return Diagnostic.Create(
            descriptor,
            location,
            Locations,
            properties,
            flag.Name,
            StopFlagAnalysis.Describe(LoopRead.Chain),
            writer);
    }
}
