using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>A function that contains an access to a stop flag: the member, a local function or a lambda.</summary>
public sealed class FunctionFrame
{
    public FunctionFrame(ISymbol symbol, SyntaxNode? syntax, bool isLambda, bool isThreadWork)
    {
        Symbol = symbol;
        Syntax = syntax;
        IsLambda = isLambda;
        IsThreadWork = isThreadWork;
    }

    /// <summary>The lambda's or local function's symbol, or the member that owns the operation block.</summary>
    public ISymbol Symbol { get; }

    /// <summary>The lambda or local function syntax; null for the member.</summary>
    public SyntaxNode? Syntax { get; }

    public bool IsLambda { get; }

    /// <summary>The lambda is the work of a <c>new Thread</c>, <c>Task.Run</c>, ... start site: it runs on another thread.</summary>
    public bool IsThreadWork { get; }
}

public enum StopFlagAccessKind
{
    /// <summary>A plain read in a loop condition or in an <c>if (flag) break;</c> / <c>return;</c> inside a loop.</summary>
    LoopRead,

    /// <summary>An assignment (simple, compound, or through <c>Volatile.Write</c> / <c>Interlocked</c>), or a <c>ref</c>/<c>out</c> argument.</summary>
    Write,
}

/// <summary>One read of a stop flag by a loop, or one write to it, with the functions it sits in.</summary>
public sealed class StopFlagAccess
{
    public StopFlagAccess(
        StopFlagAccessKind kind,
        Location location,
        ImmutableArray<FunctionFrame> chain,
        SyntaxNode? loop,
        ImmutableArray<IMethodSymbol> loopCallees,
        IOperation reference)
    {
        Kind = kind;
        Reference = reference;
        Location = location;
        Chain = chain;
        Loop = loop;
        LoopCallees = loopCallees;
    }

    public StopFlagAccessKind Kind { get; }

    public Location Location { get; }

    /// <summary>The functions around the access, innermost first; the last one is the member.</summary>
    public ImmutableArray<FunctionFrame> Chain { get; }

    /// <summary>For a loop read: the loop.</summary>
    public SyntaxNode? Loop { get; }

    /// <summary>For a loop read: the methods of the same type and the local functions the loop calls directly.</summary>
    public ImmutableArray<IMethodSymbol> LoopCallees { get; }

    /// <summary>The field or local reference; only looked at on the way to a report.</summary>
    public IOperation Reference { get; }

    public ISymbol Function => Chain[0].Symbol;

    /// <summary>A write directly in a constructor: initialisation before the object is shared, not a stop request.</summary>
    public bool IsInConstructorOf(INamedTypeSymbol type) =>
        Chain.Length == 1
        && Chain[0].Symbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, type);
}

/// <summary>
/// Which methods call which, inside one type (methods of the type and local functions). The calls of a function not
/// walked when the graph was made are recorded the first time <see cref="ReachFrom"/> goes through it, when the graph
/// was made with a way to record them (a type's graph binds those members only then).
/// </summary>
public sealed class StopFlagCallGraph
{
    private readonly Dictionary<ISymbol, HashSet<IMethodSymbol>> _edges = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _visited = new(SymbolEqualityComparer.Default);
    private readonly object _gate = new();
    private Action<ISymbol>? _recordCallsOf;

    internal void RecordCallsWith(Action<ISymbol> recordCallsOf) => _recordCallsOf = recordCallsOf;

    public void Add(ISymbol caller, IMethodSymbol callee)
    {
        lock (_gate)
        {
            if (!_edges.TryGetValue(caller, out var callees))
            {
                callees = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
                _edges.Add(caller, callees);
            }

            callees.Add(callee);
        }
    }

    /// <summary>The methods reachable from <paramref name="roots"/> through the recorded calls, the roots included, found as far as each question needs.</summary>
    public StopFlagReach ReachFrom(ImmutableArray<IMethodSymbol> roots) => new(this, roots);

    /// <summary>Follows the calls of the pending functions until <paramref name="target"/> is found or nothing is left.</summary>
    internal void Expand(HashSet<ISymbol> found, Stack<ISymbol> pending, ISymbol target)
    {
        lock (_gate)
        {
            while (pending.Count > 0 && !found.Contains(target))
            {
                var function = pending.Pop();
                if (_recordCallsOf is { } recordCallsOf && _visited.Add(function))
                {
                    recordCallsOf(function);
                }

                if (!_edges.TryGetValue(function, out var callees))
                {
                    continue;
                }

                foreach (var callee in callees)
                {
                    if (found.Add(callee))
                    {
                        pending.Push(callee);
                    }
                }
            }
        }
    }
}

