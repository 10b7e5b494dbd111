using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A function's own <c>Cancel()</c> that is only the way out of the loop around a wait, while someone else cancels the same
/// source too: <c>while (!cts.IsCancellationRequested) { try { … } catch (ObjectDisposedException) { cts.Cancel(); }
/// catch { Thread.Sleep(retry); } }</c> in a method whose owner's <c>Stop()</c> also cancels <c>cts</c> (the Kafka client's
/// rebalance retry, fresh set 12). After that cancel the loop's condition ends the loop, so no wait of the loop follows it;
/// the waits delay the other canceller, as in any loop conditioned on its token. GS0005's "the function cancels the
/// source itself" does not count such a cancel.
/// </summary>
internal static class LoopExitCancels
{
    /// <summary>
    /// Whether <paramref name="cancel"/> (a <c>Cancel</c> call of the function itself on <paramref name="source"/>) lies in a
    /// loop that also holds <paramref name="wait"/> and whose condition is <c>!source.IsCancellationRequested</c> (or on
    /// its <c>Token</c>, alone or joined by <c>&amp;&amp;</c>), and the source is also cancelled outside the function.
    /// </summary>
    public static bool IsLoopExitOfSourceCancelledElsewhere(IOperation cancel, IOperation wait, ISymbol source, IOperation function, KnownTypes types, CancellationToken cancellationToken)
    {
        for (var node = cancel.Parent; node is not null && node != function; node = node.Parent)
        {
            if (node is ILoopOperation loop
                && loop.Syntax.Span.Contains(wait.Syntax.Span)
                && LoopClassifier.ConditionOf(loop) is { } condition
                && EndsWhenCancelled(condition, source, types))
            {
                return IsCancelledElsewhere(source, function, cancellationToken);
            }
        }

        return false;
    }

    private static bool EndsWhenCancelled(IOperation condition, ISymbol source, KnownTypes types)
    {
        if (OperationUnwrapping.WithoutConversions(condition) is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return EndsWhenCancelled(and.LeftOperand, source, types) || EndsWhenCancelled(and.RightOperand, source, types);
        }

        return Cancellations.NotRequested(condition) is { } tested
            && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(Cancellations.SourceOfToken(tested, types) ?? tested), source);
    }

    /// <summary>
    /// A parameter (the caller keeps it), a field cancelled outside the function or out of sight
    /// (<see cref="SourceFieldCancels"/>), or a local cancelled in a lambda or local function of the function.
    /// </summary>
    private static bool IsCancelledElsewhere(ISymbol source, IOperation function, CancellationToken cancellationToken)
    {
        switch (source)
        {
            case IParameterSymbol:
                return true;
            case ILocalSymbol:
                foreach (var operation in function.Descendants())
                {
                    if (SymbolEqualityComparer.Default.Equals(Cancellations.SourceCancelledBy(operation), source)
                        && OperationScopes.EnclosingFunction(operation) != function)
                    {
                        return true;
                    }
                }

                return false;
            case IFieldSymbol field:
                if (function.SemanticModel is not { } model
                    || SourceFieldCancels.Of(field.OriginalDefinition, model.Compilation, cancellationToken) is not { } cancels)
                {
                    return true;
                }

                foreach (var other in cancels)
                {
                    if (other.Syntax.SyntaxTree != function.Syntax.SyntaxTree || !function.Syntax.Span.Contains(other.Syntax.Span))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
