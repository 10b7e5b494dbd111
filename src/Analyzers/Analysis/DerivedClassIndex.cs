using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The classes of a compilation's own source that derive directly from a given class, found from the base lists as
/// written (by the base's simple name, or by a using alias's name) and confirmed by binding only those declarations.
/// Listing every type of the assembly and asking each for its base type made the compiler create the public symbol of
/// every type for the rare field a derived class polls (issue 19). Thread-safe: the name table is made once, at
/// construction.
/// </summary>
internal sealed class DerivedClassIndex
{
    private readonly Compilation _compilation;
    private readonly Dictionary<string, List<TypeDeclarationSyntax>> _byBaseName = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _aliases = new(System.StringComparer.Ordinal);

    public DerivedClassIndex(Compilation compilation)
    {
        _compilation = compilation;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax root)
            {
                AddAliases(root.Usings);
                AddMembers(root.Members);
            }
        }
    }

    // The member lists are walked by hand: only namespaces and types hold what the index needs, and an enumeration of
    // every node under them (each member of each type) cost more than the rest of the index (issue 19).
    private void AddMembers(SyntaxList<MemberDeclarationSyntax> members)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    AddAliases(ns.Usings);
                    AddMembers(ns.Members);
                    break;
                case TypeDeclarationSyntax type:
                    if (type is ClassDeclarationSyntax or RecordDeclarationSyntax
                        && type.BaseList is { Types.Count: > 0 } baseList
                        && RightmostName.Of(baseList.Types[0].Type) is { } name)
                    {
                        if (!_byBaseName.TryGetValue(name, out var list))
                        {
                            list = new List<TypeDeclarationSyntax>();
                            _byBaseName.Add(name, list);
                        }

                        list.Add(type);
                    }

                    AddMembers(type.Members);
                    break;
            }
        }
    }

    private void AddAliases(SyntaxList<UsingDirectiveSyntax> usings)
    {
        foreach (var directive in usings)
        {
            if (directive.Alias is { } alias)
            {
                _aliases.Add(alias.Name.Identifier.ValueText);
            }
        }
    }

    /// <summary>Pushes onto <paramref name="derived"/> the classes in source whose base class is <paramref name="type"/> (original definitions).</summary>
    public void AddDerived(INamedTypeSymbol type, Stack<INamedTypeSymbol> derived, CancellationToken cancellationToken)
    {
        AddNamed(type.Name, type, derived, cancellationToken);
        foreach (var alias in _aliases)
        {
            if (alias != type.Name)
            {
                AddNamed(alias, type, derived, cancellationToken);
            }
        }
    }

    private void AddNamed(string name, INamedTypeSymbol type, Stack<INamedTypeSymbol> derived, CancellationToken cancellationToken)
    {
        if (!_byBaseName.TryGetValue(name, out var declarations))
        {
            return;
        }

        foreach (var declaration in declarations)
        {
            if (_compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol { TypeKind: TypeKind.Class } symbol
                && SymbolEqualityComparer.Default.Equals(symbol.BaseType?.OriginalDefinition, type))
            {
                derived.Push(symbol.OriginalDefinition);
            }
        }
    }
}
