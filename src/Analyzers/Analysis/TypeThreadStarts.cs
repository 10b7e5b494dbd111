using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// What a type's own code (all its declarations, in every file, not its nested types) starts on other threads and
/// whether it stops threads forcibly, found on demand and cached per type. It replaces a symbol-start action per type
/// that watched every call and waited for the symbol end (about 10 MB of driver allocations on a 90,000-line project
/// even when the inner actions do nothing): a rule asks only for a loop it is about to report (rare), and the type's
/// declarations are then searched for the calls and creations that can matter, by name, and only those are bound.
/// Declarations in generated files are skipped, as the operation actions that this replaces never saw them.
/// Unlike <see cref="WorkMethodIndex"/> (GS0006, the start sites in the asking file only), every part of a partial
/// type is searched. One instance serves one compilation's analysis.
/// </summary>
public sealed class TypeThreadStarts
{
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeStarts> _byType = new(SymbolEqualityComparer.Default);

    public TypeThreadStarts(KnownTypes types) => _types = types;

    /// <summary>
    /// The start sites and forcible stops written in <paramref name="type"/>'s code; <paramref name="model"/> is the
    /// semantic model of the asking operation, used for the declarations in its file.
    /// </summary>
    public TypeStarts Get(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var definition = type.OriginalDefinition;
        if (!_byType.TryGetValue(definition, out var starts))
        {
            starts = _byType.GetOrAdd(definition, Collect(definition, model, cancellationToken));
        }

        return starts;
    }

    private TypeStarts Collect(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var starts = new TypeStarts();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            SemanticModel treeModel;
            if (tree == model.SyntaxTree)
            {
                treeModel = model;
            }
            else if (!model.Compilation.ContainsSyntaxTree(tree) || IsGenerated(tree, model.Compilation, cancellationToken))
            {
                continue;
            }
            else
            {
                // Only a partial type declared in several files gets here, and only for a loop about to be reported.
                // The driver's compilation hands out its cached semantic models.
                treeModel = model.Compilation.GetSemanticModel(tree);
            }

            foreach (var operation in ThreadStartSites.CallsAndCreations(reference.GetSyntax(cancellationToken), treeModel, cancellationToken, MayMatter))
            {
                starts.Add(operation, _types);
            }
        }

        return starts;
    }

    /// <summary>
    /// The calls whose method is named like a start site or a forcible stop (the name of a method cannot be aliased, and
    /// a call through a delegate is never one), or written in another shape; and every object creation (the created
    /// type's name can be aliased).
    /// </summary>
    private static bool MayMatter(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax invocation => RightmostName(invocation.Expression) is
            null or "Run" or "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "For" or "ForEach" or "Invoke"
            or "Abort" or "Interrupt",
        _ => true,
    };

    private static string? RightmostName(SyntaxNode expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// Whether the analyzer driver treats <paramref name="tree"/> as generated code (skipped with
    /// <see cref="Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags.None"/>): the <c>generated_code</c>
    /// option when set, otherwise a generated file name (<c>.g.cs</c>, <c>.designer.cs</c>, ...) or a leading
    /// <c>&lt;auto-generated&gt;</c> comment.
    /// </summary>
    private static bool IsGenerated(SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        if (compilation.Options.SyntaxTreeOptionsProvider is { } provider)
        {
            var kind = provider.IsGenerated(tree, cancellationToken);
            if (kind != GeneratedKind.Unknown)
            {
                return kind == GeneratedKind.MarkedGenerated;
            }
        }

        return IsGeneratedFileName(tree.FilePath) || BeginsWithAutoGeneratedComment(tree, cancellationToken);
    }

    private static bool IsGeneratedFileName(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var fileName = System.IO.Path.GetFileName(path);
        if (fileName.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.IsNullOrEmpty(System.IO.Path.GetExtension(fileName)))
        {
            return false;
        }

        var name = System.IO.Path.GetFileNameWithoutExtension(fileName);
        return name.EndsWith(".designer", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".generated", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".g", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".g.i", StringComparison.OrdinalIgnoreCase);
    }

    private static bool BeginsWithAutoGeneratedComment(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var root = tree.GetRoot(cancellationToken);
        if (!root.HasLeadingTrivia)
        {
            return false;
        }

        foreach (var trivia in root.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("<autogenerated", StringComparison.Ordinal) >= 0
                    || text.IndexOf("<auto-generated", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>The start sites and forcible stops of one type's code (see <see cref="TypeThreadStarts"/>).</summary>
public sealed class TypeStarts
{
    private int _stopsThreadsForcibly;

    /// <summary>The methods that start sites of the type run, with the first start site (in declaration order) of each.</summary>
    public ThreadWorkMethods WorkMethods { get; } = new();

    /// <summary>The type calls <c>Thread.Abort</c> or <c>Thread.Interrupt</c> (its loops are GS0001's / GS0002's).</summary>
    public bool StopsThreadsForcibly => Volatile.Read(ref _stopsThreadsForcibly) != 0;

    internal void Add(IOperation operation, KnownTypes types)
    {
        WorkMethods.AddStartSite(operation, types);
        if (operation is Microsoft.CodeAnalysis.Operations.IInvocationOperation { TargetMethod: { Name: "Abort" or "Interrupt" } method }
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Thread))
        {
            Volatile.Write(ref _stopsThreadsForcibly, 1);
        }
    }
}
