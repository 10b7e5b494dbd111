using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// A blocking accept outside async code (<c>listener.AcceptTcpClient()</c>, <c>AcceptSocket()</c>, <c>socket.Accept()</c>)
/// in a loop: the loop is wrapped so that cancelling the token stops the listener, which ends the accept, and the
/// exception that ends it is the loop's normal end:
/// <code>
/// using (token.Register(listener.Stop))
/// {
///     try { while (…) { … listener.AcceptTcpClient() … } }
///     catch (Exception) when (token.IsCancellationRequested) { }
/// }
/// </code>
/// </summary>
public static class StopListenerOnCancellation
{
    /// <summary>The loop to replace and its replacement, or null when the shape is not one this rewrite handles.</summary>
    public static (SyntaxNode Old, SyntaxNode New)? TryRewrite(SemanticModel model, InvocationExpressionSyntax call, ExpressionSyntax token, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation { Instance: { } instance } invocation
            || StopMethod(invocation.TargetMethod) is not { } stop
            || call.Expression is not MemberAccessExpressionSyntax { Expression: var receiver }
            // The loop is left when the wait ends: a `break` must be able to leave it (no `switch` between, and a
            // value-returning method does not fall off its end).
            || BlockingRewrite.ExitStatement(call, model, mustBeInLoop: true) is not BreakStatementSyntax
            || call.Ancestors().FirstOrDefault(LoopConditioning.IsLoop) is not StatementSyntax { Parent: BlockSyntax } loop
            || !SameOutsideLoop(model, loop, receiver, ReceiverSymbol(instance))
            || !SameOutsideLoop(model, loop, token, SymbolAt(model, call.SpanStart, token)))
        {
            return null;
        }

        token = token.WithoutTrivia();
        var register = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token is IdentifierNameSyntax or MemberAccessExpressionSyntax ? token : ParenthesizedExpression(token), IdentifierName("Register")),
            ArgumentList(SingletonSeparatedList(Argument(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName(stop))))));
        var normalEnd = CatchClause(
            CatchDeclaration(ParseTypeName("System.Exception").WithAdditionalAnnotations(Simplifier.Annotation)),
            CatchFilterClause(LoopConditioning.IsCancellationRequested(token)),
            Block());
        var guarded = TryStatement(Block(loop.WithoutLeadingTrivia().WithoutTrailingTrivia()), SingletonList(normalEnd), null);
        var replacement = UsingStatement(null, register, Block(guarded))
            .WithLeadingTrivia(loop.GetLeadingTrivia())
            .WithTrailingTrivia(loop.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (loop, replacement);
    }

    /// <summary>What ends the wait: <c>TcpListener.Stop()</c>, <c>Socket.Close()</c>.</summary>
    private static string? StopMethod(IMethodSymbol accept) => (accept.ContainingType.Name, accept.Name) switch
    {
        ("TcpListener", "AcceptTcpClient" or "AcceptSocket") => "Stop",
        ("Socket", "Accept") => "Close",
        _ => null,
    } is { } name && accept.ContainingType.ContainingNamespace.ToDisplayString() == "System.Net.Sockets" && accept.Parameters.Length == 0
        ? name
        : null;

    private static ISymbol? ReceiverSymbol(IOperation instance) => instance switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static ISymbol? SymbolAt(SemanticModel model, int position, ExpressionSyntax expression) =>
        model.GetSpeculativeSymbolInfo(position, expression.WithoutTrivia(), SpeculativeBindingOption.BindAsExpression).Symbol;

    /// <summary>
    /// Whether <paramref name="expression"/> means the same variable before the loop (so the registration can be made
    /// there): a field, a parameter, a local declared before the loop, or such a token source's <c>Token</c>.
    /// </summary>
    private static bool SameOutsideLoop(SemanticModel model, StatementSyntax loop, ExpressionSyntax expression, ISymbol? symbol) =>
        symbol is IFieldSymbol or IParameterSymbol or ILocalSymbol or IPropertySymbol
        && !(symbol is ILocalSymbol local && local.DeclaringSyntaxReferences.Any(r => loop.Span.Contains(r.Span)))
        && SymbolEqualityComparer.Default.Equals(SymbolAt(model, loop.SpanStart, expression), symbol);
}
