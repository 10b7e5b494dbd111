using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call on an object that cancellation already stops: a callback registered on a token around the call stops,
/// closes, disposes or cancels the object the call runs on, <c>using (token.Register(listener.Stop)) { …
/// listener.AcceptTcpClient() … }</c>, <c>using (token.Register(() =&gt; client.CancelPendingRequests())) { await
/// client.GetStringAsync(url); }</c> or <c>using var registration = token.Register(socket.Close);</c> before it (what the
/// GS0005 fix writes outside async code; NetSparkle's release-notes download, fresh set 8): cancelling ends the call.
/// </summary>
public static class ReceiverStoppedOnCancellation
{
    public static bool Applies(IInvocationOperation invocation, KnownTypes types)
    {
        if (invocation.SemanticModel is not { } model
            || invocation.Instance is null
            || OperationUnwrapping.ReferencedSymbol(invocation.Instance) is not { } receiver)
        {
            return false;
        }

        for (var node = invocation.Syntax.Parent; node is not (null or MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax); node = node.Parent)
        {
            if (node is UsingStatementSyntax { Expression: { } expression } && StopsOnCancellation(model, expression, receiver, types))
            {
                return true;
            }

            if (node is BlockSyntax block)
            {
                foreach (var statement in block.Statements)
                {
                    if (statement.SpanStart >= invocation.Syntax.SpanStart)
                    {
                        break;
                    }

                    if (statement is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0, Declaration.Variables: { Count: 1 } variables }
                        && variables[0].Initializer?.Value is { } value
                        && StopsOnCancellation(model, value, receiver, types))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// <c>token.Register(listener.Stop)</c> or <c>token.Register(() =&gt; listener.Stop())</c> (or another method that ends
    /// what the object is doing) on a <c>CancellationToken</c>.
    /// </summary>
    private static bool StopsOnCancellation(SemanticModel model, ExpressionSyntax expression, ISymbol receiver, KnownTypes types) =>
        expression is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Register" },
            ArgumentList.Arguments: { Count: 1 } arguments,
        } register
        && StoppedObject(arguments[0].Expression) is { } stopped
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(stopped).Symbol, receiver)
        && model.GetSymbolInfo(register).Symbol is IMethodSymbol method
        && TokenScope.IsToken(method.ContainingType, types);

    /// <summary>The object whose stop the callback is: <c>x.Stop</c>, <c>() =&gt; x.Stop()</c>, <c>() =&gt; { x.Stop(); }</c>.</summary>
    private static ExpressionSyntax? StoppedObject(ExpressionSyntax callback)
    {
        if (callback is ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 0 } lambda)
        {
            var body = lambda.ExpressionBody
                ?? (lambda.Block is { Statements: { Count: 1 } statements } && statements[0] is ExpressionStatementSyntax only ? only.Expression : null);
            if (body is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } call)
            {
                return null;
            }

            callback = call.Expression;
        }

        return callback is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access && IsStop(name) ? access.Expression : null;
    }

    private static bool IsStop(string name) =>
        name is "Stop" or "Close" or "Dispose" or "Abort" or "Cancel" or "CancelPendingRequests" or "Shutdown" or "Kill";
}
