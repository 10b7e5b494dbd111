using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0007: a bool field or captured local that a loop polls to know when to stop, written by another method,
/// lambda or local function with no synchronization, so that the read may be hoisted out of the loop.
/// Fields are analysed per type (symbol start/end, all partial declarations), captured locals per operation
/// block; a field visible outside its type whose only writes are in other types is reported at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StopFlagAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: <see cref="FieldKind"/> or <see cref="LocalKind"/>.</summary>
    public const string KindProperty = "FlagKind";

    public const string FieldKind = "Field";

    public const string LocalKind = "Local";

    /// <summary>Diagnostic property present when the flag is written from another type (the fixes that change its type do not apply).</summary>
    public const string WrittenOutsideTypeProperty = "WrittenOutsideType";

    private static readonly ImmutableDictionary<string, string?> FieldProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, FieldKind);

    private static readonly ImmutableDictionary<string, string?> LocalProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, LocalKind);

    private static readonly ImmutableDictionary<string, string?> OutsideProperties =
        FieldProperties.Add(WrittenOutsideTypeProperty, "true");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StopFlag,
        Descriptors.StopFlagWrittenOutsideType);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.Thread is null && types.Task is null)
        {
            // Nothing in this compilation can run a loop on another thread.
            return;
        }

        var outside = new OutsideWrites();
        context.RegisterSymbolStartAction(c => OnTypeStart(c, types, outside), SymbolKind.NamedType);
        context.RegisterOperationAction(c => RecordOutsideWrite(c, types, outside), OperationKind.FieldReference);
        context.RegisterCompilationEndAction(outside.Report);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types, OutsideWrites outside)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        HashSet<IFieldSymbol>? candidates = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol field && StopFlagAnalysis.IsCandidateField(field, types.ThreadStaticAttribute))
            {
                candidates ??= new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
                candidates.Add(field);
            }
        }

        if (candidates is not null)
        {
            var state = new TypeState(type, candidates);
            // The fields' accesses and the type's call graph come from every block of the type (nested types
            // included), through the driver's own walk of the operations.
            context.RegisterOperationAction(c => RecordFieldAccess(c, state, types), OperationKind.FieldReference);
            context.RegisterOperationAction(c => RecordCall(c, state, types), OperationKind.Invocation);
            context.RegisterSymbolEndAction(c => ReportFields(c, state, outside));
        }

        // Captured locals: a block is walked only when it has a loop and a lambda or local function, which the
        // driver's own walk tells through operation actions on those kinds.
        context.RegisterOperationBlockStartAction(c => OnBlockStart(c, type, types));
    }

    private static void RecordFieldAccess(OperationAnalysisContext context, TypeState state, KnownTypes types)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        var field = reference.Field;
        if (field.Type.SpecialType != SpecialType.System_Boolean
            || !state.Candidates!.Contains(field.OriginalDefinition))
        {
            return;
        }

        if (StopFlagAnalysis.Classify(reference, context.ContainingSymbol, types) is { } access)
        {
            state.Add(field.OriginalDefinition, access);
        }
    }

    private static void RecordCall(OperationAnalysisContext context, TypeState state, KnownTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (StopFlagAnalysis.IsTrackedCallee(invocation.TargetMethod, state.Type)
            && StopFlagAnalysis.CallerOf(invocation, context.ContainingSymbol, types) is { } caller)
        {
            state.Graph.Add(caller, invocation.TargetMethod.OriginalDefinition);
        }
    }

    private static void OnBlockStart(OperationBlockStartAnalysisContext context, INamedTypeSymbol type, KnownTypes types)
    {
        // A local can only be shared with another thread through a lambda or local function, and is only reported
        // when a while/for loop polls it; the symbol-start action of a nested type may also see this block, so
        // locals are analysed by the owner's type only.
        if (!SymbolEqualityComparer.Default.Equals(context.OwningSymbol.ContainingType, type))
        {
            return;
        }

        var shape = new BlockShape();
        context.RegisterOperationAction(shape.OnNestedFunction, OperationKind.AnonymousFunction, OperationKind.LocalFunction);
        context.RegisterOperationAction(shape.OnLoop, OperationKind.Loop);
        context.RegisterOperationBlockEndAction(c =>
        {
            if (shape.MayShareLocal)
            {
                AnalyzeLocals(c, types);
            }
        });
    }

    private static void AnalyzeLocals(OperationBlockAnalysisContext context, KnownTypes types)
    {
        var owner = context.OwningSymbol;
        List<ILocalReferenceOperation>? localReferences = null;
        StopFlagCallGraph? localGraph = null;
        foreach (var block in context.OperationBlocks)
        {
            foreach (var operation in block.Descendants())
            {
                switch (operation)
                {
                    case ILocalReferenceOperation { Local: { IsConst: false, RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Boolean } } localReference:
                        (localReferences ??= new List<ILocalReferenceOperation>()).Add(localReference);
                        break;
                    case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } invocation:
                        if (StopFlagAnalysis.CallerOf(invocation, owner, types) is { } caller)
                        {
                            (localGraph ??= new StopFlagCallGraph()).Add(caller, invocation.TargetMethod.OriginalDefinition);
                        }

                        break;
                }
            }
        }

        if (localReferences is null)
        {
            return;
        }

        ReportLocals(context, localReferences, localGraph ?? new StopFlagCallGraph(), owner, types);
    }

    private static void ReportLocals(
        OperationBlockAnalysisContext context,
        List<ILocalReferenceOperation> references,
        StopFlagCallGraph graph,
        ISymbol owner,
        KnownTypes types)
    {
        var accesses = new Dictionary<ILocalSymbol, List<StopFlagAccess>>(SymbolEqualityComparer.Default);
        foreach (var reference in references)
        {
            if (StopFlagAnalysis.Classify(reference, owner, types) is not { } access)
            {
                continue;
            }

            if (!accesses.TryGetValue(reference.Local, out var list))
            {
                list = new List<StopFlagAccess>();
                accesses.Add(reference.Local, list);
            }

            list.Add(access);
        }

        foreach (var pair in accesses)
        {
            var local = pair.Key;
            if (local.Locations.IsEmpty || !local.Locations[0].IsInSource)
            {
                continue;
            }

            var verdict = Verdict.Evaluate(pair.Value, graph, constructorType: null);
            if (verdict is not null)
            {
                context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, local, local.Locations[0], LocalProperties, qualifyWriter: false));
            }
        }
    }

    private static void ReportFields(SymbolAnalysisContext context, TypeState state, OutsideWrites outside)
    {
        foreach (var pair in state.TakeAccesses())
        {
            var field = pair.Key;
            if (field.Locations.IsEmpty || !field.Locations[0].IsInSource)
            {
                continue;
            }

            var verdict = Verdict.Evaluate(pair.Value, state.Graph, state.Type);
            if (verdict is not null)
            {
                context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, field, field.Locations[0], FieldProperties, qualifyWriter: false));
            }
            else if (field.DeclaredAccessibility != Accessibility.Private)
            {
                var loopReads = new List<StopFlagAccess>();
                var writes = new List<StopFlagAccess>();
                foreach (var access in pair.Value)
                {
                    (access.Kind == StopFlagAccessKind.LoopRead ? loopReads : writes).Add(access);
                }

                loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, state.Graph));

                if (loopReads.Count > 0)
                {
                    outside.AddLoopReads(field, loopReads, state.Graph);
                }
            }
        }
    }

    /// <summary>Records writes to a non-private flag made from another type, for the compilation-end check.</summary>
    private static void RecordOutsideWrite(OperationAnalysisContext context, KnownTypes types, OutsideWrites outside)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        var field = reference.Field;
        if (field.Type.SpecialType != SpecialType.System_Boolean
            || field.DeclaredAccessibility == Accessibility.Private
            || reference.Parent is not (IAssignmentOperation or IArgumentOperation)
            || SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType?.OriginalDefinition, field.ContainingType.OriginalDefinition)
            || !StopFlagAnalysis.IsCandidateField(field.OriginalDefinition, types.ThreadStaticAttribute))
        {
            return;
        }

        if (StopFlagAnalysis.Classify(reference, context.ContainingSymbol, types) is { Kind: StopFlagAccessKind.Write } write)
        {
            outside.AddWrite(field.OriginalDefinition, write);
        }
    }

    /// <summary>Whether one operation block has a while/for loop and a lambda or local function.</summary>
    private sealed class BlockShape
    {
        private int _loop;
        private int _nestedFunction;

        public bool MayShareLocal => Volatile.Read(ref _loop) != 0 && Volatile.Read(ref _nestedFunction) != 0;

        public void OnLoop(OperationAnalysisContext context)
        {
            if (context.Operation is IWhileLoopOperation or IForLoopOperation)
            {
                Volatile.Write(ref _loop, 1);
            }
        }

        public void OnNestedFunction(OperationAnalysisContext context) => Volatile.Write(ref _nestedFunction, 1);
    }

    /// <summary>Per-type state: the candidate fields, their accesses, and the calls between the type's methods.</summary>
    private sealed class TypeState
    {
        private readonly Dictionary<IFieldSymbol, List<StopFlagAccess>> _accesses = new(SymbolEqualityComparer.Default);
        private readonly object _gate = new();

        public TypeState(INamedTypeSymbol type, HashSet<IFieldSymbol>? candidates)
        {
            Type = type;
            Candidates = candidates;
        }

        public INamedTypeSymbol Type { get; }

        public HashSet<IFieldSymbol>? Candidates { get; }

        public StopFlagCallGraph Graph { get; } = new();

        public void Add(IFieldSymbol field, StopFlagAccess access)
        {
            lock (_gate)
            {
                if (!_accesses.TryGetValue(field, out var list))
                {
                    list = new List<StopFlagAccess>();
                    _accesses.Add(field, list);
                }

                list.Add(access);
            }
        }

        public List<KeyValuePair<IFieldSymbol, List<StopFlagAccess>>> TakeAccesses()
        {
            lock (_gate)
            {
                return new List<KeyValuePair<IFieldSymbol, List<StopFlagAccess>>>(_accesses);
            }
        }
    }

    /// <summary>Loop reads of non-private fields with no hazardous write in their type, and writes from other types.</summary>
    private sealed class OutsideWrites
    {
        private readonly ConcurrentDictionary<IFieldSymbol, (List<StopFlagAccess> LoopReads, StopFlagCallGraph Graph)> _loopReads = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IFieldSymbol, ConcurrentQueue<StopFlagAccess>> _writes = new(SymbolEqualityComparer.Default);

        public void AddLoopReads(IFieldSymbol field, List<StopFlagAccess> loopReads, StopFlagCallGraph graph) =>
            _loopReads[field] = (loopReads, graph);

        public void AddWrite(IFieldSymbol field, StopFlagAccess write) =>
            _writes.GetOrAdd(field, static _ => new ConcurrentQueue<StopFlagAccess>()).Enqueue(write);

        public void Report(CompilationAnalysisContext context)
        {
            foreach (var pair in _loopReads)
            {
                if (!_writes.TryGetValue(pair.Key, out var writes))
                {
                    continue;
                }

                var accesses = new List<StopFlagAccess>(pair.Value.LoopReads);
                accesses.AddRange(writes);
                var verdict = Verdict.Evaluate(accesses, pair.Value.Graph, pair.Key.ContainingType);
                if (verdict is not null)
                {
                    context.ReportDiagnostic(verdict.Create(Descriptors.StopFlagWrittenOutsideType, pair.Key, pair.Key.Locations[0], OutsideProperties, qualifyWriter: true));
                }
            }
        }
    }

    /// <summary>The outcome for one flag: the loop read and the write the message names, and every location involved.</summary>
    private sealed class Verdict
    {
        private Verdict(StopFlagAccess loopRead, StopFlagAccess write, List<Location> locations)
        {
            LoopRead = loopRead;
            Write = write;
            Locations = locations;
        }

        public StopFlagAccess LoopRead { get; }

        public StopFlagAccess Write { get; }

        public List<Location> Locations { get; }

        public static Verdict? Evaluate(List<StopFlagAccess> accesses, StopFlagCallGraph graph, INamedTypeSymbol? constructorType)
        {
            var loopReads = new List<StopFlagAccess>();
            var writes = new List<StopFlagAccess>();
            foreach (var access in accesses)
            {
                if (access.Kind == StopFlagAccessKind.LoopRead)
                {
                    loopReads.Add(access);
                }
                else if (constructorType is null || !access.IsInConstructorOf(constructorType))
                {
                    writes.Add(access);
                }
            }

            if (loopReads.Count == 0 || writes.Count == 0)
            {
                return null;
            }

            // A loop that writes the flag itself runs a state machine; its reads are not polls of a stop request.
            loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, graph));
            if (loopReads.Count == 0)
            {
                return null;
            }

            loopReads.Sort(StopFlagAnalysis.Compare);
            writes.Sort(StopFlagAnalysis.Compare);

            StopFlagAccess? namedRead = null;
            StopFlagAccess? namedWrite = null;
            var hazardousWrites = new List<StopFlagAccess>();
            foreach (var write in writes)
            {
                foreach (var read in loopReads)
                {
                    HashSet<ISymbol>? reachable = null;
                    if (StopFlagAnalysis.RunsOnLoopThread(write, read, graph, ref reachable))
                    {
                        continue;
                    }

                    hazardousWrites.Add(write);
                    if (namedRead is null || StopFlagAnalysis.Compare(read, namedRead) < 0)
                    {
                        namedRead = read;
                        namedWrite = write;
                    }

                    break;
                }
            }

            if (namedRead is null || namedWrite is null)
            {
                return null;
            }

            var locations = new List<Location>(loopReads.Count + hazardousWrites.Count);
            foreach (var read in loopReads)
            {
                locations.Add(read.Location);
            }

            foreach (var write in hazardousWrites)
            {
                locations.Add(write.Location);
            }

            return new Verdict(namedRead, namedWrite, locations);
        }

        public Diagnostic Create(DiagnosticDescriptor descriptor, ISymbol flag, Location location, ImmutableDictionary<string, string?> properties, bool qualifyWriter)
        {
            var writer = StopFlagAnalysis.Describe(Write.Chain, qualifyWriter);
            return Diagnostic.Create(
                descriptor,
                location,
                Locations,
                properties,
                flag.Name,
                StopFlagAnalysis.Describe(LoopRead.Chain),
                writer);
        }
    }
}
