using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Tokens that are certainly cancelled at a call: an earlier statement of the same function, on every path to the
/// call, waited for the token without a timeout (<c>exitCts.Token.WaitHandle.WaitOne();</c>), or looped until it fired
/// (<c>while (!token.IsCancellationRequested) { … }</c> with no other way out), so the call runs only once the token
/// has fired. Passing such a token would make the call end (or throw) at once: the pause on the way out
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
                operation,
                tokens,
                (statement, token) => WaitedOutToken(statement, types) is { } waited
                    ? SymbolEqualityComparer.Default.Equals(token.Symbol, waited)
                    : LoopedUntilCancelled(statement, token.Symbol, types));

    /// <summary>
    /// <c>while (!token.IsCancellationRequested) { … }</c> (or <c>do … while</c>, or on the source) with no way out but its
    /// condition (no <c>break</c>, <c>return</c>, <c>throw</c>, <c>yield</c> or <c>goto</c> in it): after the loop the
    /// token has fired. Found on workflow-core's queue consumer (fresh set 11), whose wind-down waits for the items in
    /// flight after its dispatch loop. The loop's token (<c>source.Token</c> counts as its source) must be <paramref name="token"/>, or a local the
    /// function gives only <c>source.Token</c> of the source <paramref name="token"/> (<c>var cancelToken = _cts.Token;</c>).
    /// The symbols are compared before the loop is searched for another way out.
    /// </summary>
    private static bool LoopedUntilCancelled(IOperation statement, ISymbol token, KnownTypes types)
    {
        if (statement is not IWhileLoopOperation { Condition: { } condition } loop
            || Cancellations.NotRequested(condition) is not { } instance)
        {
            return false;
        }

        var tested = Cancellations.SourceOfToken(instance, types) ?? instance;
        if (!TokenScope.IsTokenOrSource(tested.Type, types))
        {
            return false;
        }

        var same = SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(tested), token)
            || (tested is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(OnlySourceOf(local, statement, types), token));
        return same && !LoopClassifier.HasExitSyntax(loop) && !HasGoto(loop.Syntax);
    }

    /// <summary>The one source whose <c>Token</c> is every value the function gives <paramref name="local"/>; null otherwise.</summary>
    private static ISymbol? OnlySourceOf(ILocalSymbol local, IOperation statement, KnownTypes types)
    {
        ISymbol? only = null;
        foreach (var operation in OperationScopes.Root(statement).Descendants())
        {
            if (LocalValues.GivenBy(operation, local) is not { } value)
            {
                continue;
            }

            if (Cancellations.SourceOfToken(value, types) is not { } source
                || OperationUnwrapping.ReferencedSymbol(source) is not { } symbol
                || (only is not null && !SymbolEqualityComparer.Default.Equals(only, symbol)))
            {
                return null;
            }

            only = symbol;
        }

        return only;
    }

    private static bool HasGoto(SyntaxNode loop)
    {
        foreach (var node in loop.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is GotoStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

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

        return OperationUnwrapping.ReferencedSymbol(Cancellations.SourceOfToken(token, types) ?? token);
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
