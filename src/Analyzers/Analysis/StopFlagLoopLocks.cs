using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A polling loop that takes the flag's lock on every iteration and reads the flag again under it (fresh set 3,
/// Jabber-Net's <c>XEP124Socket</c>: <c>while (m_running) { lock (m_queue) { ... if (!m_running) return; ... } }</c>):
/// the flag is guarded by that lock, and entering it is a full fence, so each later read of the flag comes after one
/// and cannot be hoisted out of the loop. Asked only on the way to a report.
/// </summary>
internal static class StopFlagLoopLocks
{
    /// <summary>
    /// Whether the body of <paramref name="loop"/> holds, at its top level (also as the body of a top-level <c>try</c>)
    /// with no <c>continue</c> of the loop before it, a <c>lock</c> statement under which <paramref name="flag"/> is read:
    /// every iteration takes it. A lock that a <c>continue</c> can skip (cscore's
    /// <c>if (full) { Thread.Sleep(50); continue; } lock (...) { ... }</c>), or one inside an <c>if</c>, leaves iterations
    /// that never fence; a lock that never reads the flag says nothing about how the flag is guarded.
    /// </summary>
    public static bool LocksEveryIteration(IOperation loop, ISymbol flag) =>
        loop is ILoopOperation { Body: { } body } loopOperation && TakesLock(body, loopOperation, flag);

    private static bool TakesLock(IOperation statement, ILoopOperation loop, ISymbol flag)
    {
        switch (statement)
        {
            case ILockOperation { Body: { } guarded }:
                return ReadsFlag(guarded, flag);
            case ITryOperation { Body: { } tryBody }:
                return TakesLock(tryBody, loop, flag);
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (TakesLock(inner, loop, flag))
                    {
                        return true;
                    }

                    if (LoopBranches.HasContinueOf(inner, loop))
                    {
                        return false;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool ReadsFlag(IOperation guarded, ISymbol flag)
    {
        foreach (var operation in guarded.Descendants())
        {
            if (operation is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation
                && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(operation), flag))
            {
                return true;
            }
        }

        return false;
    }
}