/// <summary>
/// The functions a loop may call, directly or not: followed lazily, so that a question answered by the loop's direct
/// callees binds nothing more, and one about a function further away binds only the members on the way (issue 19).
/// </summary>
public sealed class StopFlagReach
{
    private readonly StopFlagCallGraph _graph;
    private readonly HashSet<ISymbol> _found = new(SymbolEqualityComparer.Default);
    private readonly Stack<ISymbol> _pending = new();

    internal StopFlagReach(StopFlagCallGraph graph, ImmutableArray<IMethodSymbol> roots)
    {
        _graph = graph;
        foreach (var root in roots)
        {
            if (_found.Add(root))
            {
                _pending.Push(root);
            }
        }
    }

    public bool Contains(ISymbol function)
    {
        if (!_found.Contains(function) && _pending.Count > 0)
        {
            _graph.Expand(_found, _pending, function);
        }

        return _found.Contains(function);
    }
}

/// <summary>
/// The shared recognition of GS0007: loop reads and writes of a bool flag, and whether a write can happen on
/// another thread than the loop.
/// </summary>
public static class StopFlagAnalysis
{
    /// <summary>A bool field that can serve as an unsynchronized stop flag.</summary>
    public static bool IsCandidateField(IFieldSymbol field, INamedTypeSymbol? threadStaticAttribute)
    {
        // The modifiers first: asking a field's type may bind its declaration (issue 19).
        if (field.IsConst
            || field.IsReadOnly
            || field.IsVolatile
            || (field.IsImplicitlyDeclared && field.AssociatedSymbol is not IPropertySymbol)
            || (!field.IsStatic && field.ContainingType.TypeKind != TypeKind.Class)
            || !MayBeDeclaredBool(field)
            || field.Type.SpecialType != SpecialType.System_Boolean)
        {
            return false;
        }

        if (threadStaticAttribute is not null && field.IsStatic)
        {
            foreach (var attribute in field.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, threadStaticAttribute))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// False for a field declared in source with a type written as another keyword than <c>bool</c>, or as a generic,
    /// array, nullable, pointer, tuple or function pointer type: told from syntax, as asking a field for its type binds
    /// its declaration (issue 19). A name (<c>Boolean</c>, an alias, any class) says nothing without binding.
    /// </summary>
    private static bool MayBeDeclaredBool(IFieldSymbol field)
    {
        var references = field.DeclaringSyntaxReferences;
        if (references.Length != 1 || references[0].GetSyntax() is not VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration })
        {
            return true;
        }

        return declaration.Type switch
        {
            PredefinedTypeSyntax predefined => predefined.Keyword.IsKind(SyntaxKind.BoolKeyword),
            GenericNameSyntax or QualifiedNameSyntax { Right: GenericNameSyntax } or ArrayTypeSyntax or NullableTypeSyntax
                or PointerTypeSyntax or TupleTypeSyntax or FunctionPointerTypeSyntax => false,
            _ => true,
        };
    }

    /// <summary>
    /// The backing field of an auto-property read or written as a flag (<c>internal bool QueueStop { get; set; }</c>):
    /// its getter is inlined and the read hoisted just like a field's. Null for any other property.
    /// </summary>
    public static IFieldSymbol? BackingFieldOf(IPropertyReferenceOperation reference)
    {
        var property = reference.Property.OriginalDefinition;
        if (!property.Parameters.IsEmpty
            || property.IsIndexer
            || property.GetMethod is not { } getter
            || !getter.IsImplicitlyDeclared && getter.DeclaringSyntaxReferences.Length > 0 && HasBody(getter)
            || reference.Instance is not (null or IInstanceReferenceOperation))
        {
            return null;
        }

        return AutoProperties.BackingField(property);
    }

