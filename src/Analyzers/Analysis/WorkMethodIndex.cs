using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The methods of a type that a start site in the same syntax tree runs on its own thread, found on demand: the
/// type's declarations in that tree (not its nested types) are searched once for start-site shapes by name (<c>new Thread(...)</c>,
/// <c>Task.Run</c>, <c>StartNew</c>, <c>QueueUserWorkItem</c>, <c>Parallel.*</c>), and only those are bound. A rule that
/// asks rarely (GS0006 asks for a method holding an infinite wait) pays nothing in the other types, where a
/// symbol-start action per type with an action on every call would (about 10 MB of driver allocations and a callback
/// per call on a 90,000-line project). One instance serves one compilation's analysis.
/// </summary>
public sealed class WorkMethodIndex
{
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<SyntaxTree, ConcurrentDictionary<INamedTypeSymbol, ThreadWorkMethods>> _trees = new();

    public WorkMethodIndex(KnownTypes types) => _types = types;

    /// <summary>Whether a start site in <paramref name="model"/>'s tree runs <paramref name="method"/> (of a type declared there).</summary>
    public bool IsWork(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        if (method.ContainingType is not { } type)
        {
            return false;
        }

        var types = _trees.GetOrAdd(model.SyntaxTree, static _ => new ConcurrentDictionary<INamedTypeSymbol, ThreadWorkMethods>(SymbolEqualityComparer.Default));
        var definition = type.OriginalDefinition;
        if (!types.TryGetValue(definition, out var methods))
        {
            methods = types.GetOrAdd(definition, Collect(definition, model, cancellationToken));
        }

        return methods.TryGetWork(method, out _);
    }

    private ThreadWorkMethods Collect(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var methods = new ThreadWorkMethods();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree)
            {
                continue;
            }

            foreach (var operation in ThreadStartSites.CallsAndCreations(reference.GetSyntax(cancellationToken), model, cancellationToken, MayBeStartSite))
            {
                methods.AddStartSite(operation, _types);
            }
        }

        return methods;
    }

    private static bool MayBeStartSite(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax invocation => RightmostName(invocation.Expression) is
            "Run" or "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "For" or "ForEach" or "Invoke",
        ObjectCreationExpressionSyntax creation => RightmostName(creation.Type) is "Thread" or "Task",
        ImplicitObjectCreationExpressionSyntax => true,
        _ => false,
    };

    private static string? RightmostName(SyntaxNode expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        _ => null,
    };
}
