using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The largest value a parameter of a private method can have, when its body never changes it and every call in its
/// type gives it a bounded value (<c>SendContinuous(10, token)</c> makes <c>Thread.Sleep(delay)</c> a 10 ms pause;
/// Exceptionless.Net's WPF sample, fresh set 7). Asked only for a wait about to be reported.
/// </summary>
public static class ParameterBounds
{
    /// <param name="upper">The bound of one caller's argument (not followed through the caller's own parameters).</param>
    public static double? Upper(IParameterReferenceOperation reference, Func<IOperation, double?> upper)
    {
        var parameter = reference.Parameter;
        if (parameter is not { RefKind: RefKind.None, IsParams: false }
            || parameter.ContainingSymbol is not IMethodSymbol method
            || reference.SemanticModel is not { } model
            || method.DeclaringSyntaxReferences.Length != 1
            || IsWrittenIn(method.DeclaringSyntaxReferences[0].GetSyntax(), parameter.Name)
            || PrivateMethodCalls.Find(method, model, CancellationToken.None) is not { } calls)
        {
            return null;
        }

        double? largest = null;
        foreach (var call in calls)
        {
            if (PrivateMethodCalls.ArgumentFor(call, parameter) is not { } argument || upper(argument.Value) is not { } bound)
            {
                return null;
            }

            largest = largest is { } known ? Math.Max(known, bound) : bound;
        }

        return largest;
    }

    private static bool IsWrittenIn(SyntaxNode declaration, string name)
    {
        if (IdentifierSearch.Find(declaration, ImmutableArray.Create(name)) is not { } identifiers)
        {
            return false;
        }

        foreach (var identifier in identifiers)
        {
            var written = identifier.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == identifier,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
                PrefixUnaryExpressionSyntax => true,
                PostfixUnaryExpressionSyntax => true,
                RefExpressionSyntax => true,
                _ => false,
            };
            if (written)
            {
                return true;
            }
        }

        return false;
    }
}
