using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Writes of a flag made from other types than its own (<c>worker.Stop = true</c> in <c>Program</c>), for the
/// <see cref="StopModel"/>: the compilation's written names (assigned, passed by <c>ref</c>/<c>out</c>; by syntax, in
/// every tree but generated ones) are indexed once, at the first question, and only the sites named like the flag are
/// bound. Cached per field.
/// </summary>
internal sealed class StopFlagOutsideWrites
{
    private readonly Compilation _compilation;
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<IFieldSymbol, List<StopFlagAccess>> _byField = new(SymbolEqualityComparer.Default);
    private Dictionary<string, List<SyntaxNode>>? _writtenNames;

    public StopFlagOutsideWrites(KnownTypes types)
    {
        _types = types;
        _compilation = types.Compilation;
    }

    public List<StopFlagAccess> Of(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (!_byField.TryGetValue(field, out var writes))
        {
            writes = _byField.GetOrAdd(field, Find(field, cancellationToken));
        }

        return writes;
    }

    private List<StopFlagAccess> Find(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (!WrittenNames(cancellationToken).TryGetValue(field.Name, out var sites))
        {
            return new List<StopFlagAccess>();
        }

        List<StopFlagAccess>? writes = null;
        foreach (var site in sites)
        {
            var model = _compilation.GetSemanticModel(site.SyntaxTree);
            if (model.GetOperation(site, cancellationToken) is not IFieldReferenceOperation reference
                || !SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field)
                || reference.Parent is not (IAssignmentOperation or IArgumentOperation)
                || Owner(model.GetEnclosingSymbol(site.SpanStart, cancellationToken)) is not { } owner
                || SymbolEqualityComparer.Default.Equals(owner.ContainingType?.OriginalDefinition, field.ContainingType))
            {
                continue;
            }

            if (StopFlagAnalysis.Classify(reference, owner, _types) is { Kind: StopFlagAccessKind.Write } write)
            {
                (writes ??= new List<StopFlagAccess>()).Add(write);
            }
        }

        return writes ?? new List<StopFlagAccess>();
    }

    /// <summary>The member a site belongs to (outside its lambdas and local functions).</summary>
    private static ISymbol? Owner(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private Dictionary<string, List<SyntaxNode>> WrittenNames(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _writtenNames) is { } names)
        {
            return names;
        }

        names = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (GeneratedCode.IsGenerated(tree, _compilation, cancellationToken))
            {
                continue;
            }

            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is IdentifierNameSyntax identifier && StopModel.IsWritten(identifier))
                {
                    var name = identifier.Identifier.ValueText;
                    if (!names.TryGetValue(name, out var list))
                    {
                        list = new List<SyntaxNode>();
                        names.Add(name, list);
                    }

                    list.Add(identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier);
                }
            }
        }

        return Interlocked.CompareExchange(ref _writtenNames, names, null) ?? names;
    }
}
