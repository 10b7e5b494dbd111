using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Flags declared in a base type and polled by a derived one (fresh set 3, MCGalaxy: <c>IGame.Running</c>, a public
/// field, polled by <c>RoundsGame.RunGame</c>'s loop and cleared by <c>RoundsGame.End</c>). A derived type's
/// <see cref="TypeFlagModel"/> counts the non-private candidate fields of its base types in source among its own
/// candidates (so its syntax pre-filter still binds it only for a loop that names one); the base field's report asks
/// the models of the types derived from its type (<see cref="DerivedClassIndex"/>).
/// </summary>
internal static class StopFlagInheritors
{
    private static readonly ConditionalWeakTable<Compilation, DerivedClassIndex> Indexes = new();

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IFieldSymbol>>> Inheritable = new();

    /// <summary>Adds to <paramref name="candidates"/> the non-private candidate fields of <paramref name="type"/>'s base classes declared in source.</summary>
    public static void AddInheritedCandidates(INamedTypeSymbol type, Compilation compilation, INamedTypeSymbol? threadStaticAttribute, ref Dictionary<IFieldSymbol, ISymbol>? candidates)
    {
        if (type.BaseType?.OriginalDefinition is not { TypeKind: TypeKind.Class } baseType || !IsInSource(baseType, compilation))
        {
            return;
        }

        var cache = Inheritable.GetValue(compilation, static c => TypeKeyedCache.Create<ImmutableArray<IFieldSymbol>>(c));
        foreach (var field in Chain(baseType, compilation, threadStaticAttribute, cache))
        {
            candidates ??= new Dictionary<IFieldSymbol, ISymbol>(SymbolEqualityComparer.Default);
            if (!candidates.ContainsKey(field))
            {
                candidates.Add(field, field);
            }
        }
    }

    /// <summary>
    /// The non-private candidate fields of <paramref name="type"/> (a class in source) and of its base classes in source,
    /// nearest first; once per class and compilation: in a deep hierarchy (Markdig's blocks and inlines) every derived
    /// type used to read all its bases' members again.
    /// </summary>
    private static ImmutableArray<IFieldSymbol> Chain(
        INamedTypeSymbol type,
        Compilation compilation,
        INamedTypeSymbol? threadStaticAttribute,
        ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IFieldSymbol>> cache)
    {
        if (cache.TryGetValue(type, out var chain))
        {
            return chain;
        }

        var own = OwnInheritableCandidates(type, threadStaticAttribute);
        chain = type.BaseType?.OriginalDefinition is { TypeKind: TypeKind.Class } baseType && IsInSource(baseType, compilation)
            ? own.AddRange(Chain(baseType, compilation, threadStaticAttribute, cache))
            : own;
        return cache.GetOrAdd(type, chain);
    }

    /// <summary>The non-private candidate fields <paramref name="type"/> itself declares.</summary>
    private static ImmutableArray<IFieldSymbol> OwnInheritableCandidates(INamedTypeSymbol type, INamedTypeSymbol? threadStaticAttribute)
    {
        ImmutableArray<IFieldSymbol>.Builder? fields = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: false, DeclaredAccessibility: not Accessibility.Private } field
                && StopFlagAnalysis.IsCandidateField(field, threadStaticAttribute))
            {
                (fields ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
            }
        }

        return fields?.ToImmutable() ?? ImmutableArray<IFieldSymbol>.Empty;
    }

    /// <summary>
    /// The verdict for a non-private field of a class that other classes derive from, from the first derived type (in
    /// source, directly or not) whose loops poll it and whose writes race with the poll; null when none does.
    /// </summary>
    public static StopFlagVerdict? VerdictInDerivedTypes(IFieldSymbol field, StopModel model, CancellationToken cancellationToken)
    {
        if (field.DeclaredAccessibility == Accessibility.Private
            || field.ContainingType is not { TypeKind: TypeKind.Class, IsSealed: false, IsStatic: false } type)
        {
            return null;
        }

        var compilation = model.Types.Compilation;
        var index = Indexes.GetValue(compilation, static c => new DerivedClassIndex(c));
        var pending = new Stack<INamedTypeSymbol>();
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        index.AddDerived(type, pending, cancellationToken);
        while (pending.Count > 0)
        {
            var derived = pending.Pop();
            if (!seen.Add(derived))
            {
                continue;
            }

            if (model.FlagsOf(derived, cancellationToken).VerdictFor(field, model, cancellationToken, out _) is { } verdict)
            {
                return verdict;
            }

            index.AddDerived(derived, pending, cancellationToken);
        }

        return null;
    }

    // The compilation's own assembly: a symbol comparison, where asking for the declarations built them every time.
    private static bool IsInSource(INamedTypeSymbol type, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly);
}
