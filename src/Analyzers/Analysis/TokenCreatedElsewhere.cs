using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A local token source declared <c>null</c> (<c>CancellationTokenSource rtpCts = null;</c>) and created only by other
/// functions, callbacks that start an operation (<c>rtpCts = new CancellationTokenSource();</c> in the handler of an
/// incoming call): at a call in a function that never creates it, the source is whichever operation a callback started
/// last, or null. Its token belongs to that operation (an RTP session), not to the call, and writing it there could
/// throw. Found on sipsorcery's <c>UserAgentServer</c> (fresh set 2). Asked only right before a report.
/// </summary>
public static class TokenCreatedElsewhere
{
    /// <summary><paramref name="tokens"/> without the null-declared local sources only other functions create.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens)
    {
        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => IsCreatedElsewhere(operation, t));
    }

    private static bool IsCreatedElsewhere(IOperation operation, TokenInScope token)
    {
        if (!token.IsSource
            || token.Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initial }
            || !IsNull(initial))
        {
            return false;
        }

        var function = OperationScopes.EnclosingFunction(operation);
        var root = OperationScopes.Root(operation);

        var created = false;
        foreach (var descendant in root.Descendants())
        {
            if (descendant is not ILocalReferenceOperation reference
                || !SymbolEqualityComparer.Default.Equals(reference.Local, local)
                || !IsWrite(reference))
            {
                continue;
            }

            // Written in the function that makes the call: its own source, kept.
            if (OperationScopes.EnclosingFunction(reference) == function)
            {
                return false;
            }

            created = true;
        }

        return created;
    }

    private static bool IsNull(ExpressionSyntax value) =>
        value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression) || value is DefaultExpressionSyntax;

    private static bool IsWrite(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        _ => false,
    };
}
