using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The value a local holds at a use, read from straight-line syntax: <c>var signal = _a; …; signal = _b; …;
/// signal.Set();</c> holds <c>_b</c> at the <c>Set()</c>. Used by the stop path to follow a field taken into a local
/// before it is signalled (RSSDP's mock server reuses one local for two events, fresh set 8).
/// </summary>
internal static class LocalCopies
{
    /// <summary>
    /// The expression last assigned to the local <paramref name="name"/> before the statement of
    /// <paramref name="block"/> that holds <paramref name="use"/>: its initializer, or a later <c>name = value;</c>
    /// statement of the same block. Null when any other write could reach the use (a write nested in a branch or
    /// loop, in the statement that holds the use, or a <c>goto</c> in the block).
    /// </summary>
    public static ExpressionSyntax? ValueReaching(string name, BlockSyntax block, StatementSyntax declaration, ExpressionSyntax initialValue, SyntaxNode use)
    {
        var holder = use;
        while (holder.Parent is not null && holder.Parent != block)
        {
            holder = holder.Parent;
        }

        if (holder.Parent != block || holder is not StatementSyntax useStatement || Writes(useStatement, name) || HasGoto(block))
        {
            return null;
        }

        var statements = block.Statements;
        var start = statements.IndexOf(declaration);
        var end = statements.IndexOf(useStatement);
        if (start < 0 || end <= start)
        {
            return null;
        }

        var value = initialValue;
        for (var i = start + 1; i < end; i++)
        {
            if (statements[i] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment }
                && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                && target.Identifier.ValueText == name)
            {
                if (Writes(assignment.Right, name))
                {
                    return null;
                }

                value = assignment.Right;
            }
            else if (Writes(statements[i], name))
            {
                return null;
            }
        }

        return value;
    }

    private static bool Writes(SyntaxNode node, string name)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            if (descendant is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name && WriteSyntax.MayWrite(identifier))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasGoto(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes())
        {
            if (node is GotoStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
