using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Whether a type belongs to the runtime's own <c>System</c> namespaces (<c>System</c>, <c>System.Threading</c>, ...).</summary>
internal static class SystemNamespaces
{
    public static bool Contains(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false, Name: "System" };
    }
}
