using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Tokens that are certainly cancelled at a call: an earlier statement of the same function, on every path to the
/// call, waited for the token without a timeout (<c>exitCts.Token.WaitHandle.WaitOne();</c>), so the call runs only
/// once the token has fired. Passing such a token would make the call end (or throw) at once: the pause on the way out
/// (<c>Task.Delay(1000).Wait();</c> "to let the BYE go out") is deliberate. Found on sipsorcery's examples (fresh set 2).
/// Asked only right before a report.
/// </summary>
public static class TokenCancelledBefore
{
    /// <summary><paramref name="tokens"/> without those an earlier statement waited out.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens, KnownTypes types) =>
        tokens.IsEmpty
            ? tokens
            : EarlierStatements.RemoveTokens(
                operation, tokens, (statement, token) => WaitedOutToken(statement, types) is { } waited && SymbolEqualityComparer.Default.Equals(token.Symbol, waited));

    /// <summary>
    /// <c>token.WaitHandle.WaitOne();</c> or <c>source.Token.WaitHandle.WaitOne();</c> (no timeout, or an infinite one)
    /// as a statement: the token or source it waits for.
    /// </summary>
    private static ISymbol? WaitedOutToken(IOperation statement, KnownTypes types)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "WaitOne", Instance: { } instance } wait }
            || !WaitsWithoutTimeout(wait)
            || OperationUnwrapping.WithoutConversions(instance) is not IPropertyReferenceOperation { Property.Name: "WaitHandle", Instance: { } token }
            || !TokenScope.IsToken(token.Type, types))
        {
            return null;
        }

        token = OperationUnwrapping.WithoutConversions(token);
        if (token is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source } && TokenScope.IsSource(source.Type, types))
        {
            token = source;
        }

        return OperationUnwrapping.ReferencedSymbol(token);
    }

    private static bool WaitsWithoutTimeout(IInvocationOperation wait)
    {
        foreach (var argument in wait.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && !(argument.Value.ConstantValue is { HasValue: true, Value: -1 }
                    || argument.Value is IFieldReferenceOperation { Field.Name: "Infinite" or "InfiniteTimeSpan" }))
            {
                return false;
            }
        }

        return true;
    }
}
