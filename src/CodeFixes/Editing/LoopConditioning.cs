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
            // The body keeps its trailing comment inside the new block; the block ends the line as the body did.
            var trailing = body.GetTrailingTrivia();
            var endOfLine = trailing.Count > 0 && trailing[trailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia)
                ? TriviaList(trailing[trailing.Count - 1])
                : TriviaList(ElasticCarriageReturnLineFeed);
            newBody = Block(statement, body.WithoutLeadingTrivia())
                .WithLeadingTrivia(body.GetLeadingTrivia())
                .WithTrailingTrivia(endOfLine)
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

    /// <summary>
    /// Whether conditioning the loop keeps the code compiling: a conditioned loop can end, so the code after it becomes reachable: fine in a function that returns nothing
    /// (void, Task, ValueTask, an iterator), and when a statement follows the loop in its block.
    /// </summary>
    public static bool EndMayBecomeReachable(SyntaxNode loop)
    {
        if (loop.Parent is BlockSyntax block && block.Statements.IndexOf((StatementSyntax)loop) < block.Statements.Count - 1)
        {
            return true;
        }

        foreach (var ancestor in loop.Ancestors())
        {
            switch (ancestor)
            {
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax:
                    // The end of a nested loop's body goes on with the enclosing loop.
                    return true;
                case AnonymousFunctionExpressionSyntax lambda:
                    // A lambda's return type is not written; only a block-bodied lambda with no 'return value;' is safe.
                    return lambda.Body is BlockSyntax body && !ReturnsValue(body);
                case LocalFunctionStatementSyntax localFunction:
                    return ReturnsNothing(localFunction.ReturnType, localFunction.Body);
                case MethodDeclarationSyntax method:
                    return ReturnsNothing(method.ReturnType, method.Body);
                case AccessorDeclarationSyntax accessor:
                    return accessor.Keyword.IsKind(SyntaxKind.SetKeyword) || accessor.Keyword.IsKind(SyntaxKind.InitKeyword)
                        || accessor.Keyword.IsKind(SyntaxKind.AddKeyword) || accessor.Keyword.IsKind(SyntaxKind.RemoveKeyword);
                case ConstructorDeclarationSyntax or DestructorDeclarationSyntax:
                    return true;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool ReturnsNothing(TypeSyntax returnType, BlockSyntax? body)
    {
        if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return true;
        }

        var name = returnType switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        if (name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" })
        {
            return true;
        }

        return body is not null && IsIterator(body);
    }

    private static bool ReturnsValue(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is ReturnStatementSyntax { Expression: not null })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIterator(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is YieldStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
