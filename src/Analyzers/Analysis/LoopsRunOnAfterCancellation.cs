using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A loop that, when it sees its token cancelled, goes round once more on purpose: <c>if (token.IsCancellationRequested)
/// { … continue; }</c> or <c>catch (OperationCanceledException) when (token.IsCancellationRequested) { …; continue; }</c>
/// ("one final push of the state after we get cancelled", prometheus-net's <c>MetricPusher</c>, fresh set 4). The work
/// such a loop does after cancellation is meant to run: passing that token to a call of the loop's work would cancel the
/// very pass the code goes back for. Only calls given a token overload count (work); a pause or a wait in the loop is
/// still reported. Asked only right before a report.
/// </summary>
public static class LoopsRunOnAfterCancellation
{
    /// <summary><paramref name="tokens"/> without those on whose cancellation an enclosing loop deliberately continues.</summary>
    public static ImmutableArray<TokenInScope> Without(IInvocationOperation invocation, BlockingCall call, ImmutableArray<TokenInScope> tokens)
    {
        if (tokens.IsEmpty || call.Replacement != BlockingReplacement.TokenOverload || call.Api is not null)
        {
            return tokens;
        }

        for (var loop = BlockingSites.EnclosingLoop(invocation); loop is not null; loop = BlockingSites.EnclosingLoop(loop))
        {
            foreach (var operation in loop.Body.Descendants())
            {
                var (check, branch) = operation switch
                {
                    IConditionalOperation { WhenTrue: { } whenTrue } conditional => (conditional.Condition, whenTrue),
                    ICatchClauseOperation { Filter: { } filter } clause => (filter, clause.Handler),
                    _ => (null, null),
                };
                if (check is null || branch is null || !LoopBranches.HasContinueOf(branch, loop))
                {
                    continue;
                }

                foreach (var symbol in CancelledChecks(check))
                {
                    tokens = tokens.RemoveAll(t => SymbolEqualityComparer.Default.Equals(t.Symbol, symbol));
                }
            }
        }

        return tokens;
    }

    /// <summary>The tokens or sources whose <c>IsCancellationRequested</c> the condition reads un-negated (true when cancelled).</summary>
    private static IEnumerable<ISymbol> CancelledChecks(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } instance }
                && operation.Parent is not IUnaryOperation { OperatorKind: UnaryOperatorKind.Not })
            {
                var target = OperationUnwrapping.WithoutConversions(instance);
                if (target is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source })
                {
                    target = source;
                }

                if (OperationUnwrapping.ReferencedSymbol(target) is { } symbol)
                {
                    yield return symbol;
                }
            }
        }
    }
}
