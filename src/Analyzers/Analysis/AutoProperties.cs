using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The compiler-made field behind a property, shared by the rules that treat an auto-property as a field.</summary>
public static class AutoProperties
{
    /// <summary>The field the compiler declared for <paramref name="property"/>, or null when it has none.</summary>
    public static IFieldSymbol? BackingField(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return field;
            }
        }

        return null;
    }
}
