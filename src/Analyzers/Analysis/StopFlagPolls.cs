using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The cheap, syntax-only gate before GS0007 binds anything for a captured local: whether a loop and a lambda in the
/// local's scope name it. Which reads are polls is <see cref="StopFlagAnalysis.Classify"/>'s question, asked only after.
/// (Fields are gated the same way, per type, by the <see cref="StopModel"/>'s <see cref="TypeFlagModel"/>.)
/// </summary>
public static class StopFlagPolls
{
    /// <summary>
    /// The local's scope (its block, switch section or file of top-level statements) holds a while/do/for statement
    /// that names it and a lambda or local function (the only way a local is shared with another thread).
    /// </summary>
    public static bool MayPollCapturedLocal(VariableDeclaratorSyntax declarator)
    {
        SyntaxNode? scope = declarator.Parent;
        while (scope is not null and not (BlockSyntax or SwitchSectionSyntax or CompilationUnitSyntax))
        {
            scope = scope.Parent;
        }

        if (scope is null)
        {
            return false;
        }

        var name = declarator.Identifier.ValueText;
        var loopNamesIt = false;
        var hasFunction = false;
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    hasFunction = true;
                    break;
                case IdentifierNameSyntax identifier when !loopNamesIt && identifier.Identifier.ValueText == name:
                    loopNamesIt = IsInLoop(identifier);
                    break;
            }

            if (hasFunction && loopNamesIt)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
