using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The syntax counterpart of <see cref="OperationScopes"/>: questions about what encloses a node inside its own function.</summary>
public static class SyntaxScopes
{
    /// <summary>The innermost lambda, local function, accessor or member around <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (IsFunction(current))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>Whether a <typeparamref name="T"/> (a <c>lock</c>, a <c>finally</c>, ...) encloses <paramref name="node"/> inside its own function.</summary>
    public static bool IsWithinFunction<T>(SyntaxNode node)
        where T : SyntaxNode
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is T)
            {
                return true;
            }

            if (IsFunction(current))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or MemberDeclarationSyntax;
}