    private static bool HasBody(IMethodSymbol accessor) =>
        accessor.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null } ? false : true;

    /// <summary>
    /// Classifies a field or local reference: a plain loop read, a write (also a <c>ref</c>/<c>out</c> argument, which
    /// the callee may write), or neither (any other read, a <c>Volatile.Read</c>, a read inside a <c>lock</c>).
    /// </summary>
    public static StopFlagAccess? Classify(IOperation reference, ISymbol owningSymbol, KnownTypes types)
    {
        var parent = reference.Parent;
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                if (assignment.Value is IInvalidOperation || assignment.Value.Type is null)
                {
                    return null;
                }

                return new StopFlagAccess(StopFlagAccessKind.Write, reference.Syntax.GetLocation(), Chain(reference, owningSymbol, types), null, ImmutableArray<IMethodSymbol>.Empty, reference);
            case ICompoundAssignmentOperation compound when compound.Target == reference:
                return new StopFlagAccess(StopFlagAccessKind.Write, reference.Syntax.GetLocation(), Chain(reference, owningSymbol, types), null, ImmutableArray<IMethodSymbol>.Empty, reference);
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                // Volatile.Read(ref flag) reads; any other method handed the flag by ref (Set(ref _stop)) may write it.
                if (argument.Parent is IInvocationOperation invocation
                    && IsSynchronizationType(invocation.TargetMethod.ContainingType, types)
                    && invocation.TargetMethod.Name is not ("Write" or "Exchange" or "CompareExchange"))
                {
                    return null;
                }

                return new StopFlagAccess(StopFlagAccessKind.Write, reference.Syntax.GetLocation(), Chain(reference, owningSymbol, types), null, ImmutableArray<IMethodSymbol>.Empty, reference);
        }

        if (!TryGetLoop(reference, out var loop) || IsInsideLock(reference))
        {
            return null;
        }

        return new StopFlagAccess(
            StopFlagAccessKind.LoopRead,
            reference.Syntax.GetLocation(),
            Chain(reference, owningSymbol, types),
            loop.Syntax,
            LoopCallees(loop, owningSymbol.ContainingType),
            reference);
    }

    /// <summary>
    /// Whether <paramref name="reference"/> is a loop read of <paramref name="loop"/>: in its condition, or in an
    /// <c>if (...) break;</c> / <c>return;</c> that leaves it, outside a <c>lock</c> (what <see cref="Classify"/>
    /// reports as a loop read when the reference is not written).
    /// </summary>
    public static bool IsPolledBy(IOperation reference, IOperation loop) =>
        TryGetLoop(reference, out var polled) && polled == loop && !IsInsideLock(reference);

    /// <summary>The method a call is attributed to in the call graph (null inside work started on another thread).</summary>
    public static ISymbol? CallerOf(IOperation invocation, ISymbol owningSymbol, KnownTypes types)
    {
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
                case IAnonymousFunctionOperation lambda when IsThreadWork(lambda, types):
                    return null;
            }
        }

        return owningSymbol;
    }

    /// <summary>A call the call graph records: to a method of <paramref name="type"/> or to a local function.</summary>
    public static bool IsTrackedCallee(IMethodSymbol method, INamedTypeSymbol? type) =>
        method.MethodKind == MethodKind.LocalFunction
        || (type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type.OriginalDefinition));

    /// <summary>
    /// Whether <paramref name="write"/> runs on the loop's own thread: in the loop's function, in a lambda written
    /// inside the loop that is not started on another thread, or in a method the loop calls (transitively).
    /// </summary>
    public static bool RunsOnLoopThread(StopFlagAccess write, StopFlagAccess loopRead, StopFlagCallGraph graph, ref StopFlagReach? reachable)
    {
        var loopFunction = loopRead.Function;
        for (var i = 0; i < write.Chain.Length; i++)
        {
            var frame = write.Chain[i];
            if (SymbolEqualityComparer.Default.Equals(frame.Symbol, loopFunction))
            {
                return i == 0;
            }

            if (frame.IsLambda)
            {
                if (frame.IsThreadWork)
                {
                    return false;
                }

                if (loopRead.Loop is { } loop && frame.Syntax is { } syntax
                    && loop.SyntaxTree == syntax.SyntaxTree && loop.Span.Contains(syntax.Span))
                {
                    return true;
                }

                continue;
            }

            reachable ??= graph.ReachFrom(loopRead.LoopCallees);
            if (reachable.Contains(frame.Symbol))
            {
                // A public Close() the loop calls on a timeout is also how other threads stop it.
                return !IsStopMethodOthersCall(frame.Symbol);
            }
        }

        return false;
    }

    /// <summary>
    /// A method named for stopping (<see cref="StopPath.IsStopName"/>: <c>Close</c>, <c>Stop</c>, <c>Dispose</c>...) that
    /// code outside the type can call: the loop calling it (to stop itself) does not make it the loop's own state.
    /// </summary>
    public static bool IsStopMethodOthersCall(ISymbol function) =>
        function is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal } method
        && StopPath.IsStopName(method.Name);

    /// <summary>
    /// Whether the loop of <paramref name="loopRead"/> writes the flag itself: directly in its body, in a lambda
    /// inside it that runs on the loop's thread, in a method of the type it calls (transitively), or in a protected
    /// method when the loop calls an overridable member (the override may call it). Such a flag is the state of a
    /// single-threaded state machine, not a stop flag. A write followed at once by the loop's exit is not kept state: the
    /// loop never reads it back.
    /// </summary>
    public static bool IsWrittenByLoop(StopFlagAccess loopRead, List<StopFlagAccess> writes, StopFlagCallGraph graph)
    {
        if (loopRead.Loop is not { } loop)
        {
            return false;
        }

        StopFlagReach? reachable = null;
        var callsOverridable = false;
        foreach (var callee in loopRead.LoopCallees)
        {
            if (callee.IsAbstract || callee.IsVirtual || callee.IsOverride)
            {
                callsOverridable = true;
                break;
            }
        }

        var loopFunction = loopRead.Function;
        foreach (var write in CalledFirst(writes, loopRead.LoopCallees))
        {
            if (SymbolEqualityComparer.Default.Equals(write.Function, loopFunction))
            {
                if (write.Location.SourceTree == loop.SyntaxTree && loop.Span.Contains(write.Location.SourceSpan)
                    && !(StopFlagExemptions.LoopOf(loopRead.Reference, loop) is { } loopOperation && StopFlagLoopExits.IsWrittenOnTheWayOut(write, loopOperation)))
                {
                    return true;
                }

                continue;
            }

            if (write.Chain[0].IsLambda)
            {
                var frame = write.Chain[0];
                if (!frame.IsThreadWork && frame.Syntax is { } syntax
                    && syntax.SyntaxTree == loop.SyntaxTree && loop.Span.Contains(syntax.Span))
                {
                    return true;
                }

                continue;
            }

            reachable ??= graph.ReachFrom(loopRead.LoopCallees);
            if (reachable.Contains(write.Function) && !IsStopMethodOthersCall(write.Function))
            {
                return true;
            }

            if (callsOverridable
                && write.Chain.Length == 1
                && write.Function is IMethodSymbol { DeclaredAccessibility: Accessibility.Protected or Accessibility.ProtectedAndInternal } writer
                && SymbolEqualityComparer.Default.Equals(writer.ContainingType?.OriginalDefinition, loopFunction.ContainingType?.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The writes in a function the loop calls directly first: any write found reachable answers the question, and those
    /// need no call followed (the answer does not depend on the order).
    /// </summary>
    private static IEnumerable<StopFlagAccess> CalledFirst(List<StopFlagAccess> writes, ImmutableArray<IMethodSymbol> callees)
    {
        if (callees.IsEmpty || writes.Count < 2)
        {
            return writes;
        }

        var first = new List<StopFlagAccess>(writes.Count);
        var rest = new List<StopFlagAccess>();
        foreach (var write in writes)
        {
            (write.Function is IMethodSymbol method && callees.Contains(method, SymbolEqualityComparer.Default) ? first : rest).Add(write);
        }

        first.AddRange(rest);
        return first;
    }

    /// <summary>How a function is named in the message.</summary>
    public static string Describe(ImmutableArray<FunctionFrame> chain, bool qualify = false, int index = 0)
    {
        var frame = chain[index];
        if (frame.IsLambda)
        {
            return index + 1 < chain.Length ? "lambda in " + Describe(chain, qualify, index + 1) : "lambda";
        }

        var name = DescribeSymbol(frame.Symbol);
        return qualify && index == chain.Length - 1 && frame.Symbol.ContainingType is { } type ? type.Name + "." + name : name;
    }

    private static string DescribeSymbol(ISymbol symbol) =>
        symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor } method => method.ContainingType.Name + " constructor",
            IMethodSymbol { MethodKind: MethodKind.StaticConstructor } method => method.ContainingType.Name + " static constructor",
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: { } property } => property.Name + ".get",
            IMethodSymbol { MethodKind: MethodKind.PropertySet, AssociatedSymbol: { } property } => property.Name + ".set",
            IMethodSymbol { MethodKind: MethodKind.EventAdd, AssociatedSymbol: { } @event } => @event.Name + ".add",
            IMethodSymbol { MethodKind: MethodKind.EventRemove, AssociatedSymbol: { } @event } => @event.Name + ".remove",
            IMethodSymbol method => method.Name,
            { } other => other.Name + " initializer",
        };

    /// <summary>Orders accesses by file and position, so diagnostics do not depend on analysis order.</summary>
    public static int Compare(StopFlagAccess x, StopFlagAccess y)
    {
        var byPath = string.CompareOrdinal(x.Location.SourceTree?.FilePath, y.Location.SourceTree?.FilePath);
        return byPath != 0 ? byPath : x.Location.SourceSpan.Start.CompareTo(y.Location.SourceSpan.Start);
    }

    private static bool IsSynchronizationType(INamedTypeSymbol? type, KnownTypes types) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type, types.Volatile) || SymbolEqualityComparer.Default.Equals(type, types.Interlocked));

    private static ImmutableArray<FunctionFrame> Chain(IOperation reference, ISymbol owningSymbol, KnownTypes types)
    {
        var builder = ImmutableArray.CreateBuilder<FunctionFrame>();
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    builder.Add(new FunctionFrame(lambda.Symbol, lambda.Syntax, isLambda: true, IsThreadWork(lambda, types)));
                    break;
                case ILocalFunctionOperation localFunction:
                    builder.Add(new FunctionFrame(localFunction.Symbol, localFunction.Syntax, isLambda: false, isThreadWork: false));
                    break;
            }
        }

        builder.Add(new FunctionFrame(owningSymbol, null, isLambda: false, isThreadWork: false));
        return builder.ToImmutable();
    }

    private static bool IsThreadWork(IAnonymousFunctionOperation lambda, KnownTypes types)
    {
        var current = OperationUnwrapping.AsDelegateValue(lambda);

        return current.Parent is IArgumentOperation { Parent: { } site } && ThreadStartSites.Classify(site, types) != ThreadStartKind.None;
    }

    /// <summary>The loop whose condition, or whose <c>if (...) break;</c> / <c>return;</c>, reads <paramref name="reference"/>.</summary>
    private static bool TryGetLoop(IOperation reference, out IOperation loop)
    {
        loop = null!;
        var current = reference;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation:
                case IParenthesizedOperation:
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null }:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null }:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or, OperatorMethod: null, Type.SpecialType: SpecialType.System_Boolean }:
                    current = parent;
                    continue;
                case IWhileLoopOperation whileLoop when whileLoop.Condition == current:
                    loop = whileLoop;
                    return true;
                case IForLoopOperation forLoop when forLoop.Condition == current:
                    loop = forLoop;
                    return true;
                case IConditionalOperation conditional when conditional.Condition == current && conditional.Type is null:
                    return TryGetExitedLoop(conditional, out loop);
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>For <c>if (flag) break;</c> / <c>return;</c>: the while/do/for loop that the branch leaves.</summary>
    private static bool TryGetExitedLoop(IConditionalOperation conditional, out IOperation loop)
    {
        loop = null!;
        var exit = conditional.WhenTrue;
        if (exit is IBlockOperation block)
        {
            if (block.Operations.IsEmpty)
            {
                return false;
            }

            exit = block.Operations[block.Operations.Length - 1];
        }

        ILabelSymbol? breakTarget;
        switch (exit)
        {
            case IBranchOperation { BranchKind: BranchKind.Break } branch:
                breakTarget = branch.Target;
                break;
            case IReturnOperation:
                breakTarget = null;
                break;
            default:
                return false;
        }

        for (var current = conditional.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return false;
                case ILoopOperation candidate when breakTarget is null || SymbolEqualityComparer.Default.Equals(candidate.ExitLabel, breakTarget):
                    if (candidate is IWhileLoopOperation or IForLoopOperation)
                    {
                        loop = candidate;
                        return true;
                    }

                    return false;
            }
        }

        return false;
    }

    private static bool IsInsideLock(IOperation reference)
    {
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return true;
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    private static ImmutableArray<IMethodSymbol> LoopCallees(IOperation loop, INamedTypeSymbol? type)
    {
        var builder = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation invocation && IsTrackedCallee(invocation.TargetMethod, type))
            {
                builder.Add(invocation.TargetMethod.OriginalDefinition);
            }
        }

        return builder.ToImmutable();
    }
}
