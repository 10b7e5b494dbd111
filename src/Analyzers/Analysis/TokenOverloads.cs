using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether a call could take a cancellation token and does not: the generic part of GS0005's test ("any call
/// whose method has an overload taking the same parameters plus a trailing <c>CancellationToken</c>", or an
/// optional token parameter left out). GS0003 uses it to stay silent where GS0005 reports.
/// </summary>
public static class TokenOverloads
{
    /// <summary>Whether <paramref name="invocation"/> passes an explicit token (or token source) argument.</summary>
    public static bool PassesToken(IInvocationOperation invocation, KnownTypes types)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && (TokenScope.IsToken(argument.Parameter?.Type, types) || TokenScope.IsSource(argument.Parameter?.Type, types)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="invocation"/> leaves out a token it could pass: it omits an optional
    /// <c>CancellationToken</c> parameter, or its method has an overload with the same parameters plus a trailing one.
    /// </summary>
    public static bool CouldPassToken(IInvocationOperation invocation, KnownTypes types)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (TokenScope.IsToken(argument.Parameter?.Type, types))
            {
                return argument.ArgumentKind == ArgumentKind.DefaultValue;
            }
        }

        return HasTokenOverload(invocation.TargetMethod, types);
    }

    /// <summary>Whether <paramref name="method"/>'s type declares an overload with the same parameters plus a trailing <c>CancellationToken</c>.</summary>
    public static bool HasTokenOverload(IMethodSymbol method, KnownTypes types)
    {
        if (types.CancellationToken is null || method.ContainingType is not { } type)
        {
            return false;
        }

        var original = method.ReducedFrom ?? method.OriginalDefinition;
        var parameters = original.Parameters;
        foreach (var member in (original.ContainingType ?? type).GetMembers(original.Name))
        {
            if (member is not IMethodSymbol candidate
                || candidate.IsStatic != original.IsStatic
                || candidate.Parameters.Length != parameters.Length + 1
                || !TokenScope.IsToken(candidate.Parameters[parameters.Length].Type, types))
            {
                continue;
            }

            var same = true;
            for (var i = 0; i < parameters.Length && same; i++)
            {
                same = parameters[i].RefKind == candidate.Parameters[i].RefKind
                    && SameType(parameters[i].Type, candidate.Parameters[i].Type);
            }

            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameType(ITypeSymbol left, ITypeSymbol right)
    {
        if (left is ITypeParameterSymbol leftParameter && right is ITypeParameterSymbol rightParameter)
        {
            return leftParameter.Ordinal == rightParameter.Ordinal && leftParameter.TypeParameterKind == rightParameter.TypeParameterKind;
        }

        if (left is INamedTypeSymbol { IsGenericType: true } leftNamed && right is INamedTypeSymbol { IsGenericType: true } rightNamed)
        {
            if (!SymbolEqualityComparer.Default.Equals(leftNamed.OriginalDefinition, rightNamed.OriginalDefinition))
            {
                return false;
            }

            for (var i = 0; i < leftNamed.TypeArguments.Length; i++)
            {
                if (!SameType(leftNamed.TypeArguments[i], rightNamed.TypeArguments[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (left is IArrayTypeSymbol leftArray && right is IArrayTypeSymbol rightArray)
        {
            return leftArray.Rank == rightArray.Rank && SameType(leftArray.ElementType, rightArray.ElementType);
        }

        return SymbolEqualityComparer.Default.Equals(left, right);
    }
}
