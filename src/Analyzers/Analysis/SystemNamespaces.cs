using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Whether a type belongs to the runtime's own <c>System</c> namespaces (<c>System</c>, <c>System.Threading</c>, ...), and the root namespace that tells.</summary>
internal static class SystemNamespaces
{
    public static bool Contains(INamedTypeSymbol type) => RootName(type.ContainingNamespace) == "System";

    /// <summary>The outermost namespace's name (<c>Moq</c> for <c>Moq.Language.Flow</c>); null for the global namespace.</summary>
    public static string? RootName(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace)
        {
            return null;
        }

        while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            ns = parent;
        }

        return ns.Name;
    }
}
