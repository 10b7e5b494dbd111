using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007's questions about a type's flags answered from syntax, before anything is bound (issue 19: binding a type
/// for every loop that mentions a bool field cost more than the rest of the rules together). Which candidate flags a
/// loop may poll, with the same shapes as <see cref="StopFlagAnalysis.Classify"/>'s loop reads but by name: a loop's
/// condition, or the condition of an <c>if</c> that leaves the nearest while/do/for loop with <c>break</c> or
/// <c>return</c>, not under a <c>lock</c>. A superset of what binding finds, so nothing reported is lost.
/// </summary>
internal static class StopFlagPollSyntax
{
    /// <summary>
    /// Adds to <paramref name="polled"/> the names of <paramref name="candidateNames"/> that a loop of
    /// <paramref name="declaration"/> (nested types included) may poll, and to <paramref name="mentions"/> every place
    /// one of the candidates is polled or may be written (what to bind, once the polled names of every declaration are
    /// known: a block where a flag is only read otherwise has nothing to say about it).
    /// </summary>
    public static void Scan(TypeDeclarationSyntax declaration, ImmutableArray<string> candidateNames, List<(string Name, int Position)> mentions, ref HashSet<string>? polled)
    {
        if (IdentifierSearch.Find(declaration, candidateNames) is not { } identifiers)
        {
            return;
        }

        foreach (var identifier in identifiers)
        {
            if (IsPollShape(identifier))
            {
                (polled ??= new HashSet<string>()).Add(identifier.Identifier.ValueText);
                mentions.Add((identifier.Identifier.ValueText, identifier.SpanStart));
            }
            else if (IsWriteShape(identifier))
            {
                mentions.Add((identifier.Identifier.ValueText, identifier.SpanStart));
            }
        }
    }

    /// <summary>Whether the name stands in a loop's condition or in the condition of an if that leaves the loop.</summary>
    public static bool IsPollShape(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        while (node.Parent is ExpressionSyntax parent and not AnonymousFunctionExpressionSyntax)
        {
            node = parent;
        }

        var polls = node.Parent switch
        {
            WhileStatementSyntax loop => loop.Condition == node,
            DoStatementSyntax loop => loop.Condition == node,
            ForStatementSyntax loop => loop.Condition == node,
            IfStatementSyntax statement => statement.Condition == node && LeavesLoop(statement),
            _ => false,
        };

        return polls && !IsUnderLock(identifier);
    }

    /// <summary>
    /// Whether the name may be written there: the target of an assignment (simple or compound), a <c>ref</c> or
    /// <c>out</c> argument (<c>Volatile.Write(ref _stop, true)</c>), an increment or decrement.
    /// </summary>
    private static bool IsWriteShape(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        while (node.Parent is MemberAccessExpressionSyntax access && access.Name == node
               || node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression),
            PostfixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression),
            _ => false,
        };
    }

    private static bool LeavesLoop(IfStatementSyntax statement)
    {
        var exit = statement.Statement is BlockSyntax { Statements: { Count: > 0 } statements } ? statements[statements.Count - 1] : statement.Statement;
        var isBreak = exit is BreakStatementSyntax;
        if (!isBreak && exit is not ReturnStatementSyntax)
        {
            return false;
        }

        for (var current = statement.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax:
                    return true;
                case ForEachStatementSyntax or ForEachVariableStatementSyntax:
                    return false;
                case SwitchSectionSyntax when isBreak:
                    return false;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool IsUnderLock(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax:
                    return true;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
