using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A local <c>var cts = new CancellationTokenSource();</c> that nothing can ever cancel: no <c>Cancel</c>,
/// <c>CancelAfter</c> or <c>CancelAsync</c> on it, and the source itself is never handed anywhere (an argument, an
/// assignment, a return, a capture that does more than read it); only its <c>Token</c>, <c>IsCancellationRequested</c>
/// or <c>Dispose</c> are used. Its token never fires, so waits and loops that ignore it lose nothing.
/// </summary>
public static class UncancelledSources
{
    /// <summary><paramref name="tokens"/> without the local sources nobody can cancel.</summary>
    public static ImmutableArray<TokenInScope> Without(ImmutableArray<TokenInScope> tokens, SemanticModel? model)
    {
        if (model is null)
        {
            return tokens;
        }

        foreach (var token in tokens)
        {
            if (token.IsSource && token.Symbol is ILocalSymbol local && IsNeverCancelled(local, model))
            {
                return tokens.RemoveAll(t => t.IsSource && t.Symbol is ILocalSymbol l && IsNeverCancelled(l, model));
            }
        }

        return tokens;
    }

    public static bool IsNeverCancelled(ILocalSymbol local, SemanticModel model)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } creation
            || creation is ObjectCreationExpressionSyntax { Initializer: not null }
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        // The local's scope: the block (or switch section, or function body) that declares it.
        var scope = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax or SwitchSectionSyntax or ArrowExpressionClauseSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return false;
        }

        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name)
            {
                continue;
            }

            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier).Symbol, local))
            {
                continue;
            }

            if (identifier.Parent is not MemberAccessExpressionSyntax access
                || access.Expression != identifier
                || access.Name.Identifier.ValueText is not ("Token" or "IsCancellationRequested" or "Dispose"))
            {
                return false;
            }
        }

        return true;
    }
}
