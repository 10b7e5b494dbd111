using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The operation blocks of one type with a polled flag (<see cref="StopFlagBlocks"/>, over its declarations in this
/// compilation, generated files left out), listed from syntax and each bound at most once, when a question needs it:
/// the blocks that name a polled flag when the model is made; a method the loop may reach, when the call graph is
/// followed through it (<see cref="StopFlagCallGraph.ReachFrom"/>); the blocks that name a possible event handler
/// (<see cref="StopFlagScope"/>). Binding every member of such a type up front cost more than all other rules
/// together on real libraries (issue 19), for answers that needed a few of them.
/// </summary>
internal sealed class StopFlagTypeBlocks
{
    private readonly List<(StopFlagBlock Block, SemanticModel Model)> _blocks = new();
    private readonly Dictionary<SyntaxNode, int> _byNode = new();
    private readonly Dictionary<int, (IOperation Block, ISymbol Owner)?> _bound = new();
    private readonly HashSet<int> _callsRecorded = new();
    private readonly INamedTypeSymbol _type;
    private readonly KnownTypes _types;
    private readonly StopFlagCallGraph _graph;
    private readonly object _gate = new();

    public StopFlagTypeBlocks(INamedTypeSymbol type, KnownTypes types, StopFlagCallGraph graph)
    {
        _type = type;
        _types = types;
        _graph = graph;
    }

    public void Add(TypeDeclarationSyntax declaration, SemanticModel model)
    {
        foreach (var block in StopFlagBlocks.Of(declaration))
        {
            _byNode[block.Declaration] = _blocks.Count;
            _byNode[block.Body] = _blocks.Count;
            _blocks.Add((block, model));
        }
    }

    public int Count => _blocks.Count;

    public StopFlagBlock this[int index] => _blocks[index].Block;

    /// <summary>Binds block <paramref name="index"/> (once) and marks its calls as recorded by the caller, who walks it whole.</summary>
    public (IOperation Block, ISymbol Owner)? BindWalked(int index, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _callsRecorded.Add(index);
            return Bind(index, cancellationToken);
        }
    }

    /// <summary>
    /// Records in the call graph the calls of the method <paramref name="function"/> (for a local function, of the member
    /// it is declared in), binding that member if no earlier question did.
    /// </summary>
    public void RecordCallsOf(ISymbol function)
    {
        while (function is IMethodSymbol { MethodKind: MethodKind.LocalFunction } && function.ContainingSymbol is { } container)
        {
            function = container;
        }

        foreach (var reference in function.DeclaringSyntaxReferences)
        {
            int index;
            lock (_gate)
            {
                if (!_byNode.TryGetValue(reference.GetSyntax(), out index) || !_callsRecorded.Add(index))
                {
                    continue;
                }
            }

            // No cancellation token: the model outlives the callback that made it, and binding one member is bounded.
            if (Bind(index, CancellationToken.None) is not { } bound)
            {
                continue;
            }

            foreach (var operation in bound.Block.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation invocation
                    && StopFlagAnalysis.IsTrackedCallee(invocation.TargetMethod, _type)
                    && StopFlagAnalysis.CallerOf(invocation, bound.Owner, _types) is { } caller)
                {
                    _graph.Add(caller, invocation.TargetMethod.OriginalDefinition);
                }
            }
        }
    }

    /// <summary>The blocks whose text names <paramref name="name"/>, bound.</summary>
    public IEnumerable<IOperation> BlocksNaming(string name)
    {
        var names = ImmutableArray.Create(name);
        for (var index = 0; index < _blocks.Count; index++)
        {
            if (IdentifierSearch.Find(_blocks[index].Block.Body, names) is not null && Bind(index, CancellationToken.None) is { } bound)
            {
                yield return bound.Block;
            }
        }
    }

    private (IOperation Block, ISymbol Owner)? Bind(int index, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_bound.TryGetValue(index, out var bound))
            {
                var (block, model) = _blocks[index];
                bound = StopFlagBlocks.Bind(block, model, cancellationToken);
                _bound.Add(index, bound);
            }

            return bound;
        }
    }
}
