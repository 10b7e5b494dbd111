using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The function an operation runs in, and the root of its operation tree.</summary>
public static class OperationScopes
{
    /// <summary>
    /// The innermost lambda or local function around <paramref name="operation"/>, or the member body's root when it
    /// is in none: code that runs when this code runs (a nested function runs later, possibly on another thread).
    /// </summary>
    public static IOperation EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return Root(operation);
    }

    /// <summary>
    /// Whether <paramref name="operation"/> sits in a lambda or local function inside <paramref name="within"/>: code
    /// that runs later, possibly elsewhere, not when <paramref name="within"/> runs.
    /// </summary>
    public static bool IsInNestedFunction(IOperation operation, IOperation within)
    {
        for (var current = operation.Parent; current is not null && current != within; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The root of <paramref name="operation"/>'s tree (the member body, initializer or attribute argument).</summary>
    public static IOperation Root(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }
}
