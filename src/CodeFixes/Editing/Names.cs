using Microsoft.CodeAnalysis;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>Names for members and locals a fix introduces, derived from an existing name and kept collision-free.</summary>
public static class Names
{
    /// <summary><c>_worker</c> + <c>Cancellation</c> = <c>_workerCancellation</c>; <c>s_thread</c> keeps its prefix.</summary>
    public static string Derive(string baseName, string suffix) => baseName + suffix;

    /// <summary><c>_worker</c> → <c>worker</c>, <c>s_thread</c> → <c>thread</c>: the base of the locals a fix adds for a field.</summary>
    public static string FieldBase(string fieldName)
    {
        var name = fieldName.StartsWith("s_", StringComparison.Ordinal) || fieldName.StartsWith("m_", StringComparison.Ordinal)
            ? fieldName.Substring(2)
            : fieldName.TrimStart('_');
        return name.Length == 0 ? "work" : name;
    }

    /// <summary>A member name not used by any member of the type or its bases.</summary>
    public static string UniqueMemberName(INamedTypeSymbol type, string candidate)
    {
        var name = candidate;
        for (var i = 1; IsMemberName(type, name); i++)
        {
            name = candidate + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>A local name that does not clash with anything visible at <paramref name="position"/>.</summary>
    public static string UniqueLocalName(SemanticModel model, int position, string candidate, IEnumerable<string>? alsoTaken = null)
    {
        var taken = new HashSet<string>(alsoTaken ?? Array.Empty<string>(), StringComparer.Ordinal);
        var name = candidate;
        for (var i = 1; taken.Contains(name) || model.LookupSymbols(position, name: name).Length > 0; i++)
        {
            name = candidate + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static bool IsMemberName(INamedTypeSymbol? type, string name)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetMembers(name).Length > 0 || type.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
