using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Tokens whose work the function has already waited out, taking their cancellation in stride: an earlier statement of
/// the same function, on every path to the call, is a <c>try</c> that awaits the work given the token (<c>task =
/// downloader.DownloadAsync(token); try { await task; } catch (OperationCanceledException) { }</c>) with a catch of
/// <c>OperationCanceledException</c> that neither rethrows nor leaves. What follows is the function's wind-down (stop
/// each torrent and poll until it has stopped), which runs once the token has been cancelled: passing it would skip
/// the wind-down. Found on monotorrent's sample client (fresh set 6; as prometheus-net's final push, set 4). Asked only
/// right before a report.
/// </summary>
public static class TokenCancellationAbsorbed
{
    /// <summary><paramref name="tokens"/> without those whose work an earlier statement awaited, absorbing its cancellation.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens)
    {
        if (tokens.IsEmpty)
        {
            return tokens;
        }

        tokens = tokens.RemoveAll(token => IsInCatchOfItsCancellation(operation, token.Symbol));
        return tokens.IsEmpty
            ? tokens
            : EarlierStatements.RemoveTokens(
                operation, tokens, static (statement, token) => statement is ITryOperation attempt && AbsorbsCancellation(attempt) && AwaitsWorkGiven(attempt, token.Symbol));
    }

    /// <summary>
    /// The call is in the handler of a <c>catch (OperationCanceledException)</c> (no filter) whose <c>try</c> awaits work
    /// given the token: the handler runs because the token fired, it is the function's reaction to the cancellation (a
    /// drain started there, nats.net's consumer, fresh set 2), and passing the token would end it at once.
    /// </summary>
    private static bool IsInCatchOfItsCancellation(IOperation operation, ISymbol token)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                return false;
            }

            if (current is ICatchClauseOperation { Filter: null } clause
                && IsCancellationException(clause.ExceptionType)
                && clause.Parent is ITryOperation attempt
                && AwaitsWorkGiven(attempt, token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A catch of <c>OperationCanceledException</c> (or a derived type) whose handler neither throws nor leaves.</summary>
    private static bool AbsorbsCancellation(ITryOperation attempt)
    {
        foreach (var clause in attempt.Catches)
        {
            if (IsCancellationException(clause.ExceptionType) && clause.Filter is null && !Leaves(clause.Handler))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCancellationException(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "OperationCanceledException", ContainingNamespace.Name: "System" })
            {
                return true;
            }
        }

        return false;
    }

    private static bool Leaves(IOperation handler)
    {
        foreach (var operation in handler.DescendantsAndSelf())
        {
            if (operation is IThrowOperation or IReturnOperation or IBranchOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The try's body awaits a call given the token, or a local task that every assignment in the function makes with a
    /// call given the token.
    /// </summary>
    private static bool AwaitsWorkGiven(ITryOperation attempt, ISymbol token)
    {
        foreach (var operation in attempt.Body.Descendants())
        {
            if (operation is not IAwaitOperation awaited)
            {
                continue;
            }

            var value = OperationUnwrapping.WithoutConversions(awaited.Operation);
            if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
            {
                value = OperationUnwrapping.WithoutConversions(configured);
            }

            if (value is IInvocationOperation call ? IsGiven(call, token) : value is ILocalReferenceOperation local && IsMadeWith(local.Local, attempt, token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMadeWith(ILocalSymbol local, IOperation within, ISymbol token)
    {
        var made = false;
        foreach (var operation in OperationScopes.Root(within).Descendants())
        {
            var value = LocalValues.GivenBy(operation, local);
            if (value is null)
            {
                continue;
            }

            if (OperationUnwrapping.WithoutConversions(value) is not IInvocationOperation call || !IsGiven(call, token))
            {
                return false;
            }

            made = true;
        }

        return made;
    }

    private static bool IsGiven(IInvocationOperation call, ISymbol token)
    {
        foreach (var argument in call.Arguments)
        {
            var value = OperationUnwrapping.WithoutConversions(argument.Value);

            // `draining ? CancellationToken.None : token`: the token when it matters.
            if (value is IConditionalOperation { WhenTrue: var whenTrue, WhenFalse: { } whenFalse })
            {
                value = IsDefaultToken(whenTrue) ? OperationUnwrapping.WithoutConversions(whenFalse) : IsDefaultToken(whenFalse) ? OperationUnwrapping.WithoutConversions(whenTrue) : value;
            }

            if (value is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source })
            {
                value = OperationUnwrapping.WithoutConversions(source);
            }

            if (TokenObservation.ReferencedSymbol(value) is { } symbol && SymbolEqualityComparer.Default.Equals(symbol, token.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDefaultToken(IOperation value) =>
        OperationUnwrapping.WithoutConversions(value) is IDefaultValueOperation or IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } };
}
