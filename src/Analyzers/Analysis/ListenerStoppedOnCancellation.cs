using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An accept that cancellation already ends: the listener is stopped by a callback registered on a token around it,
/// <c>using (token.Register(listener.Stop)) { … listener.AcceptTcpClient() … }</c> or
/// <c>using var registration = token.Register(socket.Close);</c> before it (what the GS0005 fix writes outside async code).
/// </summary>
public static class ListenerStoppedOnCancellation
{
    public static bool Applies(IInvocationOperation invocation, KnownTypes types)
    {
        if (invocation.TargetMethod.Name is not ("Accept" or "AcceptSocket" or "AcceptTcpClient")
            || invocation.SemanticModel is not { } model
            || invocation.Instance is null
            || OperationUnwrapping.ReferencedSymbol(invocation.Instance) is not { } listener)
        {
            return false;
        }

        for (var node = invocation.Syntax.Parent; node is not (null or MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax); node = node.Parent)
        {
            if (node is UsingStatementSyntax { Expression: { } expression } && StopsOnCancellation(model, expression, listener, types))
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
                        && StopsOnCancellation(model, value, listener, types))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary><c>token.Register(listener.Stop)</c> (or <c>Close</c>, <c>Dispose</c>) on a <c>CancellationToken</c>.</summary>
    private static bool StopsOnCancellation(SemanticModel model, ExpressionSyntax expression, ISymbol listener, KnownTypes types) =>
        expression is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Register" },
            ArgumentList.Arguments: { Count: 1 } arguments,
        } register
        && arguments[0].Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Stop" or "Close" or "Dispose" } stop
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(stop.Expression).Symbol, listener)
        && model.GetSymbolInfo(register).Symbol is IMethodSymbol method
        && TokenScope.IsToken(method.ContainingType, types);
}
