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
/// its flags (<see cref="StopModel.FlagsOf"/>); empty without a while/for loop that names a candidate flag (a syntax
/// search of the type's declarations, nested types included). The bodies of the type's members and of its nested
/// types' members are bound only then. Read-only once made; verdicts are computed once per flag.
/// </summary>
public sealed class TypeFlagModel
{
    private readonly Dictionary<IFieldSymbol, List<StopFlagAccess>>? _accesses;
    private readonly StopFlagCallGraph _graph;
    private readonly ImmutableArray<IOperation> _blocks;
    private readonly INamedTypeSymbol _type;
    private readonly ConcurrentDictionary<IFieldSymbol, Outcome> _outcomes = new(SymbolEqualityComparer.Default);

    private TypeFlagModel(INamedTypeSymbol type, Dictionary<IFieldSymbol, List<StopFlagAccess>>? accesses, StopFlagCallGraph graph, ImmutableArray<IOperation> blocks)
    {
        _type = type;
        _accesses = accesses;
        _graph = graph;
        _blocks = blocks;
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
        var verdict = StopFlagVerdict.Evaluate(accesses, _graph, _type, _blocks, model.Types);
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

        return new Outcome(StopFlagVerdict.Evaluate(loopReads, _graph, _type, ImmutableArray<IOperation>.Empty, model.Types), writtenOutside: true);
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

    /// <summary>Collects the model of <paramref name="type"/> (original definition).</summary>
    internal static TypeFlagModel Collect(INamedTypeSymbol type, Compilation compilation, KnownTypes types, CancellationToken cancellationToken)
    {
        var graph = new StopFlagCallGraph();
        var candidates = CandidateFields(type, types.ThreadStaticAttribute);
        if (candidates is null || !AnyLoopNames(type, candidates, compilation, cancellationToken))
        {
            return new TypeFlagModel(type, null, graph, ImmutableArray<IOperation>.Empty);
        }

        var accesses = new Dictionary<IFieldSymbol, List<StopFlagAccess>>(SymbolEqualityComparer.Default);
        var blocks = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!compilation.ContainsSyntaxTree(reference.SyntaxTree) || GeneratedCode.IsGenerated(reference.SyntaxTree, compilation, cancellationToken)
                || reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            var semanticModel = compilation.GetSemanticModel(reference.SyntaxTree);
            foreach (var (block, owner) in StopFlagBlocks.Of(declaration, semanticModel, cancellationToken))
            {
                blocks.Add(block);
                Walk(block, owner, type, candidates, accesses, graph, types);
            }
        }

        return new TypeFlagModel(type, accesses, graph, blocks.ToImmutable());
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

    /// <summary>Whether a while, do or for statement of the type's declarations names one of the candidates (by syntax, nothing bound).</summary>
    private static SyntaxNode? LoopCondition(SyntaxNode loop) => loop switch
    {
        WhileStatementSyntax whileLoop => whileLoop.Condition,
        DoStatementSyntax doLoop => doLoop.Condition,
        ForStatementSyntax forLoop => forLoop.Condition,
        _ => null,
    };

    private static bool IfConditionInLoopNames(SyntaxNode loop, Dictionary<IFieldSymbol, ISymbol> candidates)
    {
        foreach (var node in loop.DescendantNodes())
        {
            if (node is IfStatementSyntax statement && NamesCandidateIn(statement.Condition, candidates))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesCandidateIn(SyntaxNode? expression, Dictionary<IFieldSymbol, ISymbol> candidates)
    {
        if (expression is null)
        {
            return false;
        }

        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax identifier && NamesCandidate(identifier.Identifier.ValueText, candidates))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyLoopNames(INamedTypeSymbol type, Dictionary<IFieldSymbol, ISymbol> candidates, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                // A flag is polled in a loop's condition or in the condition of an if inside it (if (!_running) break;):
                // only such loops make the model bind the type's members (binding a whole type for every loop that
                // merely mentions a bool field cost more than the rest of the rules together; issue 19).
                if (node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax
                    && (NamesCandidateIn(LoopCondition(node), candidates) || IfConditionInLoopNames(node, candidates)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NamesCandidate(string name, Dictionary<IFieldSymbol, ISymbol> candidates)
    {
        foreach (var candidate in candidates.Values)
        {
            if (candidate.Name == name)
            {
                return true;
            }
        }

        return false;
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
