using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An optional token parameter (<c>CancellationToken token = default</c>) of a private method that every call in its
/// type leaves out: the token is always <c>default</c>, nothing can cancel it, and a wait given it would end no sooner
/// (Papercut-SMTP's <c>AttemptExchangeAsync</c>, fresh set 7). The callers are found by the method's name in the text of
/// the type's declarations, and only those are bound; asked only right before a report.
/// </summary>
public static class TokenNobodyPasses
{
    /// <summary><paramref name="tokens"/> without the optional parameters no caller passes.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens, CancellationToken cancellationToken)
    {
        foreach (var token in tokens)
        {
            if (IsNeverPassed(operation, token, cancellationToken))
            {
                return tokens.RemoveAll(t => IsNeverPassed(operation, t, cancellationToken));
            }
        }

        return tokens;
    }

    private static bool IsNeverPassed(IOperation operation, TokenInScope token, CancellationToken cancellationToken)
    {
        if (token.IsSource
            || token.Symbol is not IParameterSymbol { IsOptional: true, RefKind: RefKind.None } parameter
            || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private, IsVirtual: false, IsOverride: false, IsAbstract: false } method
            || method.ContainingType is not { } type
            || operation.SemanticModel is not { } model)
        {
            return false;
        }

        var names = ImmutableArray.Create(method.Name);
        var calls = 0;
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
                    // Any other use of the name may be the method as a delegate, given a token by whoever calls it.
                    var info = treeModel.GetSymbolInfo(identifier, cancellationToken);
                    if (IsMethod(info.Symbol, method))
                    {
                        return false;
                    }

                    foreach (var candidate in info.CandidateSymbols)
                    {
                        if (IsMethod(candidate, method))
                        {
                            return false;
                        }
                    }

                    continue;
                }

                if (treeModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
                {
                    return false;
                }

                if (!IsMethod(invocation.TargetMethod, method))
                {
                    continue;
                }

                if (!LeavesOut(invocation, parameter))
                {
                    return false;
                }

                calls++;
            }
        }

        return calls > 0;
    }

    private static bool IsMethod(ISymbol? symbol, IMethodSymbol method) =>
        symbol is IMethodSymbol called && SymbolEqualityComparer.Default.Equals(called.OriginalDefinition, method.OriginalDefinition);

    /// <summary>The call leaves the parameter out, or passes it on to itself (a recursive call with its own token).</summary>
    private static bool LeavesOut(IInvocationOperation invocation, IParameterSymbol parameter)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } target || target.Ordinal != parameter.Ordinal)
            {
                continue;
            }

            return argument.ArgumentKind == ArgumentKind.DefaultValue
                || (OperationUnwrapping.WithoutConversions(argument.Value) is IParameterReferenceOperation passed
                    && SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter));
        }

        return false;
    }

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
