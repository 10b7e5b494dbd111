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

    /// <summary>
    /// Whether <paramref name="method"/>'s type declares an overload with the same parameters plus a trailing
    /// <c>CancellationToken</c>: the one lookup GS0005 uses too, cached per method for the compilation.
    /// </summary>
    public static bool HasTokenOverload(IMethodSymbol method, KnownTypes types) =>
        types.CancellationToken is not null
        && method.ContainingType is not null
        && BlockingApis.Get(types.Compilation).FindTokenOverload(method) is not null;
}
