using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait in a loop that leaves the loop right after it: <c>if (last) { started.Wait(); throw new
/// InvalidOperationException(); }</c>. The block holding the wait ends with a <c>return</c>, a <c>throw</c> or a
/// <c>break</c> of that loop (not inside another loop) and nothing in between continues it, so the loop waits there at
/// most once: a one-shot
/// handshake, not a wait in a loop. Found on silverback's batch tests (fresh set 5: a subscriber waits once for all
/// batches to have started). The wait is then judged as if it were outside the loop (thread work is still reported).
/// </summary>
public static class OneShotLoopWaits
{
    /// <summary>Whether the innermost block around <paramref name="wait"/> inside <paramref name="loop"/> leaves the loop after it.</summary>
    public static bool LeavesTheLoopAfter(IOperation wait, ILoopOperation loop)
    {
        var child = wait;
        for (var current = wait.Parent; current is not null && current != loop; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IBlockOperation block:
                    var index = block.Operations.IndexOf(child);
                    for (var i = index + 1; i < block.Operations.Length - 1; i++)
                    {
                        if (LoopBranches.HasContinueOf(block.Operations[i], loop))
                        {
                            return false;
                        }
                    }

                    var last = block.Operations[block.Operations.Length - 1];
                    return index >= 0
                        && StopFlagLoopExits.Leaves(last, loop)
                        && (last is not IBranchOperation || BlockingSites.EnclosingLoop(loop) is null);
            }
        }

        return false;
    }
}
