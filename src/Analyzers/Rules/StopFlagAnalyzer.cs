using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0007: a bool field or captured local that a loop polls to know when to stop, written by another method,
/// lambda or local function with no synchronization, so that the read may be hoisted out of the loop.
/// Fields are analysed per type (symbol start/end, all partial declarations) for the types that have a candidate
/// field; captured locals from the while/for loops that poll them (the loop's operation block is walked only then);
/// a field visible outside its type whose only writes are in other types is reported at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StopFlagAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: <see cref="FieldKind"/> or <see cref="LocalKind"/>.</summary>
    public const string KindProperty = "FlagKind";

    public const string FieldKind = "Field";

    public const string LocalKind = "Local";

    /// <summary>The flag is a bool auto-property (no fix rewrites it).</summary>
    public const string PropertyKind = "Property";

    /// <summary>Diagnostic property present when the flag is written from another type (the fixes that change its type do not apply).</summary>
    public const string WrittenOutsideTypeProperty = "WrittenOutsideType";

    private static readonly ImmutableDictionary<string, string?> FieldProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, FieldKind);

    private static readonly ImmutableDictionary<string, string?> LocalProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, LocalKind);

    private static readonly ImmutableDictionary<string, string?> PropertyProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, PropertyKind);

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

        var outside = new OutsideWrites(types);
        context.RegisterSymbolStartAction(c => OnTypeStart(c, types, outside), SymbolKind.NamedType);
        context.RegisterOperationAction(c => RecordOutsideWrite(c, types, outside), OperationKind.FieldReference);
        context.RegisterOperationAction(c => AnalyzeLoop(c, types), OperationKind.Loop);
        context.RegisterCompilationEndAction(outside.Report);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types, OutsideWrites outside)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (FindCandidateNames(type, context.CancellationToken) is not { } names)
        {
            return;
        }

        var state = new TypeState(type, names, types.ThreadStaticAttribute);
        // A field is only reported when a while/for loop of the type polls it: the loops tell, and only then are the
        // type's blocks walked, at symbol end, for the fields' accesses and the calls between the type's methods.
        context.RegisterOperationAction(c => FindPolledField(c, state), OperationKind.Loop);
        context.RegisterOperationBlockAction(state.AddBlock);
        context.RegisterSymbolEndAction(c => ReportFields(c, state, types, outside));
    }

    private static void FindPolledField(OperationAnalysisContext context, TypeState state)
    {
        if (!state.HasPolledField
            && context.Operation is IWhileLoopOperation or IForLoopOperation
            && StopFlagPolls.PollsAny(context.Operation, state.IsCandidate))
        {
            state.MarkPolledField();
        }
    }

    /// <summary>
    /// The names of the type's bool fields that may be candidates (null when none), from the type's field
    /// declarations: not const, readonly or volatile, and static unless the type is a class; only a type written
    /// as a name (not the bool keyword) is bound, through the field's symbol. Whether a field of one of these names is a candidate is decided on its symbol
    /// (<see cref="TypeState.IsCandidate"/>), only when a loop reads it.
    /// </summary>
    private static HashSet<string>? FindCandidateNames(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
        {
            return null;
        }

        var isClass = type.TypeKind == TypeKind.Class;
        HashSet<string>? names = null;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var members = reference.GetSyntax(cancellationToken) switch
            {
                TypeDeclarationSyntax declaration => declaration.Members,
                CompilationUnitSyntax script => script.Members,
                _ => default,
            };

            foreach (var member in members)
            {
                if (member is PropertyDeclarationSyntax property && IsBoolAutoProperty(property, isClass))
                {
                    (names ??= new HashSet<string>(System.StringComparer.Ordinal)).Add(property.Identifier.ValueText);
                    continue;
                }

                if (member is not FieldDeclarationSyntax field || !MayDeclareCandidate(field, isClass))
                {
                    continue;
                }

                // The bool keyword needs no symbol; a name (Boolean, an alias) is bound through the field's symbol.
                var isBoolKeyword = field.Declaration.Type is PredefinedTypeSyntax;
                foreach (var variable in field.Declaration.Variables)
                {
                    var name = variable.Identifier.ValueText;
                    if (isBoolKeyword || IsBoolField(type, name))
                    {
                        (names ??= new HashSet<string>(System.StringComparer.Ordinal)).Add(name);
                    }
                }
            }
        }

        return names;
    }

    /// <summary>
    /// <c>internal bool QueueStop { get; set; }</c>: an auto-property with a setter, of the bool keyword, static unless the
    /// type is a class, and not public or protected: a public <c>IsConnected { get; private set; }</c> is state others
    /// observe (spin-waits on it, guards), not a stop request (NetCoreServer, tuning set).
    /// </summary>
    private static bool IsBoolAutoProperty(PropertyDeclarationSyntax property, bool isClass)
    {
        if (property.Type is not PredefinedTypeSyntax predefined
            || !predefined.Keyword.IsKind(SyntaxKind.BoolKeyword)
            || property.AccessorList is not { } accessors
            || accessors.Accessors.Count != 2)
        {
            return false;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }
        }

        var isStatic = false;
        foreach (var modifier in property.Modifiers)
        {
            switch (modifier.Kind())
            {
                case SyntaxKind.StaticKeyword:
                    isStatic = true;
                    break;
                case SyntaxKind.AbstractKeyword:
                case SyntaxKind.ExternKeyword:
                case SyntaxKind.PublicKeyword:
                case SyntaxKind.ProtectedKeyword:
                    return false;
            }
        }

        return isClass || isStatic;
    }

    private static bool IsBoolField(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean })
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayDeclareCandidate(FieldDeclarationSyntax field, bool isClass)
    {
        switch (field.Declaration.Type)
        {
            case PredefinedTypeSyntax predefined when !predefined.Keyword.IsKind(SyntaxKind.BoolKeyword):
            case GenericNameSyntax or ArrayTypeSyntax or NullableTypeSyntax or PointerTypeSyntax or TupleTypeSyntax or FunctionPointerTypeSyntax:
                // Never System.Boolean.
                return false;
        }

        var isStatic = false;
        foreach (var modifier in field.Modifiers)
        {
            switch (modifier.Kind())
            {
                case SyntaxKind.ConstKeyword:
                case SyntaxKind.ReadOnlyKeyword:
                case SyntaxKind.VolatileKeyword:
                    return false;
                case SyntaxKind.StaticKeyword:
                    isStatic = true;
                    break;
            }
        }

        return isClass || isStatic;
    }

    /// <summary>
    /// Captured locals: a local is only reported when a while/for loop polls it, so each such loop looks for the
    /// bool locals it polls and, when it finds one, the operation block that owns the loop is walked once for those
    /// locals. A local polled by several loops is reported by the loop of its first loop read only.
    /// </summary>
    private static void AnalyzeLoop(OperationAnalysisContext context, KnownTypes types)
    {
        var loop = context.Operation;
        if (loop is not (IWhileLoopOperation or IForLoopOperation)
            || StopFlagPolls.FindLocals(loop) is not { } polled)
        {
            return;
        }

        var root = loop;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        var owner = context.ContainingSymbol;
        var references = new List<ILocalReferenceOperation>();
        StopFlagCallGraph? localGraph = null;
        var hasNestedFunction = false;
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation localReference when polled.Contains(localReference.Local):
                    references.Add(localReference);
                    break;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } invocation:
                    if (StopFlagAnalysis.CallerOf(invocation, owner, types) is { } caller)
                    {
                        (localGraph ??= new StopFlagCallGraph()).Add(caller, invocation.TargetMethod.OriginalDefinition);
                    }

                    break;
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    hasNestedFunction = true;
                    break;
            }
        }

        // A local can only be shared with another thread through a lambda or local function.
        if (!hasNestedFunction)
        {
            return;
        }

        ReportLocals(context, references, localGraph ?? new StopFlagCallGraph(), owner, loop.Syntax, types, root);
    }

    private static void ReportLocals(
        OperationAnalysisContext context,
        List<ILocalReferenceOperation> references,
        StopFlagCallGraph graph,
        ISymbol owner,
        SyntaxNode loop,
        KnownTypes types,
        IOperation root)
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

            // A read under a using-lock counts as one under a lock statement, also for which loop reports.
            pair.Value.RemoveAll(static access => access.Kind == StopFlagAccessKind.LoopRead && StopFlagExemptions.IsUnderUsingLock(access));
            if (FirstLoopRead(pair.Value) is not { } first || first.Loop != loop)
            {
                // Another loop of the block polls this local first and reports it.
                continue;
            }

            var verdict = Verdict.Evaluate(pair.Value, graph, constructorType: null, ImmutableArray.Create(root), types);
            if (verdict is not null)
            {
                context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, local, local.Locations[0], LocalProperties, qualifyWriter: false));
            }
        }
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

    private static StopFlagAccess? FirstLoopRead(List<StopFlagAccess> accesses)
    {
        StopFlagAccess? first = null;
        foreach (var access in accesses)
        {
            if (access.Kind == StopFlagAccessKind.LoopRead && (first is null || StopFlagAnalysis.Compare(access, first) < 0))
            {
                first = access;
            }
        }

        return first;
    }

    private static void ReportFields(SymbolAnalysisContext context, TypeState state, KnownTypes types, OutsideWrites outside)
    {
        if (!state.HasPolledField)
        {
            return;
        }

        var (accesses, graph, blocks) = state.Collect(types);
        foreach (var pair in accesses)
        {
            var field = pair.Key;
            if (field.Locations.IsEmpty || !field.Locations[0].IsInSource || !HasLoopRead(pair.Value))
            {
                // Without a loop read there is neither a verdict nor a read for the compilation-end check.
                continue;
            }

            var verdict = Verdict.Evaluate(pair.Value, graph, state.Type, blocks, types);
            if (verdict is not null)
            {
                // An auto-property flag is named and located by its property; the fixes rewrite fields only.
                ISymbol flag = field.AssociatedSymbol is IPropertySymbol property ? property : field;
                var properties = flag is IPropertySymbol ? PropertyProperties : FieldProperties;
                context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, flag, flag.Locations[0], properties, qualifyWriter: false));
            }
            else if (field.DeclaredAccessibility != Accessibility.Private)
            {
                var loopReads = new List<StopFlagAccess>();
                var writes = new List<StopFlagAccess>();
                foreach (var access in pair.Value)
                {
                    (access.Kind == StopFlagAccessKind.LoopRead ? loopReads : writes).Add(access);
                }

                loopReads.RemoveAll(read => StopFlagAnalysis.IsWrittenByLoop(read, writes, graph));

                if (loopReads.Count > 0)
                {
                    outside.AddLoopReads(field, loopReads, graph);
                }
            }
        }
    }

    /// <summary>Records writes to a non-private flag made from another type, for the compilation-end check.</summary>
    private static void RecordOutsideWrite(OperationAnalysisContext context, KnownTypes types, OutsideWrites outside)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (reference.Parent is not (IAssignmentOperation or IArgumentOperation))
        {
            return;
        }

        var field = reference.Field;
        if (field.DeclaredAccessibility == Accessibility.Private
            || field.Type.SpecialType != SpecialType.System_Boolean
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

    /// <summary>Per-type state: the names of the fields that may be candidates, whether a loop polls one, and the type's operation blocks.</summary>
    private sealed class TypeState
    {
        private readonly List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> _blocks = new();
        private readonly object _gate = new();
        private readonly HashSet<string> _names;
        private readonly INamedTypeSymbol? _threadStaticAttribute;
        private int _polledField;

        public TypeState(INamedTypeSymbol type, HashSet<string> names, INamedTypeSymbol? threadStaticAttribute)
        {
            Type = type;
            _names = names;
            _threadStaticAttribute = threadStaticAttribute;
            IsCandidate = IsCandidateField;
        }

        public INamedTypeSymbol Type { get; }

        /// <summary>Whether a field (original definition) is one of the type's candidate fields.</summary>
        public System.Func<IFieldSymbol, bool> IsCandidate { get; }

        public bool HasPolledField => Volatile.Read(ref _polledField) != 0;

        public void MarkPolledField() => Volatile.Write(ref _polledField, 1);

        public void AddBlock(OperationBlockAnalysisContext context)
        {
            lock (_gate)
            {
                _blocks.Add((context.OperationBlocks, context.OwningSymbol));
            }
        }

        private bool IsCandidateField(IFieldSymbol field) =>
            field.Type.SpecialType == SpecialType.System_Boolean
            && _names.Contains(field.AssociatedSymbol is IPropertySymbol property ? property.Name : field.Name)
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, Type)
            && StopFlagAnalysis.IsCandidateField(field, _threadStaticAttribute);

        /// <summary>One walk of the type's blocks: the candidate fields' accesses and the calls between the type's methods.</summary>
        public (Dictionary<IFieldSymbol, List<StopFlagAccess>> Accesses, StopFlagCallGraph Graph, ImmutableArray<IOperation> Blocks) Collect(KnownTypes types)
        {
            var accesses = new Dictionary<IFieldSymbol, List<StopFlagAccess>>(SymbolEqualityComparer.Default);
            var graph = new StopFlagCallGraph();
            var allBlocks = ImmutableArray.CreateBuilder<IOperation>();
            lock (_gate)
            {
                foreach (var (blocks, owner) in _blocks)
                {
                    allBlocks.AddRange(blocks);
                    foreach (var block in blocks)
                    {
                        foreach (var operation in block.Descendants())
                        {
                            switch (operation)
                            {
                                case IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } reference
                                    when IsCandidateField(reference.Field.OriginalDefinition):
                                    if (StopFlagAnalysis.Classify(reference, owner, types) is { } access)
                                    {
                                        var field = reference.Field.OriginalDefinition;
                                        if (!accesses.TryGetValue(field, out var list))
                                        {
                                            list = new List<StopFlagAccess>();
                                            accesses.Add(field, list);
                                        }

                                        list.Add(access);
                                    }

                                    break;
                                case IPropertyReferenceOperation { Property.Type.SpecialType: SpecialType.System_Boolean } propertyReference
                                    when StopFlagAnalysis.BackingFieldOf(propertyReference) is { } backing && IsCandidateField(backing):
                                    if (StopFlagAnalysis.Classify(propertyReference, owner, types) is { } propertyAccess)
                                    {
                                        if (!accesses.TryGetValue(backing, out var list))
                                        {
                                            list = new List<StopFlagAccess>();
                                            accesses.Add(backing, list);
                                        }

                                        list.Add(propertyAccess);
                                    }

                                    break;
                                case IInvocationOperation invocation when StopFlagAnalysis.IsTrackedCallee(invocation.TargetMethod, Type):
                                    if (StopFlagAnalysis.CallerOf(invocation, owner, types) is { } caller)
                                    {
                                        graph.Add(caller, invocation.TargetMethod.OriginalDefinition);
                                    }

                                    break;
                            }
                        }
                    }
                }
            }

            return (accesses, graph, allBlocks.ToImmutable());
        }
    }

    /// <summary>Loop reads of non-private fields with no hazardous write in their type, and writes from other types.</summary>
    private sealed class OutsideWrites
    {
        private readonly KnownTypes _types;

        public OutsideWrites(KnownTypes types) => _types = types;

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
                var verdict = Verdict.Evaluate(accesses, pair.Value.Graph, pair.Key.ContainingType, ImmutableArray<IOperation>.Empty, _types);
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

        /// <param name="scope">Where a method used as an event handler is looked for (the member of a captured local, the type's blocks).</param>
        public static Verdict? Evaluate(List<StopFlagAccess> accesses, StopFlagCallGraph graph, INamedTypeSymbol? constructorType, ImmutableArray<IOperation> scope, KnownTypes types)
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

            // A read in the body of using (_mutex.Lock()) / using (await _mutex.LockAsync()) is under a lock. A loop that
            // ends by itself, or whose real stop is a token it awaits, does not depend on the flag to stop.
            loopReads.RemoveAll(read => StopFlagExemptions.IsUnderUsingLock(read)
                || StopFlagOrdering.LoopEndsAnyway(read)
                || StopFlagOrdering.LoopAwaitsWithToken(read, types));

            // A finalizer runs when nothing polls the object any more; a write followed by the thread's start is ordered.
            writes.RemoveAll(write => StopFlagOrdering.IsInFinalizer(write) || StopFlagOrdering.IsWrittenBeforeStart(write, types));
            if (loopReads.Count == 0 || writes.Count == 0)
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
                    if (StopFlagAnalysis.RunsOnLoopThread(write, read, graph, ref reachable)
                        || StopFlagExemptions.IsRaisedByLoop(write, read, scope)
                        || StopFlagOrdering.IsSignalledAfterWrite(write, read))
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
