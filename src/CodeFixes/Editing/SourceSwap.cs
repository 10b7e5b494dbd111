using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// The stop path of a source renewed at each start: it takes the field's source for itself and leaves a fresh one in
/// the field, so that it can dispose what it cancelled once the work has ended, while a concurrent start or a second
/// stop only ever sees a source nobody has disposed. The work reads its own token, captured when it started.
/// </summary>
public static class SourceSwap
{
    /// <summary><c>var c = Interlocked.Exchange(ref _source, new CancellationTokenSource());</c></summary>
    public static StatementSyntax Swap(string local, string field, TypeSyntax sourceType, ExpressionSyntax interlocked)
    {
        var exchange = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, interlocked, IdentifierName("Exchange")),
            ArgumentList(SeparatedList(new[]
            {
                Argument(IdentifierName(field)).WithRefKindKeyword(Token(SyntaxKind.RefKeyword)),
                Argument(ObjectCreationExpression(sourceType, ArgumentList(), null)),
            })));
        return LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"),
            SingletonSeparatedList(VariableDeclarator(Identifier(local)).WithInitializer(EqualsValueClause(exchange)))));
    }

    /// <summary><c>c.Cancel();</c>, <c>c.Dispose();</c></summary>
    public static StatementSyntax Call(string local, string method) =>
        ExpressionStatement(InvocationExpression(MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression, IdentifierName(local), IdentifierName(method))));

    /// <summary><c>var workerToken = _workerCancellation.Token;</c></summary>
    public static StatementSyntax CaptureToken(string local, string field) =>
        LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"), SingletonSeparatedList(
            VariableDeclarator(Identifier(local)).WithInitializer(EqualsValueClause(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(field), IdentifierName("Token")))))));
}
