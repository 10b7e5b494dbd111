using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A polling loop that takes the flag's lock on every iteration and reads the flag again under it (fresh set 3,
/// Jabber-Net's <c>XEP124Socket</c>: <c>while (m_running) { lock (m_queue) { ... if (!m_running) return; ... } }</c>):
/// the flag is guarded by that lock, and entering it is a full fence, so each later read of the flag comes after one
/// and cannot be hoisted out of the loop; and one that takes, on every iteration, the lock the flag is written under
/// (fresh set 6, MapCruncher's <c>DiskCache</c>). Asked only on the way to a report.
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
        loop is ILoopOperation { Body: { } body } loopOperation && TakesLock(body, loopOperation, taken => taken is ILockOperation { Body: { } guarded } && ReadsFlag(guarded, flag));

    /// <summary>
    /// Whether <paramref name="loop"/> takes, on every iteration (at its top level, no <c>continue</c> before it), a lock
    /// that <paramref name="write"/> is made under (fresh set 6, MapCruncher's <c>DiskCache</c>: <c>disposed = true</c>
    /// under <c>lock (this)</c>, and a drain loop <c>while (!disposed) { lock (this) { dequeue } … }</c>): an iteration
    /// that enters the lock after the writer left it sees the write at its next read, and no read is hoisted above
    /// the entry. A lock is the same when it is <c>this</c> or the same field; the decompiled form
    /// <c>Monitor.Enter(x); try { … } finally { Monitor.Exit(x); }</c> counts as <c>lock (x)</c>.
    /// </summary>
    public static bool LocksWhatTheWriteHolds(StopFlagAccess write, IOperation loop)
    {
        if (loop is not ILoopOperation { Body: { } body } loopOperation)
        {
            return false;
        }

        List<ISymbol>? held = null;
        for (var current = write.Reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (LockOf(current) is { } key)
            {
                (held ??= new List<ISymbol>()).Add(key);
            }
        }

        return held is not null
            && TakesLock(body, loopOperation, taken => LockOf(taken) is { } key && held.Contains(key, SymbolEqualityComparer.Default));
    }

    /// <summary>
    /// The lock a <c>lock</c> statement, or a <c>try</c> whose <c>finally</c> calls <c>Monitor.Exit(x)</c>, holds over its
    /// body: the field, or the type for <c>this</c>. Null for anything else (a local lock object is another per call).
    /// </summary>
    private static ISymbol? LockOf(IOperation statement) =>
        statement switch
        {
            ILockOperation { LockedValue: { } locked } => LockKey(locked),
            ITryOperation { Finally: { } @finally } => MonitorExited(@finally),
            _ => null,
        };

    private static ISymbol? MonitorExited(IBlockOperation @finally)
    {
        foreach (var statement in @finally.Operations)
        {
            if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { Name: "Exit", ContainingType: { Name: "Monitor" } }, Arguments: { Length: 1 } arguments } })
            {
                return LockKey(arguments[0].Value);
            }
        }

        return null;
    }

    private static ISymbol? LockKey(IOperation locked) =>
        OperationUnwrapping.WithoutConversions(locked) switch
        {
            IInstanceReferenceOperation self => self.Type,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
            _ => null,
        };

    private static bool TakesLock(IOperation statement, ILoopOperation loop, Func<IOperation, bool> counts)
    {
        switch (statement)
        {
            case ILockOperation:
                return counts(statement);
            case ITryOperation { Body: { } tryBody }:
                return counts(statement) || TakesLock(tryBody, loop, counts);
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (TakesLock(inner, loop, counts))
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
