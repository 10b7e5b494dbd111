using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An accept, receive or read on a local that the calling lambda (or local function) captures, where the function
/// declaring the local stops, closes or disposes it outside that lambda (<c>listener.Stop()</c> in the <c>finally</c>
/// of a test that started the accept loop), or declares it with <c>using</c>: the call then throws, and the exception
/// ends the work. The counterpart, for locals, of the stop path's signals to the type's fields.
/// </summary>
public static class CapturedResourceStops
{
    public static bool StopsCall(IInvocationOperation call, CancellationToken cancellationToken)
    {
        if (call.Instance is null
            || OperationUnwrapping.WithoutConversions(call.Instance) is not ILocalReferenceOperation { Local: { } local }
            || local.DeclaringSyntaxReferences.Length != 1
            || call.SemanticModel is not { } model)
        {
            return false;
        }

        var declarator = local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (SyntaxScopes.EnclosingFunction(declarator) is not { } declaringFunction
            || CapturingFunction(call.Syntax, declaringFunction) is not { } capturing)
        {
            return false;
        }

        if (IsUsingDeclared(declarator))
        {
            return true;
        }

        foreach (var node in declaringFunction.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: var name } }
                && StopPath.IsIoSignalName(name)
                && receiver.Identifier.ValueText == local.Name
                && !capturing.Span.Contains(node.Span)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(receiver, cancellationToken).Symbol, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost lambda or local function around <paramref name="node"/> inside <paramref name="declaringFunction"/>; null when there is none.</summary>
    private static SyntaxNode? CapturingFunction(SyntaxNode node, SyntaxNode declaringFunction)
    {
        SyntaxNode? capturing = null;
        for (var current = SyntaxScopes.EnclosingFunction(node); current is not null; current = SyntaxScopes.EnclosingFunction(current))
        {
            if (current == declaringFunction)
            {
                return capturing;
            }

            if (current is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                return null;
            }

            capturing = current;
        }

        return null;
    }

    private static bool IsUsingDeclared(SyntaxNode declarator) =>
        declarator.Parent is VariableDeclarationSyntax { Parent: UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } };
}
