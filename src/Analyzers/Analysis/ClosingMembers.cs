using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An accept, receive or read on a field that another member of its type stops, closes or disposes, wherever that
/// member is: <c>_listener.Stop()</c> in the handler that ends a test's script (NsqSharp's mock server, fresh set 7).
/// Unlike a <c>Set()</c>, which outside the stop path may only announce work, closing the object a call waits on can
/// only end that call (it throws). Asked by the <see cref="StopModel"/> for a wait about to be reported, after the stop
/// path was searched; the type's declarations are searched by name first and only matching calls are bound.
/// </summary>
internal static class ClosingMembers
{
    /// <summary>
    /// Whether a member of <paramref name="type"/> other than <paramref name="waitingMember"/> sends one of
    /// <paramref name="signals"/> (all of them I/O stops) to <paramref name="field"/> (a member of the object held by
    /// <paramref name="owner"/> when not null).
    /// </summary>
    public static bool ClosesOutsideTheWait(INamedTypeSymbol type, ISymbol field, ISymbol? owner, ImmutableArray<string> signals, SyntaxNode? waitingMember, SemanticModel model, CancellationToken cancellationToken)
    {
        var receiverName = (owner ?? field).Name;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocation
                    || RightmostName.Of(invocation.Expression) is not { } name
                    || signals.IndexOf(name) < 0
                    || (waitingMember is not null && waitingMember.SyntaxTree == invocation.SyntaxTree && waitingMember.Span.Contains(invocation.Span))
                    || !MentionsName(invocation.Expression, receiverName))
                {
                    continue;
                }

                var treeModel = invocation.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(invocation.SyntaxTree);
                if (treeModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation signal)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(Signalled(signal, owner)?.OriginalDefinition, field.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The field the signal is sent to, or with an owner the member of the owner's object it is sent to.</summary>
    private static ISymbol? Signalled(IInvocationOperation signal, ISymbol? owner)
    {
        if (owner is null)
        {
            return StopPath.SignalledField(signal);
        }

        var member = StopPath.SignalledMemberOfField(signal, out var signalledOwner);
        return SymbolEqualityComparer.Default.Equals(signalledOwner?.OriginalDefinition, owner.OriginalDefinition) ? member : null;
    }

    private static bool MentionsName(ExpressionSyntax expression, string name)
    {
        foreach (var token in expression.DescendantTokens())
        {
            if (token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }
}
