using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The outcome for one flag: the loop read and the write the message names, and every location involved.</summary>
public sealed class StopFlagVerdict
{
    private StopFlagVerdict(StopFlagAccess loopRead, StopFlagAccess write, List<Location> locations, bool setBeforeStart)
    {
        LoopRead = loopRead;
        Write = write;
        Locations = locations;
        SetBeforeStart = setBeforeStart;
    }

    /// <summary>Some write of the flag is followed by a thread start (<c>_running = true; new Thread(Run).Start();</c>): the type runs work on it.</summary>
    public bool SetBeforeStart { get; }

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

        // A read in the body of using (_mutex.Lock()) / using (await _mutex.LockAsync()) is under a lock, and one in a
        // loop that takes the flag's lock every iteration follows a fence. A loop that ends by itself, whose real stop is a token
        // it awaits, that the type ends by interrupting its thread, or that leaves whatever the read finds, does not
        // depend on the flag to stop.
        loopReads.RemoveAll(read => StopFlagExemptions.IsUnderUsingLock(read)
            || StopFlagOrdering.LoopEndsAnyway(read)
            || StopFlagOrdering.LoopAwaitsWithToken(read, types)
            || StopFlagInterrupts.EndsByInterrupt(read, scope, types)
            || (LoopOf(read) is { } loop && (IsGuardedByLoopLock(read, loop) || StopFlagLoopExits.LeavesEitherWay(read, loop))));

        // A finalizer runs when nothing polls the object any more; a write followed by the thread's start is ordered.
        var setBeforeStart = false;
        for (var i = writes.Count - 1; i >= 0; i--)
        {
            var beforeStart = StopFlagOrdering.IsWrittenBeforeStart(writes[i], types);
            setBeforeStart |= beforeStart;
            if (beforeStart || StopFlagOrdering.IsInFinalizer(writes[i]))
            {
                writes.RemoveAt(i);
            }
        }

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
            var races = false;
            foreach (var read in loopReads)
            {
                StopFlagReach? reachable = null;
                // A write followed by closing what the loop blocks on ends the loop by the exception.
                if (StopFlagAnalysis.RunsOnLoopThread(write, read, graph, ref reachable)
                    || StopFlagExemptions.IsRaisedByLoop(write, read, scope)
                    || StopFlagChainHandlers.IsRunByLoopCall(write, read, types)
                    || StopFlagSequentialCalls.AreCalledInSequence(write, read)
                    || StopFlagOrdering.IsSignalledAfterWrite(write, read)
                    || StopFlagUiThread.BothOnUiThread(write, read, scope, types)
                    || StopFlagMessagePump.RunsInsidePump(write, read, scope, types)
                    || (LoopOf(read) is { } lockingLoop && StopFlagLoopLocks.LocksWhatTheWriteHolds(write, lockingLoop))
                    || (LoopOf(read) is { } loop && StopFlagClosedResource.IsClosedAfterWrite(write, loop, scope)))
                {
                    continue;
                }

                // A write of the value that keeps the loop running races too (it is one of the locations), but it is
                // no stop request: a loop that misses it still stops, so it is never the write a report rests on.
                races = true;
                if (StopFlagPolarity.OnlyKeepsRunning(write, read))
                {
                    continue;
                }

                if (namedRead is null || StopFlagAnalysis.Compare(read, namedRead) < 0)
                {
                    namedRead = read;
                    namedWrite = write;
                }

                break;
            }

            if (races)
            {
                hazardousWrites.Add(write);
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

        return new StopFlagVerdict(namedRead, namedWrite, locations, setBeforeStart);
    }

    private static bool IsGuardedByLoopLock(StopFlagAccess read, IOperation loop) =>
        OperationUnwrapping.ReferencedSymbol(read.Reference) is { } flag && StopFlagLoopLocks.LocksEveryIteration(loop, flag);

    private static IOperation? LoopOf(StopFlagAccess read) =>
        read.Loop is { } syntax ? StopFlagExemptions.LoopOf(read.Reference, syntax) : null;

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
