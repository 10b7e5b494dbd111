using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The <see cref="StopModel"/>'s answer to GS0007's questions about one type's bool flags: who polls each candidate
/// flag (loop reads), who writes it and on which thread (the functions around each write, the calls between the
/// type's methods), and so the verdict for the flag. Made in two steps. The first (<see cref="Scan"/>, once per type,
/// at the first question) reads only syntax: the candidates a loop of the type's declarations, nested types included,
/// may poll (<see cref="MayPollFlags"/>). The second binds, at the first verdict asked, the blocks that name a polled
/// flag, and the others as a verdict needs them (<see cref="StopFlagTypeBlocks"/>); GS0007 asks it from a symbol-end
/// action, after the driver has bound the type's members for its own actions, so the binding is shared, not paid
/// twice. Verdicts are computed once per flag.
/// </summary>
public sealed class TypeFlagModel
{
    private readonly INamedTypeSymbol _type;
    private readonly KnownTypes _types;
    private readonly Polls? _polls;
    private readonly ConcurrentDictionary<IFieldSymbol, Outcome> _outcomes = new(SymbolEqualityComparer.Default);
    private readonly object _gate = new();
    private Bound? _bound;

    private TypeFlagModel(INamedTypeSymbol type, KnownTypes types, Polls? polls)
    {
        _type = type;
        _types = types;
        _polls = polls;
    }

    /// <summary>Whether a loop of the type may poll one of its candidate flags (from syntax; nothing is bound to say it).</summary>
    public bool MayPollFlags => _polls is not null;

    /// <summary>
    /// The verdict for <paramref name="field"/> (a candidate flag of this type, original definition; for an
    /// auto-property, its backing field): null when no loop of the type polls it or no write can race with the poll.
    /// <paramref name="writtenOutside"/> tells that the writes named are in other types (a non-private field whose own
    /// type never writes it hazardously).
    /// </summary>
    public StopFlagVerdict? VerdictFor(IFieldSymbol field, StopModel model, CancellationToken cancellationToken, out bool writtenOutside)
    {
        writtenOutside = false;
        if (_polls is not { } polls
            || !polls.Candidates.ContainsKey(field)
            || !BindOnce(polls, cancellationToken).Accesses.TryGetValue(field, out var accesses)
            || !HasLoopRead(accesses))
        {
            return null;
        }

        if (!_outcomes.TryGetValue(field, out var outcome))
        {
            outcome = _outcomes.GetOrAdd(field, Evaluate(field, accesses, _bound!, model, cancellationToken));
        }

        writtenOutside = outcome.WrittenOutside;
        return outcome.Verdict;
    }

