using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The calls, in a type's declarations in this compilation and outside the member that waits, of a method with one of
/// a few names on an expression that names the waited object (<c>_closed.Set()</c>, <c>_owner._listener.Stop()</c>):
/// the candidates, found by syntax, for "another member of the type signals this field". The callers bind only these.
/// </summary>
internal static class OtherMemberSignalCalls
{
    public static IEnumerable<(InvocationExpressionSyntax Call, SyntaxNode TypeDeclaration)> Find(
        INamedTypeSymbol type,
        string receiverName,
        ImmutableArray<string> signalNames,
        SyntaxNode? waitingMember,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax invocation
                    && RightmostName.Of(invocation.Expression) is { } name
                    && signalNames.IndexOf(name) >= 0
                    && !(waitingMember is not null && waitingMember.SyntaxTree == invocation.SyntaxTree && waitingMember.Span.Contains(invocation.Span))
                    && Names(invocation.Expression, receiverName))
                {
                    yield return (invocation, declaration);
                }
            }
        }
    }

    /// <summary>
    /// Whether the bound call sends its signal to <paramref name="field"/>, or, with an <paramref name="owner"/>, to the
    /// member of the object that field of the type holds.
    /// </summary>
    public static bool Signals(InvocationExpressionSyntax call, ISymbol field, ISymbol? owner, SemanticModel model, CancellationToken cancellationToken)
    {
        var treeModel = call.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(call.SyntaxTree);
        if (treeModel.GetOperation(call, cancellationToken) is not IInvocationOperation signal)
        {
            return false;
        }

        ISymbol? signalled;
        if (owner is null)
        {
            signalled = StopPath.SignalledField(signal);
        }
        else
        {
            var member = StopPath.SignalledMemberOfField(signal, out var signalledOwner);
            signalled = SymbolEqualityComparer.Default.Equals(signalledOwner?.OriginalDefinition, owner.OriginalDefinition) ? member : null;
        }

        return SymbolEqualityComparer.Default.Equals(signalled?.OriginalDefinition, field.OriginalDefinition);
    }

    private static bool Names(ExpressionSyntax expression, string name)
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
