using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The statements that run before an operation on every path to it: in each block around it, up to its function
/// (lambdas and local functions included), those before the statement that holds it.
/// </summary>
internal static class EarlierStatements
{
    /// <summary><paramref name="tokens"/> without those that an earlier statement has dealt with (<paramref name="endedBy"/>).</summary>
    public static ImmutableArray<TokenInScope> RemoveTokens(IOperation operation, ImmutableArray<TokenInScope> tokens, Func<IOperation, TokenInScope, bool> endedBy)
    {
        var kept = tokens;
        IOperation child = operation;
        for (var current = operation.Parent; current is not null && !kept.IsEmpty; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (current is not IBlockOperation block)
            {
                continue;
            }

            foreach (var statement in block.Operations)
            {
                if (statement == child || kept.IsEmpty)
                {
                    break;
                }

                kept = kept.RemoveAll(token => endedBy(statement, token));
            }
        }

        return kept;
    }

    /// <summary>Whether an earlier statement satisfies <paramref name="predicate"/>.</summary>
    public static bool Any<TState>(IOperation operation, TState state, Func<IOperation, TState, bool> predicate)
    {
        IOperation child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is not IBlockOperation block)
            {
                continue;
            }

            foreach (var statement in block.Operations)
            {
                if (statement == child)
                {
                    break;
                }

                if (predicate(statement, state))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
