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
    /// A candidate auto-property that code outside the type can read (<c>public bool ServerOnline { get; private set; }</c>):
    /// it is a flag only where the type sets it just before starting the work that polls it
    /// (<see cref="StopFlagVerdict.SetBeforeStart"/>); otherwise it is state others observe.
    /// </summary>
    public static bool IsVisible(IPropertySymbol property) =>
        property.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.ProtectedAndInternal;

    /// <summary>
    /// <c>internal bool QueueStop { get; set; }</c>: an auto-property with a setter, of the bool keyword, static unless the
    /// type is a class; a public or protected one only with a private setter. A public <c>IsConnected { get; private set; }</c>
    /// is mostly state others observe (spin-waits on it, guards; NetCoreServer, tuning set), so it is reported only when
    /// the type sets it before starting its work (<see cref="IsVisible"/>); one anybody can set is left out.
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

        var privateSetter = false;
        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }

            privateSetter |= accessor.IsKind(SyntaxKind.SetAccessorDeclaration) && IsPrivateOnly(accessor.Modifiers);
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
                    return false;
                case SyntaxKind.PublicKeyword:
                case SyntaxKind.ProtectedKeyword:
                    if (!privateSetter)
                    {
                        return false;
                    }

                    break;
            }
        }

        return isClass || isStatic;
    }

    private static bool IsPrivateOnly(SyntaxTokenList modifiers) =>
        modifiers.Count == 1 && modifiers[0].IsKind(SyntaxKind.PrivateKeyword);
}