    private Bound BindOnce(Polls polls, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _bound) is { } bound)
        {
            return bound;
        }

        lock (_gate)
        {
            return _bound ??= Bind(polls, cancellationToken);
        }
    }

    private Outcome Evaluate(IFieldSymbol field, List<StopFlagAccess> accesses, Bound bound, StopModel model, CancellationToken cancellationToken)
    {
        var verdict = StopFlagVerdict.Evaluate(accesses, bound.Graph, _type, bound.Scope, model.Types);
        if (verdict is not null || field.DeclaredAccessibility == Accessibility.Private || field.AssociatedSymbol is not null)
        {
            return new Outcome(verdict, writtenOutside: false);
        }

        // A field visible outside its type, with no racing write in it: the writes of other types (found by name in the
        // compilation's written names, then bound) may race with the loop reads that the type's own writes leave.
        var loopReads = new List<StopFlagAccess>();
        var writes = new List<StopFlagAccess>();
        foreach (var access in accesses)
        {
            (access.Kind == StopFlagAccessKind.LoopRead ? loopReads : writes).Add(access);
        }

        loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, bound.Graph));
        if (loopReads.Count == 0)
        {
            return default;
        }

        var outside = model.WritesFromOtherTypes(field, cancellationToken);
        if (outside.Count == 0)
        {
            return default;
        }

        foreach (var write in outside)
        {
            // For a field inherited from a base type, this type's own writes are in the model already.
            if (!SymbolEqualityComparer.Default.Equals(write.Chain[write.Chain.Length - 1].Symbol.ContainingType?.OriginalDefinition, _type))
            {
                loopReads.Add(write);
            }
        }

        return new Outcome(StopFlagVerdict.Evaluate(loopReads, bound.Graph, _type, StopFlagScope.Empty, model.Types), writtenOutside: true);
    }

    private static bool HasLoopRead(List<StopFlagAccess> accesses)
    {
        foreach (var access in accesses)
        {
            if (access.Kind == StopFlagAccessKind.LoopRead)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first step for <paramref name="type"/> (original definition), from syntax only: its candidate flags and the
    /// names of those a loop may poll (<see cref="StopFlagPollSyntax"/>), with where each candidate is named.
    /// </summary>
    internal static TypeFlagModel Scan(INamedTypeSymbol type, KnownTypes types, CancellationToken cancellationToken)
    {
        var compilation = types.Compilation;
        var candidates = CandidateFields(type, compilation, types.ThreadStaticAttribute);
        if (candidates is null)
        {
            return new TypeFlagModel(type, types, null);
        }

        var names = ImmutableArray.CreateBuilder<string>(candidates.Count);
        foreach (var candidate in candidates.Values)
        {
            names.Add(candidate.Name);
        }

        var candidateNames = names.MoveToImmutable();

        HashSet<string>? polled = null;
        var declarations = new List<(TypeDeclarationSyntax Declaration, List<(string Name, int Position)> Mentions)>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!compilation.ContainsSyntaxTree(reference.SyntaxTree) || GeneratedCode.IsGenerated(reference.SyntaxTree, compilation, cancellationToken)
                || reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            var mentions = new List<(string Name, int Position)>();
            StopFlagPollSyntax.Scan(declaration, type.DeclaringSyntaxReferences.Length == 1, candidateNames, mentions, ref polled);
            declarations.Add((declaration, mentions));
        }

        return new TypeFlagModel(type, types, polled is null ? null : new Polls(candidates, polled, declarations));
    }

    /// <summary>
    /// The second step: only the blocks that name a polled candidate are bound and walked. The blocks of the methods the
    /// loops call are bound later, if a verdict follows the calls through them.
    /// </summary>
    private Bound Bind(Polls polls, CancellationToken cancellationToken)
    {
        var graph = new StopFlagCallGraph();
        var blocks = new StopFlagTypeBlocks(_type, _types, graph);
        var accesses = new Dictionary<IFieldSymbol, List<StopFlagAccess>>(SymbolEqualityComparer.Default);
        foreach (var (declaration, mentions) in polls.Declarations)
        {
            var first = blocks.Count;
            blocks.Add(declaration, _types.Compilation.GetSemanticModel(declaration.SyntaxTree));
            for (var index = first; index < blocks.Count; index++)
            {
                if (NamesPolled(blocks[index].Body, mentions, polls.Polled)
                    && blocks.BindWalked(index, cancellationToken) is { } bound)
                {
                    Walk(bound.Block, bound.Owner, _type, polls.Candidates, accesses, graph, _types);
                }
            }
        }

        graph.RecordCallsWith(blocks.RecordCallsOf);
        return new Bound(accesses, graph, StopFlagScope.Of(blocks));
    }

    private static bool NamesPolled(SyntaxNode block, List<(string Name, int Position)> mentions, HashSet<string> polled)
    {
        foreach (var (name, position) in mentions)
        {
            if (block.Span.Contains(position) && polled.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    private static void Walk(
        IOperation block,
        ISymbol owner,
        INamedTypeSymbol type,
        Dictionary<IFieldSymbol, ISymbol> candidates,
        Dictionary<IFieldSymbol, List<StopFlagAccess>> accesses,
        StopFlagCallGraph graph,
        KnownTypes types)
    {
        foreach (var operation in block.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } reference
                    when candidates.ContainsKey(reference.Field.OriginalDefinition):
                    Add(accesses, reference.Field.OriginalDefinition, StopFlagAnalysis.Classify(reference, owner, types));
                    break;
                case IPropertyReferenceOperation { Property.Type.SpecialType: SpecialType.System_Boolean } propertyReference
                    when StopFlagAnalysis.BackingFieldOf(propertyReference) is { } backing && candidates.ContainsKey(backing):
                    Add(accesses, backing, StopFlagAnalysis.Classify(propertyReference, owner, types));
                    break;
                case IInvocationOperation invocation when StopFlagAnalysis.IsTrackedCallee(invocation.TargetMethod, type):
                    if (StopFlagAnalysis.CallerOf(invocation, owner, types) is { } caller)
                    {
                        graph.Add(caller, invocation.TargetMethod.OriginalDefinition);
                    }

                    break;
            }
        }
    }

    private static void Add(Dictionary<IFieldSymbol, List<StopFlagAccess>> accesses, IFieldSymbol field, StopFlagAccess? access)
    {
        if (access is null)
        {
            return;
        }

        if (!accesses.TryGetValue(field, out var list))
        {
            list = new List<StopFlagAccess>();
            accesses.Add(field, list);
        }

        list.Add(access);
    }

    /// <summary>The type's candidate flags (fields, and the backing fields of candidate auto-properties) with the symbol a report names.</summary>
    private static Dictionary<IFieldSymbol, ISymbol>? CandidateFields(INamedTypeSymbol type, Compilation compilation, INamedTypeSymbol? threadStaticAttribute)
    {
        Dictionary<IFieldSymbol, ISymbol>? candidates = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol field
                && (field.AssociatedSymbol is not IPropertySymbol property || StopFlagCandidates.IsCandidateProperty(property))
                && StopFlagAnalysis.IsCandidateField(field, threadStaticAttribute))
            {
                (candidates ??= new Dictionary<IFieldSymbol, ISymbol>(SymbolEqualityComparer.Default)).Add(field, (ISymbol?)field.AssociatedSymbol ?? field);
            }
        }

        StopFlagInheritors.AddInheritedCandidates(type, compilation, threadStaticAttribute, ref candidates);
        return candidates;
    }

    /// <summary>What the syntax says: the candidates, the names a loop may poll, each declaration with where it names a candidate.</summary>
    private sealed class Polls
    {
        public Polls(
            Dictionary<IFieldSymbol, ISymbol> candidates,
            HashSet<string> polled,
            List<(TypeDeclarationSyntax Declaration, List<(string Name, int Position)> Mentions)> declarations)
        {
            Candidates = candidates;
            Polled = polled;
            Declarations = declarations;
        }

        public Dictionary<IFieldSymbol, ISymbol> Candidates { get; }

        public HashSet<string> Polled { get; }

        public List<(TypeDeclarationSyntax Declaration, List<(string Name, int Position)> Mentions)> Declarations { get; }
    }

    /// <summary>What the bound blocks say: every access of a candidate, the calls between the type's methods, the blocks a verdict may search.</summary>
    private sealed class Bound
    {
        public Bound(Dictionary<IFieldSymbol, List<StopFlagAccess>> accesses, StopFlagCallGraph graph, StopFlagScope scope)
        {
            Accesses = accesses;
            Graph = graph;
            Scope = scope;
        }

        public Dictionary<IFieldSymbol, List<StopFlagAccess>> Accesses { get; }

        public StopFlagCallGraph Graph { get; }

        public StopFlagScope Scope { get; }
    }

    private readonly struct Outcome
    {
        public Outcome(StopFlagVerdict? verdict, bool writtenOutside)
        {
            Verdict = verdict;
            WrittenOutside = writtenOutside;
        }

        public StopFlagVerdict? Verdict { get; }

        public bool WrittenOutside { get; }
    }
}
