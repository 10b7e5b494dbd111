using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The token parameter of <c>IHostedService.StartAsync</c> (an implementation, explicit or not, or an override of
/// one): the host cancels it only when start-up is aborted, never when the service is stopped (that is
/// <c>StopAsync</c>'s call). Work started in <c>StartAsync</c> and made to observe it would still not stop at stop
/// time, so it is a token of another lifetime than the work's.
/// </summary>
public static class HostStartTokens
{
    public static bool IsStartUpToken(IOperation token, KnownTypes types) =>
        OperationUnwrapping.WithoutConversions(token) is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol method }
        && method.Name.EndsWith("StartAsync", System.StringComparison.Ordinal) // explicit implementations are named IHostedService.StartAsync
        && (types.HostedService is { } hostedService
            ? ImplementsStartAsync(method, hostedService)
            : method.Name == "StartAsync" && NamesHostedService(method.ContainingType));

    /// <summary>Without the hosting assembly (an unresolved reference), a type whose bases or interfaces are named so.</summary>
    private static bool NamesHostedService(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "IHostedService" or "BackgroundService")
            {
                return true;
            }

            foreach (var @interface in current.Interfaces)
            {
                if (@interface.Name == "IHostedService")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ImplementsStartAsync(IMethodSymbol method, INamedTypeSymbol hostedService)
    {
        foreach (var member in hostedService.GetMembers("StartAsync"))
        {
            for (var current = method; current is not null; current = current.OverriddenMethod)
            {
                foreach (var explicitImplementation in current.ExplicitInterfaceImplementations)
                {
                    if (SymbolEqualityComparer.Default.Equals(explicitImplementation, member))
                    {
                        return true;
                    }
                }

                if (current.ContainingType is { } type
                    && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), current))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
