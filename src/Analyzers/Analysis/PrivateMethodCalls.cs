using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Every call of a private method, found by its name in the text of its type's declarations and only those bound: the
/// whole set of values its parameters can take. Asked only on the way to a report.
/// </summary>
public static class PrivateMethodCalls
{
    /// <summary>
    /// The calls of <paramref name="method"/>; null when it is not a private ordinary method, has no call, or is used
    /// in any other way than a call (a delegate can be called with anything).
    /// </summary>
    public static List<IInvocationOperation>? Find(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        if (method is not { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private, IsVirtual: false, IsOverride: false, IsAbstract: false }
            || method.ContainingType is not { } type)
        {
            return null;
        }

        var names = ImmutableArray.Create(method.Name);
        List<IInvocationOperation>? calls = null;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (IdentifierSearch.Find(declaration, names) is not { } identifiers)
            {
                continue;
            }

            var treeModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var identifier in identifiers)
            {
                if (IsInNameof(identifier))
                {
                    continue;
                }

                SyntaxNode callee = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                if (callee.Parent is not InvocationExpressionSyntax invocationSyntax || invocationSyntax.Expression != callee)
                {
                    var info = treeModel.GetSymbolInfo(identifier, cancellationToken);
                    if (IsMethod(info.Symbol, method))
                    {
                        return null;
                    }

                    foreach (var candidate in info.CandidateSymbols)
                    {
                        if (IsMethod(candidate, method))
                        {
                            return null;
                        }
                    }

                    continue;
                }

                if (treeModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
                {
                    return null;
                }

                if (IsMethod(invocation.TargetMethod, method))
                {
                    (calls ??= new List<IInvocationOperation>()).Add(invocation);
                }
            }
        }

        return calls;
    }

    /// <summary>The argument a call gives <paramref name="parameter"/> (a defaulted one included); null when it has none.</summary>
    public static IArgumentOperation? ArgumentFor(IInvocationOperation call, IParameterSymbol parameter)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } target && target.Ordinal == parameter.Ordinal)
            {
                return argument;
            }
        }

        return null;
    }

    private static bool IsMethod(ISymbol? symbol, IMethodSymbol method) =>
        symbol is IMethodSymbol called && SymbolEqualityComparer.Default.Equals(called.OriginalDefinition, method.OriginalDefinition);

    private static bool IsInNameof(IdentifierNameSyntax identifier)
    {
        for (SyntaxNode? node = identifier.Parent; node is not null and not StatementSyntax and not MemberDeclarationSyntax; node = node.Parent)
        {
            if (node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
            {
                return true;
            }
        }

        return false;
    }
}
