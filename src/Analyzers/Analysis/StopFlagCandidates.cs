using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Which bool auto-properties GS0007 treats as flags (fields: <see cref="StopFlagAnalysis.IsCandidateField"/>).</summary>
internal static class StopFlagCandidates
{
    /// <summary>A property declared as a candidate auto-property (<see cref="IsBoolAutoProperty"/>) in source.</summary>
    public static bool IsCandidateProperty(IPropertySymbol property)
    {
        var references = property.DeclaringSyntaxReferences;
        return references.Length == 1
            && references[0].GetSyntax() is PropertyDeclarationSyntax declaration
            && IsBoolAutoProperty(declaration, property.ContainingType.TypeKind == TypeKind.Class);
    }

    /// <summary>
    /// <c>internal bool QueueStop { get; set; }</c>: an auto-property with a setter, of the bool keyword, static unless the
    /// type is a class, and not public or protected: a public <c>IsConnected { get; private set; }</c> is state others
    /// observe (spin-waits on it, guards), not a stop request (NetCoreServer, tuning set).
    /// </summary>
    private static bool IsBoolAutoProperty(PropertyDeclarationSyntax property, bool isClass)
    {
        if (property.Type is not PredefinedTypeSyntax predefined
            || !predefined.Keyword.IsKind(SyntaxKind.BoolKeyword)
            || property.AccessorList is not { } accessors
            || accessors.Accessors.Count != 2)
        {
            return false;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }
        }

        var isStatic = false;
        foreach (var modifier in property.Modifiers)
        {
            switch (modifier.Kind())
            {
                case SyntaxKind.StaticKeyword:
                    isStatic = true;
                    break;
                case SyntaxKind.AbstractKeyword:
                case SyntaxKind.ExternKeyword:
                case SyntaxKind.PublicKeyword:
                case SyntaxKind.ProtectedKeyword:
                    return false;
            }
        }

        return isClass || isStatic;
    }
}
