using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An optional token parameter (<c>CancellationToken token = default</c>) of a private method that every call in its
/// type leaves out: the token is always <c>default</c>, nothing can cancel it, and a wait given it would end no sooner
/// (Papercut-SMTP's <c>AttemptExchangeAsync</c>, fresh set 7). Asked only right before a report.
/// </summary>
public static class TokenNobodyPasses
{
    /// <summary><paramref name="tokens"/> without the optional parameters no caller passes.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens, CancellationToken cancellationToken)
    {
        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => IsNeverPassed(operation, t, cancellationToken));
    }

    private static bool IsNeverPassed(IOperation operation, TokenInScope token, CancellationToken cancellationToken)
    {
        if (token.IsSource
            || token.Symbol is not IParameterSymbol { IsOptional: true, RefKind: RefKind.None } parameter
            || parameter.ContainingSymbol is not IMethodSymbol method
            || operation.SemanticModel is not { } model
            || PrivateMethodCalls.Find(method, model, cancellationToken) is not { } calls)
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (!LeavesOut(call, parameter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The call leaves the parameter out, or passes it on to itself (a recursive call with its own token).</summary>
    private static bool LeavesOut(IInvocationOperation call, IParameterSymbol parameter) =>
        PrivateMethodCalls.ArgumentFor(call, parameter) is { } argument
        && (argument.ArgumentKind == ArgumentKind.DefaultValue
            || (OperationUnwrapping.WithoutConversions(argument.Value) is IParameterReferenceOperation passed
                && SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter)));
}
