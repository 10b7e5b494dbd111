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
            foreach (var node in tree.GetRoot().DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                switch (node)
                {
                    case UsingDirectiveSyntax { Alias: { } alias }:
                        _aliases.Add(alias.Name.Identifier.ValueText);
                        break;
                    case ClassDeclarationSyntax or RecordDeclarationSyntax when ((TypeDeclarationSyntax)node).BaseList is { Types.Count: > 0 } baseList
                        && RightmostName.Of(baseList.Types[0].Type) is { } name:
                        if (!_byBaseName.TryGetValue(name, out var list))
                        {
                            list = new List<TypeDeclarationSyntax>();
                            _byBaseName.Add(name, list);
                        }

                        list.Add((TypeDeclarationSyntax)node);
                        break;
                }
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
