using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// A pool of threads kept in a field of the type and stopped one by one: <c>foreach (var t in _threads) t.Abort();</c>.
/// </summary>
public static class ThreadPoolField
{
    /// <summary>
    /// The field a stop call's thread comes from when the call is the whole body of a <c>foreach</c> over that field
    /// and the thread is the loop's variable; otherwise null.
    /// </summary>
    public static IFieldSymbol? Of(ISymbol thread, InvocationExpressionSyntax stopCall, SemanticModel model, CancellationToken cancellationToken)
    {
        if (thread is not ILocalSymbol local
            || stopCall.FirstAncestorOrSelf<ForEachStatementSyntax>() is not { } loop
            || LoopCall(loop) != stopCall
            || !SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(loop, cancellationToken), local)
            || loop.Expression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }))
        {
            return null;
        }

        return model.GetSymbolInfo(loop.Expression, cancellationToken).Symbol as IFieldSymbol;
    }

    /// <summary>
    /// The one call a <c>foreach</c> body makes on the loop's variable (<c>t.Abort();</c>, <c>t.Join();</c>, alone or in
    /// a block), or null.
    /// </summary>
    public static InvocationExpressionSyntax? LoopCall(ForEachStatementSyntax loop)
    {
        var statement = loop.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : loop.Statement;
        return statement is ExpressionStatementSyntax
        {
            Expression: InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver }
            } call,
        } && receiver.Identifier.ValueText == loop.Identifier.ValueText
            ? call
            : null;
    }
}
