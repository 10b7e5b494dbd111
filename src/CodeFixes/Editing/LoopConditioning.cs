using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Rewrites that make a loop observe cancellation: condition it on <c>!x.IsCancellationRequested</c>, or insert a
/// statement (a throw-if or a break-if check) as the first statement of its body. <c>x</c> is a token or a
/// token source expression; both have <c>IsCancellationRequested</c>.
/// </summary>
public static class LoopConditioning
{
    public static bool IsLoop(SyntaxNode node) =>
        node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax;

    /// <summary><c>!x.IsCancellationRequested</c>.</summary>
    public static ExpressionSyntax NotCancelled(ExpressionSyntax cancellation) =>
        PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, IsCancellationRequested(cancellation));

    /// <summary><c>x.IsCancellationRequested</c>.</summary>
    public static ExpressionSyntax IsCancellationRequested(ExpressionSyntax cancellation) =>
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(cancellation.WithoutTrivia()), IdentifierName("IsCancellationRequested"));

    /// <summary><c>token.ThrowIfCancellationRequested();</c></summary>
    public static StatementSyntax ThrowIfCancellationRequested(ExpressionSyntax token) =>
        ExpressionStatement(InvocationExpression(MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression, Parenthesize(token.WithoutTrivia()), IdentifierName("ThrowIfCancellationRequested"))));

    /// <summary><c>if (x.IsCancellationRequested) break;</c></summary>
    public static StatementSyntax BreakIfCancellationRequested(ExpressionSyntax cancellation) =>
        IfStatement(IsCancellationRequested(cancellation), BreakStatement());

    /// <summary>
    /// Whether <see cref="ConditionOn"/> can express the check in the loop's condition (every loop but <c>foreach</c>).
    /// </summary>
    public static bool CanCondition(SyntaxNode loop) => loop is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax;

    /// <summary>
    /// <c>while (true)</c> becomes <c>while (!x.IsCancellationRequested)</c>; <c>while (c)</c> becomes
    /// <c>while (!x.IsCancellationRequested &amp;&amp; c)</c>; likewise <c>do</c> and <c>for</c> (an absent
    /// condition counts as <c>true</c>). Trivia around the old condition is kept.
    /// </summary>
    public static StatementSyntax ConditionOn(StatementSyntax loop, ExpressionSyntax cancellation)
    {
        switch (loop)
        {
            case WhileStatementSyntax whileStatement:
                return whileStatement.WithCondition(Combine(whileStatement.Condition, cancellation));
            case DoStatementSyntax doStatement:
                return doStatement.WithCondition(Combine(doStatement.Condition, cancellation));
            case ForStatementSyntax { Condition: { } condition } forStatement:
                return forStatement.WithCondition(Combine(condition, cancellation));
            case ForStatementSyntax forStatement:
                return forStatement.WithCondition(NotCancelled(cancellation))
                    .WithFirstSemicolonToken(forStatement.FirstSemicolonToken.WithTrailingTrivia(Space));
            default:
                return loop;
        }
    }

    /// <summary>Inserts <paramref name="statement"/> as the first statement of the loop's body, making the body a block if needed.</summary>
    public static StatementSyntax InsertFirstInBody(StatementSyntax loop, StatementSyntax statement)
    {
        var body = loop switch
        {
            WhileStatementSyntax s => s.Statement,
            DoStatementSyntax s => s.Statement,
            ForStatementSyntax s => s.Statement,
            CommonForEachStatementSyntax s => s.Statement,
            _ => null,
        };
        if (body is null)
        {
            return loop;
        }

        BlockSyntax newBody;
        if (body is BlockSyntax block)
        {
            newBody = block.WithStatements(block.Statements.Insert(0, statement.WithAdditionalAnnotations(Formatter.Annotation)));
        }
        else
        {
            newBody = Block(statement, body.WithoutLeadingTrivia())
                .WithLeadingTrivia(body.GetLeadingTrivia())
                .WithTrailingTrivia(body.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        return loop switch
        {
            WhileStatementSyntax s => s.WithStatement(newBody),
            DoStatementSyntax s => s.WithStatement(newBody),
            ForStatementSyntax s => s.WithStatement(newBody),
            CommonForEachStatementSyntax s => s.WithStatement(newBody),
            _ => loop,
        };
    }

    private static ExpressionSyntax Combine(ExpressionSyntax condition, ExpressionSyntax cancellation)
    {
        var check = NotCancelled(cancellation);
        if (condition.IsKind(SyntaxKind.TrueLiteralExpression))
        {
            return check.WithTriviaFrom(condition);
        }

        var right = NeedsParentheses(condition)
            ? ParenthesizedExpression(condition.WithoutTrivia())
            : condition.WithoutTrivia();
        return BinaryExpression(SyntaxKind.LogicalAndExpression, check, right).WithTriviaFrom(condition);
    }

    private static bool NeedsParentheses(ExpressionSyntax condition) =>
        condition is BinaryExpressionSyntax binary
            ? binary.IsKind(SyntaxKind.LogicalOrExpression) || binary.IsKind(SyntaxKind.CoalesceExpression)
            : condition is ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax
                or SwitchExpressionSyntax or QueryExpressionSyntax;

    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or ThisExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression
            : ParenthesizedExpression(expression);
}
