using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>A field or property of a type (or an accessible one of a base type) that holds a token or a token source.</summary>
public readonly struct TokenMember
{
    public TokenMember(ISymbol member, TokenOrigin origin, bool isSource, bool mayBeNull)
    {
        Member = member;
        Origin = origin;
        IsSource = isSource;
        MayBeNull = mayBeNull;
    }

    public ISymbol Member { get; }

    /// <summary><see cref="TokenOrigin.Field"/> or <see cref="TokenOrigin.Property"/>.</summary>
    public TokenOrigin Origin { get; }

    public bool IsSource { get; }

    /// <summary>A token source declared with a nullable type.</summary>
    public bool MayBeNull { get; }
}

/// <summary>
/// The token members of each type, found once per type for a compilation (declaration order, then base types) and
/// shared by every rule: walking every member of a type and its base types on each loop or call is what made the
/// token look-up expensive.
/// </summary>
public static class TypeTokenMembers
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<TokenMember>>> Caches = new();

    /// <summary>The token members usable in the members of <paramref name="type"/>.</summary>
    public static ImmutableArray<TokenMember> Get(INamedTypeSymbol type, KnownTypes types)
    {
        if (types.CancellationToken is null)
        {
            return ImmutableArray<TokenMember>.Empty;
        }

        var cache = Caches.GetValue(types.Compilation, static c => TypeKeyedCache.Create<ImmutableArray<TokenMember>>(c));
        if (cache.TryGetValue(type, out var members))
        {
            return members;
        }

        return cache.GetOrAdd(type, Collect(type, types));
    }

    private static ImmutableArray<TokenMember> Collect(INamedTypeSymbol type, KnownTypes types)
    {
        ImmutableArray<TokenMember>.Builder? builder = null;
        var members = MayDeclareTokenMember(type) ? type.GetMembers() : ImmutableArray<ISymbol>.Empty;
        foreach (var member in members)
        {
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            ITypeSymbol memberType;
            TokenOrigin origin;
            switch (member)
            {
                case IFieldSymbol { IsConst: false } field:
                    memberType = field.Type;
                    origin = TokenOrigin.Field;
                    break;
                case IPropertySymbol { IsIndexer: false, GetMethod: not null } property:
                    memberType = property.Type;
                    origin = TokenOrigin.Property;
                    break;
                default:
                    continue;
            }

            bool isSource;
            if (TokenScope.IsToken(memberType, types))
            {
                isSource = false;
            }
            else if (memberType.TypeKind == TypeKind.Class && TokenScope.IsSource(memberType, types))
            {
                isSource = true;
            }
            else
            {
                continue;
            }

            (builder ??= ImmutableArray.CreateBuilder<TokenMember>()).Add(new TokenMember(
                member, origin, isSource, isSource && memberType.NullableAnnotation == NullableAnnotation.Annotated));
        }

        // The base type's list (cached once for all its derived types) less what a derived type cannot use.
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            foreach (var inherited in Get(baseType, types))
            {
                if (IsVisibleToDerived(inherited.Member))
                {
                    (builder ??= ImmutableArray.CreateBuilder<TokenMember>()).Add(inherited);
                }
            }
        }

        return builder?.ToImmutable() ?? ImmutableArray<TokenMember>.Empty;
    }

    /// <summary>
    /// A type declared in source is asked for its members (which makes the compiler complete every member symbol of
    /// it) only when a field or property is declared with a type whose name mentions a token or a source; the
    /// declarations are read from syntax. Types from metadata are always asked.
    /// </summary>
    private static bool MayDeclareTokenMember(INamedTypeSymbol type)
    {
        var references = type.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return true;
        }

        foreach (var reference in references)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
            {
                return true;
            }

            foreach (var member in declaration.Members)
            {
                var typeSyntax = member switch
                {
                    BaseFieldDeclarationSyntax field => field.Declaration.Type,
                    PropertyDeclarationSyntax property => property.Type,
                    _ => null,
                };

                if (typeSyntax is not null && MayNameTokenType(typeSyntax))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MayNameTokenType(TypeSyntax type)
    {
        while (true)
        {
            switch (type)
            {
                case NullableTypeSyntax nullable:
                    type = nullable.ElementType;
                    continue;
                case QualifiedNameSyntax qualified:
                    type = qualified.Right;
                    continue;
                case AliasQualifiedNameSyntax aliased:
                    type = aliased.Name;
                    continue;
                case IdentifierNameSyntax or GenericNameSyntax:
                    // CancellationToken, CancellationTokenSource, and the usual names of derived sources. A token
                    // type behind a using alias with an unrelated name is not seen (rare; the cost is a missed report).
                    var name = ((SimpleNameSyntax)type).Identifier.ValueText;
                    return name.IndexOf("Token", StringComparison.Ordinal) >= 0
                        || name.IndexOf("Source", StringComparison.Ordinal) >= 0
                        || name.IndexOf("Cancel", StringComparison.Ordinal) >= 0
                        || name.IndexOf("Cts", StringComparison.OrdinalIgnoreCase) >= 0;
                default:
                    return false;
            }
        }
    }

    private static bool IsVisibleToDerived(ISymbol member) =>
        member.DeclaredAccessibility is not (Accessibility.Private or Accessibility.NotApplicable)
        && member is not IPropertySymbol { GetMethod.DeclaredAccessibility: Accessibility.Private };
}
