using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Statements that leave a polling loop, for GS0007 (fresh set 3): a write the loop makes on its way out
/// (<c>_started = false; break;</c>) is not state the loop keeps, and an <c>if (!_running) return;</c> followed by
/// another exit cannot keep the loop running. Asked only on the way to a report.
/// </summary>
internal static class StopFlagLoopExits
{
    /// <summary>
    /// Whether the statement holding <paramref name="write"/> is directly followed, in its block, by a statement that
    /// leaves <paramref name="loop"/>: the loop never reads the value it wrote (PcapDevice's
    /// <c>m_pcapStarted = false; break;</c>, a spin lock's <c>if (!_inUse) { _inUse = true; break; }</c>).
    /// </summary>
    public static bool IsWrittenOnTheWayOut(StopFlagAccess write, IOperation loop) =>
        NextStatement(write.Reference, loop) is { } next && Leaves(next, loop);

    /// <summary>
    /// Whether a read in <c>if (...) return;</c> / <c>break;</c> leaves the loop whatever the flag holds: the
    /// <c>if</c> has an <c>else</c> that leaves it too, or the statement after the <c>if</c> does (Jabber-Net's
    /// <c>if (!OnRead(...) || !m_keepRunning) { Close(); return false; } return false;</c>).
    /// </summary>
    public static bool LeavesEitherWay(StopFlagAccess read, IOperation loop)
    {
        IOperation current = read.Reference;
        while (current.Parent is { } parent and not IConditionalOperation)
        {
            if (parent == loop)
            {
                return false;
            }

            current = parent;
        }

        if (current.Parent is not IConditionalOperation conditional || conditional.Condition != current)
        {
            return false;
        }

        return (conditional.WhenFalse is { } otherwise && EndsBy(otherwise, loop))
            || (NextStatement(conditional, loop) is { } next && Leaves(next, loop));
    }

    private static bool EndsBy(IOperation branch, IOperation loop) =>
        branch is IBlockOperation block
            ? !block.Operations.IsEmpty && Leaves(block.Operations[block.Operations.Length - 1], loop)
            : Leaves(branch, loop);

    /// <summary>The statement after the one holding <paramref name="operation"/> in its block or switch section, inside <paramref name="loop"/>.</summary>
    private static IOperation? NextStatement(IOperation operation, IOperation loop)
    {
        var statement = operation;
        while (statement.Parent is { } parent && parent != loop)
        {
            var siblings = parent switch
            {
                IBlockOperation block => block.Operations,
                ISwitchCaseOperation section => section.Body,
                _ => default,
            };
            if (!siblings.IsDefault)
            {
                var index = siblings.IndexOf(statement);
                return index >= 0 && index + 1 < siblings.Length ? siblings[index + 1] : null;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            statement = parent;
        }

        return null;
    }

    /// <summary>A <c>return</c>, a <c>throw</c>, or a <c>break</c> of <paramref name="loop"/> itself (not of a switch or an inner loop).</summary>
    internal static bool Leaves(IOperation statement, IOperation loop)
    {
        var operation = statement is IExpressionStatementOperation expression ? expression.Operation : statement;
        return operation switch
        {
            IReturnOperation { Kind: not OperationKind.YieldReturn } => true,
            IThrowOperation => true,
            IBranchOperation { BranchKind: BranchKind.Break } branch =>
                loop is ILoopOperation { ExitLabel: { } exit } && SymbolEqualityComparer.Default.Equals(branch.Target, exit),
            _ => false,
        };
    }
}
