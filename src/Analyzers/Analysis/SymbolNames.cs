using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Recognises a type by its full metadata name without looking the name up in the compilation.</summary>
public static class SymbolNames
{
    /// <summary>
    /// Whether a base class of <paramref name="type"/> has the metadata name <paramref name="baseMetadataName"/>: told by
    /// name, so code that never uses the base's framework never looks its types up in every reference.
    /// </summary>
    public static bool DerivesFrom(INamedTypeSymbol type, string baseMetadataName)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (IsType(current.OriginalDefinition, baseMetadataName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="type"/> is the top-level type <paramref name="metadataName"/> (<c>System.Threading.Tasks.Task`1</c>),
    /// compared segment by segment with its name and namespaces, with no allocation.
    /// </summary>
    public static bool IsType(INamedTypeSymbol? type, string metadataName)
    {
        if (type is null || type.ContainingType is not null)
        {
            return false;
        }

        var end = metadataName.Length;
        var start = metadataName.LastIndexOf('.') + 1;
        if (!IsSegment(type.MetadataName, metadataName, start, end))
        {
            return false;
        }

        var ns = type.ContainingNamespace;
        while (start > 0)
        {
            end = start - 1;
            start = end == 0 ? 0 : metadataName.LastIndexOf('.', end - 1) + 1;
            if (ns is null || ns.IsGlobalNamespace || !IsSegment(ns.Name, metadataName, start, end))
            {
                return false;
            }

            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }

    private static bool IsSegment(string name, string fullName, int start, int end) =>
        name.Length == end - start && string.CompareOrdinal(name, 0, fullName, start, name.Length) == 0;
}
