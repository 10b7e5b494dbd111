using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Flags declared in a base type and polled by a derived one (fresh set 3, MCGalaxy: <c>IGame.Running</c>, a public
/// field, polled by <c>RoundsGame.RunGame</c>'s loop and cleared by <c>RoundsGame.End</c>). A derived type's
/// <see cref="TypeFlagModel"/> counts the non-private candidate fields of its base types in source among its own
/// candidates (so its syntax pre-filter still binds it only for a loop that names one); the base field's report asks
/// the models of the types derived from its type, found once per compilation.
/// </summary>
internal static class StopFlagInheritors
{
    private static readonly ConditionalWeakTable<Compilation, Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>> DerivedByBase = new();

    /// <summary>Adds to <paramref name="candidates"/> the non-private candidate fields of <paramref name="type"/>'s base classes declared in source.</summary>
    public static void AddInheritedCandidates(INamedTypeSymbol type, INamedTypeSymbol? threadStaticAttribute, ref Dictionary<IFieldSymbol, ISymbol>? candidates)
    {
        for (var baseType = type.BaseType?.OriginalDefinition; baseType is { TypeKind: TypeKind.Class } && IsInSource(baseType); baseType = baseType.BaseType?.OriginalDefinition)
        {
            foreach (var member in baseType.GetMembers())
            {
                if (member is IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean, IsImplicitlyDeclared: false, DeclaredAccessibility: not Accessibility.Private } field
                    && StopFlagAnalysis.IsCandidateField(field, threadStaticAttribute))
                {
                    candidates ??= new Dictionary<IFieldSymbol, ISymbol>(SymbolEqualityComparer.Default);
                    if (!candidates.ContainsKey(field))
                    {
                        candidates.Add(field, field);
                    }
                }
            }
        }
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
        var derivedByBase = DerivedByBase.GetValue(compilation, Index);
        if (!derivedByBase.TryGetValue(type, out var direct))
        {
            return null;
        }

        var pending = new Stack<INamedTypeSymbol>(direct);
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
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

            if (derivedByBase.TryGetValue(derived, out var further))
            {
                foreach (var next in further)
                {
                    pending.Push(next);
                }
            }
        }

        return null;
    }

    private static bool IsInSource(INamedTypeSymbol type) => !type.DeclaringSyntaxReferences.IsEmpty;

    /// <summary>Every class of the compilation's own assembly, by its base class when that is in the same assembly (symbols only, nothing bound).</summary>
    private static Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>> Index(Compilation compilation)
    {
        var index = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        var assembly = compilation.Assembly;
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetMembers())
                {
                    pending.Push(member);
                }

                continue;
            }

            var type = (INamedTypeSymbol)current;
            foreach (var nested in type.GetTypeMembers())
            {
                pending.Push(nested);
            }

            if (type.TypeKind == TypeKind.Class
                && type.BaseType?.OriginalDefinition is { } baseType
                && SymbolEqualityComparer.Default.Equals(baseType.ContainingAssembly, assembly))
            {
                if (!index.TryGetValue(baseType, out var list))
                {
                    list = new List<INamedTypeSymbol>();
                    index.Add(baseType, list);
                }

                list.Add(type);
            }
        }

        return index;
    }
}
