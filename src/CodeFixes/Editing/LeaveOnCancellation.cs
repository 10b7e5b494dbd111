using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Keeps a wait that now throws <c>OperationCanceledException</c> from letting it escape: the statement is wrapped in
/// <c>try { ... } catch (OperationCanceledException) { break; }</c> (or <c>return;</c>). On a thread, a timer or an
/// event handler an escaping exception ends the process, and in task work it makes the stopper's <c>Wait()</c> throw.
/// </summary>
public static class LeaveOnCancellation
{
    /// <summary>
    /// The statement holding <paramref name="call"/> (or, for a local declaration, its block), and its wrapped replacement with <paramref name="newCall"/> in place
    /// of the call; null when the call is not a whole statement (or a single local's initializer), or not in a loop that
    /// <c>break</c> (or <c>return</c>) can leave: elsewhere the caller gets the exception, as from .NET's own waits.
    /// </summary>
    public static (SyntaxNode Old, SyntaxNode New)? TryWrap(SemanticModel model, InvocationExpressionSyntax call, ExpressionSyntax newCall, CancellationToken cancellationToken)
    {
        SyntaxNode whole = call.Parent is AwaitExpressionSyntax awaited ? awaited : call;
        var statement = whole.Parent switch
        {
            ExpressionStatementSyntax expressionStatement => (StatementSyntax)expressionStatement,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax local } } }
                when local.UsingKeyword.IsKind(SyntaxKind.None) && !local.IsConst => local,
            _ => null,
        };
        if (statement?.Parent is not BlockSyntax block || BlockingRewrite.ExitStatement(statement, model, mustBeInLoop: true) is not { } exit)
        {
            return null;
        }

        var replaced = statement.ReplaceNode(call, newCall);
        var handler = CatchClause(
            CatchDeclaration(ParseTypeName("System.OperationCanceledException").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)),
            null,
            Block(exit));
        if (replaced is ExpressionStatementSyntax)
        {
            // The statement keeps its trailing comment; the try takes its indentation.
            var wrapped = TryStatement(Block(replaced.WithoutLeadingTrivia()), SingletonList(handler), null)
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            return (statement, wrapped);
        }

        // var item = queue.Take(token);  →  T item; try { item = queue.Take(token); } catch (OperationCanceledException) { break; }
        var declaration = (LocalDeclarationStatementSyntax)replaced;
        var declarator = declaration.Declaration.Variables[0];
        if (model.GetDeclaredSymbol(((LocalDeclarationStatementSyntax)statement).Declaration.Variables[0], cancellationToken) is not ILocalSymbol symbol
            || symbol.Type is IErrorTypeSymbol || symbol.Type.IsAnonymousType)
        {
            return null;
        }

        var type = declaration.Declaration.Type.IsVar
            ? ParseTypeName(symbol.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToMinimalDisplayString(model, statement.SpanStart)).WithAdditionalAnnotations(Simplifier.Annotation)
            : declaration.Declaration.Type.WithoutTrivia();
        var declare = LocalDeclarationStatement(VariableDeclaration(type, SingletonSeparatedList(VariableDeclarator(declarator.Identifier.WithoutTrivia()))))
            .WithModifiers(declaration.Modifiers)
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var assign = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(declarator.Identifier.WithoutTrivia()), declarator.Initializer!.Value.WithoutTrivia()))
            .WithTrailingTrivia(statement.GetTrailingTrivia());
        var tryStatement = TryStatement(Block(assign), SingletonList(handler), null)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (block, block.ReplaceNode(statement, new SyntaxNode[] { declare, tryStatement }));
    }
}
