using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A stop path that clears the flag and then closes what the loop blocks on (fresh set 3, MCGalaxy's
/// <c>readable = false; ... client.Close();</c> while the loop sits in <c>stream.Read</c> on the client's stream): the
/// blocking call throws, the exception leaves the loop, and the loop ends whether or not it ever sees the write.
/// Asked only on the way to a report.
/// </summary>
internal static class StopFlagClosedResource
{
    /// <summary>
    /// Whether a later statement of the write's block stops, closes, disposes, shuts down or aborts a field (or a member
    /// of one, <c>_client.Client.Close()</c>) that the loop reads, accepts or receives from outside any <c>try</c>
    /// with a <c>catch</c> in the loop, or a field the type builds from it (<c>_stream = Wrap(_client.GetStream())</c>,
    /// found in <paramref name="scope"/>).
    /// </summary>
    public static bool IsClosedAfterWrite(StopFlagAccess write, IOperation loop, StopFlagScope scope)
    {
        if (loop is not ILoopOperation { Body: { } body }
            || StopFlagOrdering.StatementOf(write.Reference) is not { Parent: IBlockOperation block } statement)
        {
            return false;
        }

        var index = block.Operations.IndexOf(statement);
        for (var i = index + 1; index >= 0 && i < block.Operations.Length; i++)
        {
            foreach (var operation in block.Operations[i].DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "Stop" or "Close" or "Dispose" or "Shutdown" or "Abort" } close
                    && StopPath.SignalledField(close) is { } closed
                    && BlocksOn(body, loop, closed, scope))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the loop's body makes an uncaught read, receive or accept on <paramref name="closed"/> or on a field built from it.</summary>
    private static bool BlocksOn(IOperation body, IOperation loop, ISymbol closed, StopFlagScope scope)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation call
                && StopPath.SignalsFor(call.TargetMethod.Name).IndexOf("Close") >= 0
                && StopPath.WaitedField(call) is { } waited
                && !IsCaughtInside(call, loop)
                && (SymbolEqualityComparer.Default.Equals(waited, closed) || IsBuiltFrom(waited, closed, scope)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether some assignment of <paramref name="field"/> in <paramref name="scope"/> takes a value that reads <paramref name="source"/>.</summary>
    private static bool IsBuiltFrom(ISymbol field, ISymbol source, StopFlagScope scope)
    {
        foreach (var root in scope.BlocksNaming(field.Name))
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is not ISimpleAssignmentOperation assignment
                    || !SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(assignment.Target), field))
                {
                    continue;
                }

                foreach (var part in assignment.Value.DescendantsAndSelf())
                {
                    if (part is IFieldReferenceOperation or IPropertyReferenceOperation
                        && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(part), source))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsCaughtInside(IOperation call, IOperation loop)
    {
        for (var current = call.Parent; current is not null && current != loop; current = current.Parent)
        {
            if (current is ITryOperation { Catches.IsEmpty: false } or IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }
}
