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
/// type's methods), and so the verdict for the flag. Made once per type, the first time a rule asks about one of
/// its flags (<see cref="StopModel.FlagsOf"/>); empty without a loop that may poll a candidate flag (a syntax search
/// of the type's declarations, nested types included). Only then are the blocks that name a polled flag bound, and
/// the others as a verdict needs them (<see cref="StopFlagTypeBlocks"/>). Verdicts are computed once per flag.
/// </summary>
public sealed class TypeFlagModel
{
    private readonly Dictionary<IFieldSymbol, List<StopFlagAccess>>? _accesses;
    private readonly StopFlagCallGraph _graph;
    private readonly StopFlagScope _scope;
    private readonly INamedTypeSymbol _type;
    private readonly ConcurrentDictionary<IFieldSymbol, Outcome> _outcomes = new(SymbolEqualityComparer.Default);

    private TypeFlagModel(INamedTypeSymbol type, Dictionary<IFieldSymbol, List<StopFlagAccess>>? accesses, StopFlagCallGraph graph, StopFlagScope scope)
    {
        _type = type;
        _accesses = accesses;
        _graph = graph;
        _scope = scope;
    }

    /// <summary>
    /// The verdict for <paramref name="field"/> (a candidate flag of this type, original definition; for an
    /// auto-property, its backing field): null when no loop of the type polls it or no write can race with the poll.
    /// <paramref name="writtenOutside"/> tells that the writes named are in other types (a non-private field whose own
    /// type never writes it hazardously).
    /// </summary>
    public StopFlagVerdict? VerdictFor(IFieldSymbol field, StopModel model, CancellationToken cancellationToken, out bool writtenOutside)
    {
        writtenOutside = false;
        if (_accesses is null || !_accesses.TryGetValue(field, out var accesses) || !HasLoopRead(accesses))
        {
            return null;
        }

        if (!_outcomes.TryGetValue(field, out var outcome))
        {
            outcome = _outcomes.GetOrAdd(field, Evaluate(field, accesses, model, cancellationToken));
        }

        writtenOutside = outcome.WrittenOutside;
        return outcome.Verdict;
    }

    private Outcome Evaluate(IFieldSymbol field, List<StopFlagAccess> accesses, StopModel model, CancellationToken cancellationToken)
    {
        var verdict = StopFlagVerdict.Evaluate(accesses, _graph, _type, _scope, model.Types);
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

        loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, _graph));
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

        return new Outcome(StopFlagVerdict.Evaluate(loopReads, _graph, _type, StopFlagScope.Empty, model.Types), writtenOutside: true);
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
    /// Collects the model of <paramref name="type"/> (original definition): from syntax, the candidates a loop may poll
    /// (<see cref="StopFlagPollSyntax"/>); then only the blocks that poll or may write one of them are bound and walked. The
    /// blocks of the methods the loops call are bound later, if a verdict follows the calls through them.
    /// </summary>
    internal static TypeFlagModel Collect(INamedTypeSymbol type, Compilation compilation, KnownTypes types, CancellationToken cancellationToken)
    {
        var graph = new StopFlagCallGraph();
        var candidates = CandidateFields(type, types.ThreadStaticAttribute);
        if (candidates is null)
        {
            return new TypeFlagModel(type, null, graph, StopFlagScope.Empty);
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

        if (polled is null)
        {
            return new TypeFlagModel(type, null, graph, StopFlagScope.Empty);
        }

        var blocks = new StopFlagTypeBlocks(type, types, graph);
        var accesses = new Dictionary<IFieldSymbol, List<StopFlagAccess>>(SymbolEqualityComparer.Default);
        foreach (var (declaration, mentions) in declarations)
        {
            var first = blocks.Count;
            blocks.Add(declaration, compilation.GetSemanticModel(declaration.SyntaxTree));
            for (var index = first; index < blocks.Count; index++)
            {
                if (NamesPolled(blocks[index].Body, mentions, polled)
                    && blocks.BindWalked(index, cancellationToken) is { } bound)
                {
                    Walk(bound.Block, bound.Owner, type, candidates, accesses, graph, types);
                }
            }
        }

        graph.RecordCallsWith(blocks.RecordCallsOf);
        return new TypeFlagModel(type, accesses, graph, StopFlagScope.Of(blocks));
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
    private static Dictionary<IFieldSymbol, ISymbol>? CandidateFields(INamedTypeSymbol type, INamedTypeSymbol? threadStaticAttribute)
    {
        Dictionary<IFieldSymbol, ISymbol>? candidates = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean } field
                && StopFlagAnalysis.IsCandidateField(field, threadStaticAttribute)
                && (field.AssociatedSymbol is not IPropertySymbol property || StopFlagCandidates.IsCandidateProperty(property)))
            {
                (candidates ??= new Dictionary<IFieldSymbol, ISymbol>(SymbolEqualityComparer.Default)).Add(field, (ISymbol?)field.AssociatedSymbol ?? field);
            }
        }

        StopFlagInheritors.AddInheritedCandidates(type, threadStaticAttribute, ref candidates);
        return candidates;
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
