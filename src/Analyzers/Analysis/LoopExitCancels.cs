using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    public static bool IsLoopExitOfSourceCancelledElsewhere(IOperation cancel, IOperation wait, ISymbol source, IOperation function)
    {
        for (var node = cancel.Parent; node is not null && node != function; node = node.Parent)
        {
            if (node is ILoopOperation loop
                && loop.Syntax.Span.Contains(wait.Syntax.Span)
                && LoopClassifier.ConditionOf(loop) is { } condition
                && EndsWhenCancelled(condition, source))
            {
                return IsCancelledElsewhere(source, function);
            }
        }

        return false;
    }

    private static bool EndsWhenCancelled(IOperation condition, ISymbol source)
    {
        condition = OperationUnwrapping.WithoutConversions(condition);
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return EndsWhenCancelled(and.LeftOperand, source) || EndsWhenCancelled(and.RightOperand, source);
        }

        return condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }
            && OperationUnwrapping.WithoutConversions(operand) is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } instance }
            && (SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(instance), source)
                || (OperationUnwrapping.WithoutConversions(instance) is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } owner }
                    && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(owner), source)));
    }

    /// <summary>
    /// A parameter (the caller keeps it), a field another member can cancel (not private, or cancelled by name outside the
    /// function in its type's declarations), or a local cancelled in a lambda or local function of the function.
    /// </summary>
    private static bool IsCancelledElsewhere(ISymbol source, IOperation function)
    {
        switch (source)
        {
            case IParameterSymbol:
                return true;
            case ILocalSymbol:
                foreach (var operation in function.Descendants())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Cancel" or "CancelAfter" or "CancelAsync", Instance: { } instance }
                        && OperationScopes.EnclosingFunction(operation) != function
                        && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(instance), source))
                    {
                        return true;
                    }
                }

                return false;
            case IFieldSymbol field:
                return field.DeclaredAccessibility != Accessibility.Private || IsCancelledByNameOutside(field, function.Syntax);
            default:
                return false;
        }
    }

    private static bool IsCancelledByNameOutside(IFieldSymbol field, SyntaxNode function)
    {
        var names = System.Collections.Immutable.ImmutableArray.Create(field.Name);
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (IdentifierSearch.Find(declaration, names) is not { } identifiers)
            {
                continue;
            }

            foreach (var identifier in identifiers)
            {
                if (function.SyntaxTree == identifier.SyntaxTree && function.Span.Contains(identifier.Span))
                {
                    continue;
                }

                SyntaxNode used = identifier.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } self && self.Name == identifier ? self : identifier;
                var called = used.Parent switch
                {
                    MemberAccessExpressionSyntax access when access.Expression == used => access.Name.Identifier.ValueText,
                    ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } } conditional
                        when conditional.Expression == used => binding.Name.Identifier.ValueText,
                    _ => null,
                };
                if (called is "Cancel" or "CancelAfter" or "CancelAsync")
                {
                    return true;
                }
            }
        }

        return false;
    }
}
