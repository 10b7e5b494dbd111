using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// One compilation's model of how each type starts and stops its work (issue 18), shared by every rule: a rule asks
/// <see cref="For"/> only for a site it is about to report (rare), and the type's declarations are then searched once,
/// by name, for what can matter, and only that is bound. Cached per compilation (one instance whichever rule asks
/// first) and per type; thread-safe. The parts of <see cref="TypeWorkModel"/>:
/// <list type="bullet">
/// <item><b>work</b>: the methods that start sites of the type run on another thread (<c>new Thread</c>,
/// <c>Task.Run</c>, <c>StartNew</c>, <c>ThreadPool</c>, <c>Parallel</c>, and thin helpers that wrap one, see
/// <see cref="StartOf"/>), and whether the type stops threads forcibly;</item>
/// <item><b>stop path</b>: the members that stop it (<see cref="StopPath"/>);</item>
/// <item><b>signals</b>: what the stop path does to the type's fields (<c>Set</c>, <c>Release</c>, <c>Pulse</c>,
/// <c>CompleteAdding</c>, <c>Stop</c>/<c>Close</c>/<c>Dispose</c>, <c>Kill</c>, <c>Cancel</c>), and which names any
/// member of the type writes;</item>
/// <item><b>reach</b>: whether a wait on a field is ended by a stop-path signal (<see cref="IsEndedByOwner"/>), whether
/// a polled flag is ever written (<see cref="TypeWorkModel.IsWritten"/>).</item>
/// </list>
/// Declarations in generated files are skipped (the operation actions of the rules never see them).
/// </summary>
public sealed class StopModel
{
    private static readonly ConditionalWeakTable<Compilation, StopModel> Models = new();

    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeWorkModel> _byType = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeWorkModel> _signalsByType = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, StartHelper> _helpers = new(SymbolEqualityComparer.Default);

    // Every type of the compilation gets one (GS0007 asks at each type's start).
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeFlagModel> _flags;
    private readonly StopFlagOutsideWrites _outsideWrites;
    private readonly KeptSetEvents _keptSetEvents;

    // The names of the source methods with a delegate parameter (the only methods a start helper can be), made at the
    // first type model; see MayMatter.
    private readonly ConcurrentDictionary<string, bool> _delegateTakingMethodNames = new(StringComparer.Ordinal);

    private StopModel(Compilation compilation)
    {
        _types = KnownTypes.Get(compilation);
        _flags = TypeKeyedCache.Create<TypeFlagModel>(compilation);
        _outsideWrites = new StopFlagOutsideWrites(_types);
        _keptSetEvents = new KeptSetEvents(_types);
    }

    /// <summary>The model of <paramref name="compilation"/> (one per compilation, made at the first question).</summary>
    public static StopModel Get(Compilation compilation) => Models.GetValue(compilation, static c => new StopModel(c));

    public KnownTypes Types => _types;

    /// <summary>Whether <paramref name="wait"/> waits on an event its loop sets before it and nobody leaves unset (<see cref="KeptSetEvents"/>).</summary>
    public bool IsWaitOnEventItsLoopKeepsSet(IInvocationOperation wait, ILoopOperation loop, CancellationToken cancellationToken) =>
        _keptSetEvents.IsSetByItsLoopAndNeverLeftUnset(wait, loop, cancellationToken);

    /// <summary>
    /// The model of <paramref name="type"/>'s own code (every declaration, not its nested types);
    /// <paramref name="model"/> is the asking operation's semantic model, used for the declarations in its file.
    /// </summary>
    public TypeWorkModel For(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var definition = type.OriginalDefinition;
        if (!_byType.TryGetValue(definition, out var work))
        {
            work = _byType.GetOrAdd(definition, Collect(definition, model, cancellationToken, signalsOnly: false));
        }

        return work;
    }

    /// <summary>
    /// Whether <paramref name="method"/> is the work of a start site of <paramref name="type"/> (its model's
    /// <see cref="TypeWorkModel.WorkMethods"/>), and that site. A start site names the method it runs (a method group,
    /// or the one call of a lambda), so a method whose name no declaration of the type references runs on no thread
    /// of the type's, and the type's model is not made to say so (issue 19: a wait outside a loop asked it for every
    /// type with one).
    /// </summary>
    public bool TryGetWork(INamedTypeSymbol type, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken, out ThreadWork work)
    {
        work = default;
        return NameReferences.IsReferencedIn(type, method.Name, cancellationToken)
            && For(type, model, cancellationToken).WorkMethods.TryGetWork(method, out work);
    }

    /// <summary>
    /// The stop-path signals of <paramref name="type"/> (all that <see cref="IsEndedByOwner"/> asks): the whole model when
    /// it is made already, otherwise one that binds only the calls on the stop path, not the type's start sites (a wait
    /// in a loop needs no more; issue 19, GS0006 on thread-heavy code).
    /// </summary>
    private TypeWorkModel SignalsOf(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var definition = type.OriginalDefinition;
        if (_byType.TryGetValue(definition, out var work))
        {
            return work;
        }

        if (!_signalsByType.TryGetValue(definition, out var signals))
        {
            signals = _signalsByType.GetOrAdd(definition, Collect(definition, model, cancellationToken, signalsOnly: true));
        }

        return signals;
    }

    /// <summary>
    /// The bool flags of <paramref name="type"/>: who polls and who writes each candidate, on which thread, and the
    /// verdict GS0007 reports (<see cref="TypeFlagModel"/>). Scanned once per type, at the first question; bound at the
    /// first verdict.
    /// </summary>
    public TypeFlagModel FlagsOf(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var definition = type.OriginalDefinition;
        if (!_flags.TryGetValue(definition, out var flags))
        {
            flags = _flags.GetOrAdd(definition, TypeFlagModel.Scan(definition, _types, cancellationToken));
        }

        return flags;
    }

    /// <summary>The writes of <paramref name="field"/> (original definition) made from other types than its own.</summary>
    internal List<StopFlagAccess> WritesFromOtherTypes(IFieldSymbol field, CancellationToken cancellationToken) =>
        _outsideWrites.Of(field, cancellationToken);

    /// <summary>
    /// The work a start site runs: a known start site (<see cref="ThreadStartSites.Classify"/>), or a call of a thin
    /// helper in source that hands one of its delegate parameters to a start site (<c>StartThread(Loop, "name")</c>
    /// whose body is <c>new Thread(work) { Name = name }.Start()</c>), or of a helper from a referenced assembly whose
    /// task the caller drops (<see cref="ReferencedStartHelpers"/>). <paramref name="viaHelper"/> tells the second.
    /// </summary>
    public IEnumerable<ThreadWork> StartOf(IOperation operation, CancellationToken cancellationToken, out bool viaHelper)
    {
        viaHelper = false;
        var kind = ThreadStartSites.Classify(operation, _types);
        if (kind != ThreadStartKind.None)
        {
            return ThreadStartSites.GetAll(operation, kind);
        }

        if (operation is not IInvocationOperation invocation)
        {
            return Array.Empty<ThreadWork>();
        }

        if (HelperOf(invocation.TargetMethod, cancellationToken) is not { } helper)
        {
            if (ReferencedStartHelpers.WorkArgument(invocation, _types) is { } argument
                && ThreadStartSites.Resolve(ThreadStartKind.TaskRun, invocation, argument.Value) is { IsValid: true } referenced)
            {
                viaHelper = true;
                return new[] { referenced };
            }

            return Array.Empty<ThreadWork>();
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal == helper.Ordinal)
            {
                var work = ThreadStartSites.Resolve(helper.Kind, invocation, argument.Value);
                if (work.IsValid)
                {
                    viaHelper = true;
                    return new[] { work };
                }
            }
        }

        return Array.Empty<ThreadWork>();
    }

    /// <summary>
    /// Whether <paramref name="work"/> runs on a background thread: <c>new Thread(...) { IsBackground = true }</c>, or a
    /// start helper whose thread is one.
    /// </summary>
    public bool IsBackground(ThreadWork work, CancellationToken cancellationToken) => work.StartSite switch
    {
        IObjectCreationOperation creation => work.Kind == ThreadStartKind.NewThread && BackgroundThreads.IsMarkedBackground(creation, cancellationToken),
        IInvocationOperation invocation => IsHelperCall(invocation) && HelperOf(invocation.TargetMethod, cancellationToken) is { Background: true },
        _ => false,
    };

    /// <summary>Whether a start site is a call of a start helper rather than a start site itself.</summary>
    public bool IsHelperCall(IOperation startSite) => startSite is IInvocationOperation && ThreadStartSites.Classify(startSite, _types) == ThreadStartKind.None;

    /// <summary>
    /// The start site whose work holds <paramref name="operation"/> directly (its nearest enclosing lambda is the work
    /// of a start site or of a start helper), or an invalid <see cref="ThreadWork"/>.
    /// </summary>
    public ThreadWork EnclosingWork(IOperation operation, CancellationToken cancellationToken, out bool viaHelper)
    {
        viaHelper = false;
        var work = ThreadStartSites.GetEnclosingWork(operation, _types);
        if (work.IsValid)
        {
            return work;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    IOperation site = lambda;
                    while (site.Parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
                    {
                        site = site.Parent;
                    }

                    if (site.Parent is IArgumentOperation { Parent: IInvocationOperation invocation })
                    {
                        foreach (var candidate in StartOf(invocation, cancellationToken, out viaHelper))
                        {
                            if (candidate.Lambda == lambda)
                            {
                                return candidate;
                            }
                        }
                    }

                    viaHelper = false;
                    return default;
                case ILocalFunctionOperation:
                    return default;
            }
        }

        return default;
    }

    /// <summary>
    /// Whether a wait on a field of its type (<c>_ready.WaitOne()</c>, <c>_listener.AcceptTcpClient()</c>,
    /// <c>_queue.Take()</c>, <c>_process.WaitForExit()</c>, <c>Monitor.Wait(_gate)</c>) is ended by a signal the
    /// field's type sends on its stop path (<see cref="StopPath"/>), from another member than the waiting one. The
    /// receiver may be under <c>?.</c>, or a member of an object a field holds (<c>_reader.Queued.WaitOne()</c>, ended
    /// by <c>_reader.Queued.Set()</c> on the stop path of the field's type); the signal may be sent by a method of the
    /// type the stop path calls (<see cref="StopPathCalls"/>). A signal that can only end the wait (<c>CompleteAdding</c>,
    /// <c>Kill</c>, closing a listener) counts from any other member of the type; and a wait on a parameter of a private
    /// method is a wait on each field its callers pass (<see cref="ParameterFields"/>).
    /// </summary>
    public bool IsEndedByOwner(IInvocationOperation wait, CancellationToken cancellationToken)
    {
        if (wait.SemanticModel is not { } model || StopPath.SignalsFor(wait.TargetMethod.Name) is { IsEmpty: true } signals)
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<SyntaxNode>(m => m is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax);
        ISymbol? owner = null;
        if ((StopPath.WaitedField(wait) ?? StopPath.WaitedMemberOfField(wait, out owner)) is { } field)
        {
            return IsSignalled(field, owner, signals, waitingMember, model, cancellationToken);
        }

        // A collection handed to the consumer as a parameter: each field the callers pass must be ended.
        if (StopPath.WaitedParameter(wait) is not { } parameter
            || ParameterFields.PassedFor(parameter, model, cancellationToken) is { IsEmpty: true } passed)
        {
            return false;
        }

        foreach (var passedField in passed)
        {
            if (!IsSignalled(passedField, null, signals, waitingMember, model, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the type's stop path sends one of <paramref name="signals"/> to <paramref name="field"/> (outside the
    /// waiting member), or any other member of the type sends it one that can only end the wait
    /// (<see cref="StopPath.EndingSignals"/>, <see cref="ClosingMembers"/>).
    /// </summary>
    private bool IsSignalled(ISymbol field, ISymbol? owner, ImmutableArray<string> signals, SyntaxNode? waitingMember, SemanticModel model, CancellationToken cancellationToken) =>
        (owner ?? field).ContainingType is { } type
        && (SignalsOf(type, model, cancellationToken).SignalsOnStopPath(field, owner, signals, waitingMember)
            || (StopPath.EndingSignals(signals) is { IsEmpty: false } endings
                && ClosingMembers.ClosesOutsideTheWait(type, field, owner, endings, waitingMember, model, cancellationToken)));

    /// <summary>
    /// Whether the owner ends the wait (<see cref="IsEndedByOwner"/>) and its stop path also cancels a token source,
    /// while every token in scope is a field or property (the type's own token): <c>Dispose() { _cts.Cancel();
    /// _continue.Set(); }</c> with <c>while (_continue.WaitOne() &amp;&amp; !_token.IsCancellationRequested)</c>. The
    /// stop that cancels the token wakes the wait itself, so passing the token would end it no sooner. Found on
    /// Captura's recorder (fresh set 4).
    /// </summary>
    public bool IsEndedByOwnerThatCancels(IInvocationOperation wait, ImmutableArray<TokenInScope> tokens, CancellationToken cancellationToken)
    {
        foreach (var token in tokens)
        {
            if (token.Origin is not (TokenOrigin.Field or TokenOrigin.Property))
            {
                return false;
            }
        }

        // Only a wait woken by a Set/Release/Pulse: a stop path that cancels and also stops the listener ends an accept by
        // an exception, and there passing the token stays the clean stop (nats.net's test server, judged so on fresh set 2).
        return !tokens.IsEmpty
            && StopPath.SignalsFor(wait.TargetMethod.Name).IndexOf("Set") >= 0
            && IsEndedByOwner(wait, cancellationToken)
            && wait.SemanticModel is { } model
            && tokens[0].Symbol.ContainingType is { } type
            && SignalsOf(type, model, cancellationToken).SendsOnStopPath("Cancel");
    }

    /// <summary>
    /// Whether a call in a loop whose condition reads the type's own token (every token in scope a field or property) is
    /// ended by the owner's stop path (<see cref="IsEndedByOwner"/>: it closes, disposes or stops the field the call is
    /// on) that also cancels a token source: <c>Close() { _cts.Cancel(); _client.Close(); }</c> with <c>while
    /// (!_cts.IsCancellationRequested) { try { await _client.ReceiveAsync(); } catch { } }</c>. The stop makes the call
    /// throw, a <c>catch</c> inside the loop takes the exception and the loop then sees the token: passing it would end
    /// the wait no sooner. A call whose exception leaves the loop, or a one-shot call outside such a loop, stays reported
    /// (nats.net's test server, judged so on fresh set 2). Found on DSharpPlus (fresh set 6).
    /// </summary>
    public bool IsEndedByOwnerThatCancelsInLoopOnToken(IInvocationOperation wait, ImmutableArray<TokenInScope> tokens, CancellationToken cancellationToken)
    {
        if (tokens.IsEmpty || BlockingSites.EnclosingLoop(wait) is not { } loop)
        {
            return false;
        }

        foreach (var token in tokens)
        {
            if (token.Origin is not (TokenOrigin.Field or TokenOrigin.Property))
            {
                return false;
            }
        }

        var condition = LoopClassifier.ConditionOf(loop);
        return condition is not null
            && IsCaughtInside(wait, loop)
            && TokenObservation.ObservesAny(condition, tokens, _types)
            && IsEndedByOwner(wait, cancellationToken)
            && wait.SemanticModel is { } model
            && tokens[0].Symbol.ContainingType is { } type
            && SignalsOf(type, model, cancellationToken).SendsOnStopPath("Cancel");
    }

    /// <summary>
    /// Whether an accept, receive or read on a field of the loop's type (<c>_listener.AcceptTcpClient()</c>), outside any
    /// <c>try</c> with a <c>catch</c> inside the loop, is ended by the stop path stopping, closing or disposing that
    /// field (<see cref="IsEndedByOwner"/>), or on a captured local that the function declaring it stops
    /// (<see cref="CapturedResourceStops"/>): the call then throws, and the exception leaves the loop. The call may be in
    /// the loop or, one level down, in a method of the same type the loop calls on <c>this</c>
    /// (<c>while (true) ProcessRequest();</c>). Asked only for a loop about to be reported.
    /// </summary>
    public bool EndsByStopPathException(ILoopOperation loop, CancellationToken cancellationToken)
    {
        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is not IInvocationOperation call || IsCaughtInside(call, loop))
            {
                continue;
            }

            if (ThrowsOnceStopped(call, cancellationToken)
                || (ThrowsOnceStoppedName(call.TargetMethod.Name) && CapturedResourceStops.StopsCall(call, cancellationToken))
                || (call.Instance is null or IInstanceReferenceOperation
                    && HelperBody(call.TargetMethod, loop.SemanticModel, cancellationToken) is { } body
                    && AnyThrowsOnceStopped(body, cancellationToken)))
            {
                return true;
            }
        }

        return false;
    }

    private bool ThrowsOnceStopped(IInvocationOperation call, CancellationToken cancellationToken) =>
        ThrowsOnceStoppedName(call.TargetMethod.Name) && IsEndedByOwner(call, cancellationToken);

    private static bool ThrowsOnceStoppedName(string name) => StopPath.SignalsFor(name) is { IsEmpty: false } signals && signals.IndexOf("Dispose") >= 0;

    private bool AnyThrowsOnceStopped(IOperation body, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation call && !IsCaughtInside(call, body) && ThrowsOnceStopped(call, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The bound body of a source method with one declaration, when its syntax calls something named like an accept,
    /// receive or read (checked before binding), or null.
    /// </summary>
    private static IOperation? HelperBody(IMethodSymbol method, SemanticModel? model, CancellationToken cancellationToken)
    {
        if (model is null
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not BaseMethodDeclarationSyntax declaration
            || ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is not { } body
            || !model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return null;
        }

        var mayThrow = false;
        foreach (var node in body.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax invocation && RightmostName.Of(invocation.Expression) is { } name && ThrowsOnceStoppedName(name))
            {
                mayThrow = true;
                break;
            }
        }

        if (!mayThrow)
        {
            return null;
        }

        var treeModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
        return treeModel.GetOperation(body, cancellationToken);
    }

    /// <summary>Whether an exception of <paramref name="call"/> is caught inside <paramref name="root"/>, or the call is in a nested function.</summary>
    private static bool IsCaughtInside(IOperation call, IOperation root)
    {
        for (var current = call.Parent; current is not null && current != root; current = current.Parent)
        {
            switch (current)
            {
                case ITryOperation { Catches.IsEmpty: false }:
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return true;
            }
        }

        return false;
    }

    private TypeWorkModel Collect(INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken, bool signalsOnly)
    {
        var work = new TypeWorkModel();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            SemanticModel treeModel;
            if (tree == model.SyntaxTree)
            {
                treeModel = model;
            }
            else if (!model.Compilation.ContainsSyntaxTree(tree) || GeneratedCode.IsGenerated(tree, model.Compilation, cancellationToken))
            {
                continue;
            }
            else
            {
                // Only a partial type declared in several files gets here. The driver's compilation hands out its
                // cached semantic models.
                treeModel = model.Compilation.GetSemanticModel(tree);
            }

            var declaration = reference.GetSyntax(cancellationToken);
            var aliased = HasUsingAlias(tree, cancellationToken);
            Func<SyntaxNode, bool> mayMatter = signalsOnly ? MaySignalOnStopPath : node => MayMatter(node, aliased, cancellationToken);
            foreach (var operation in ThreadStartSites.CallsAndCreations(declaration, treeModel, cancellationToken, mayMatter))
            {
                if (signalsOnly)
                {
                    if (operation is IInvocationOperation signal)
                    {
                        AddStopPathSignals(work, signal, type, treeModel, cancellationToken);
                    }

                    continue;
                }

                foreach (var started in StartOf(operation, cancellationToken, out _))
                {
                    work.AddWork(started);
                }

                if (operation is IInvocationOperation invocation)
                {
                    if (invocation.TargetMethod is { Name: "Abort" or "Interrupt" } method
                        && SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Thread))
                    {
                        work.MarkStopsThreadsForcibly();
                    }

                    AddStopPathSignals(work, invocation, type, treeModel, cancellationToken);
                }
            }

            if (signalsOnly)
            {
                continue;
            }

            // Written names: every declaration below the type's, nested types included (they may write its fields).
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is IdentifierNameSyntax identifier && IsWritten(identifier))
                {
                    work.AddWrittenName(identifier.Identifier.ValueText);
                }
            }
        }

        return work;
    }

    /// <summary>
    /// The signals <paramref name="invocation"/> sends on the stop path: itself a signal (<c>_ready.Set()</c>,
    /// <c>_reader.Queued.Set()</c>), or a call of the type's own method that sends them (<see cref="StopPathCalls"/>),
    /// recorded at the call.
    /// </summary>
    private static void AddStopPathSignals(TypeWorkModel work, IInvocationOperation invocation, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!StopPath.IsOnStopPath(invocation.Syntax))
        {
            return;
        }

        var name = invocation.TargetMethod.Name;
        if (!StopPath.IsSignalName(name))
        {
            if (invocation.Syntax is InvocationExpressionSyntax syntax && StopPathCalls.IsOwnCall(syntax))
            {
                foreach (var (field, owner, signal) in StopPathCalls.SignalsOf(invocation, type, model, cancellationToken))
                {
                    work.AddSignal(field, owner, signal, invocation.Syntax);
                }
            }
        }
        else if (StopPath.SignalledField(invocation) is { } signalled)
        {
            work.AddSignal(signalled, null, name, invocation.Syntax);
        }
        else if (StopPath.SignalledMemberOfField(invocation, out var owner) is { } member)
        {
            work.AddSignal(member, owner, name, invocation.Syntax);
        }
    }

    /// <summary>
    /// The calls named like a start site or a forcible stop, stop signals on the stop path (the only ones the model
    /// records), calls that may hand work to a start helper
    /// (a delegate-shaped argument, and the name of a source method with a delegate parameter), and the creations of a
    /// <c>Thread</c> or <c>Task</c> (any creation in a file with a using alias, or written <c>new(...)</c>). Only these
    /// are bound: binding every call of a type made the model pay for binding whole types (issue 19's in-process
    /// budget).
    /// </summary>
    private bool MayMatter(SyntaxNode node, bool aliased, CancellationToken cancellationToken) => node switch
    {
        InvocationExpressionSyntax invocation => RightmostName.Of(invocation.Expression) is not { } name
            || name is "Run" or "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "For" or "ForEach" or "Invoke"
                or "Abort" or "Interrupt"
            || ((StopPath.IsSignalName(name) || StopPathCalls.IsOwnCall(invocation)) && StopPath.IsOnStopPath(invocation))
            || (HasDelegateShapedArgument(invocation) && IsDelegateTakingMethodName(name, cancellationToken)),
        ObjectCreationExpressionSyntax creation => aliased || RightmostName.Of(creation.Type) is null or "Thread" or "Task",
        _ => true,
    };

    /// <summary>The calls <see cref="MayMatter"/> keeps for the stop-path signals alone.</summary>
    private static bool MaySignalOnStopPath(SyntaxNode node) =>
        node is InvocationExpressionSyntax invocation
        && RightmostName.Of(invocation.Expression) is { } name
        && (StopPath.IsSignalName(name) || StopPathCalls.IsOwnCall(invocation))
        && StopPath.IsOnStopPath(invocation);

    /// <summary>
    /// Whether a source method of that name takes a delegate, asked per name (the compilation's declaration table finds
    /// the few members of a name without creating the others; listing every member once cost more, issue 19).
    /// </summary>
    private bool IsDelegateTakingMethodName(string name, CancellationToken cancellationToken)
    {
        if (_delegateTakingMethodNames.TryGetValue(name, out var known))
        {
            return known;
        }

        var takesDelegate = false;
        foreach (var symbol in _types.Compilation.GetSymbolsWithName(name, SymbolFilter.Member, cancellationToken))
        {
            if (symbol is IMethodSymbol method && HasDelegateParameter(method))
            {
                takesDelegate = true;
                break;
            }
        }

        return _delegateTakingMethodNames.GetOrAdd(name, takesDelegate);
    }

    /// <summary>Whether the file declares a using alias (<c>using T = System.Threading.Thread;</c>), which can rename a created type.</summary>
    private static bool HasUsingAlias(SyntaxTree tree, CancellationToken cancellationToken)
    {
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or UsingDirectiveSyntax))
        {
            if (node is UsingDirectiveSyntax { Alias: not null })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call that may hand work to a start helper: one of its arguments is a lambda or a bare method name.</summary>
    private static bool HasDelegateShapedArgument(InvocationExpressionSyntax invocation)
    {
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.Expression is AnonymousFunctionExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The start helper <paramref name="method"/> is, or null: a method in source with a delegate parameter that its
    /// body hands to a start site (<c>new Thread(work)</c>, <c>Task.Run(work)</c>, <c>new Thread(() => work())</c>).
    /// Found from its syntax by name first; only a matching site is bound. Cached per method.
    /// </summary>
    private StartHelper? HelperOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var definition = method.OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.Length != 1 || !HasDelegateParameter(definition))
        {
            return null;
        }

        if (!_helpers.TryGetValue(definition, out var helper))
        {
            helper = _helpers.GetOrAdd(definition, FindHelper(definition, cancellationToken));
        }

        return helper.Kind == ThreadStartKind.None ? null : helper;
    }

    private static bool HasDelegateParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.TypeKind == TypeKind.Delegate)
            {
                return true;
            }
        }

        return false;
    }

    private StartHelper FindHelper(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        var compilation = _types.Compilation;
        if (declaration is not BaseMethodDeclarationSyntax { Body: not null } and not BaseMethodDeclarationSyntax { ExpressionBody: not null }
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return default;
        }

        SemanticModel? model = null;
        foreach (var node in declaration.DescendantNodes())
        {
            if (node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax))
            {
                continue;
            }

            var arguments = node is InvocationExpressionSyntax call ? call.ArgumentList : ((BaseObjectCreationExpressionSyntax)node).ArgumentList;
            if (arguments is null || ParameterPassed(arguments, method) is not { } parameter)
            {
                continue;
            }

            model ??= compilation.GetSemanticModel(declaration.SyntaxTree);
            if (model.GetOperation(node, cancellationToken) is not { } site)
            {
                continue;
            }

            var kind = ThreadStartSites.Classify(site, _types);
            if (kind != ThreadStartKind.None)
            {
                var background = site is IObjectCreationOperation creation && BackgroundThreads.IsMarkedBackground(creation, cancellationToken);
                return new StartHelper(kind, parameter.Ordinal, background);
            }
        }

        return default;
    }

    /// <summary>The delegate parameter of <paramref name="method"/> an argument list passes on (<c>p</c>, <c>() =&gt; p()</c>, <c>p.Invoke</c>).</summary>
    private static IParameterSymbol? ParameterPassed(ArgumentListSyntax arguments, IMethodSymbol method)
    {
        foreach (var argument in arguments.Arguments)
        {
            var name = argument.Expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                ParenthesizedLambdaExpressionSyntax { ExpressionBody: InvocationExpressionSyntax { Expression: IdentifierNameSyntax called } } => called.Identifier.ValueText,
                SimpleLambdaExpressionSyntax { ExpressionBody: InvocationExpressionSyntax { Expression: IdentifierNameSyntax called } } => called.Identifier.ValueText,
                ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } wrappedArguments } when wrappedArguments[0].Expression is IdentifierNameSyntax wrapped => wrapped.Identifier.ValueText,
                _ => null,
            };
            if (name is null)
            {
                continue;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == name && parameter.Type.TypeKind == TypeKind.Delegate)
                {
                    return parameter;
                }
            }
        }

        return null;
    }

    /// <summary>Assigned, passed by <c>ref</c> / <c>out</c>, or its address taken: anything that could change it. Read from syntax, by name.</summary>
    internal static bool IsWritten(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
        {
            node = access;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.AddressOfExpression),
            RefExpressionSyntax => true,
            _ => false,
        };
    }

    private readonly struct StartHelper
    {
        public StartHelper(ThreadStartKind kind, int ordinal, bool background)
        {
            Kind = kind;
            Ordinal = ordinal;
            Background = background;
        }

        /// <summary>The helper's thread is made a background thread (<c>IsBackground = true</c>).</summary>
        public bool Background { get; }

        public ThreadStartKind Kind { get; }

        public int Ordinal { get; }
    }
}

/// <summary>One type's part of the <see cref="StopModel"/>: its work, its stop-path signals, the names it writes. Filled once, then read-only.</summary>
public sealed class TypeWorkModel
{
    private int _stopsThreadsForcibly;
    private Dictionary<ISymbol, List<(string Name, ISymbol? Owner, SyntaxNode Site)>>? _signals;
    private HashSet<string>? _written;

    /// <summary>The methods that start sites of the type run, with the first start site (in declaration order) of each.</summary>
    public ThreadWorkMethods WorkMethods { get; } = new();

    /// <summary>The type calls <c>Thread.Abort</c> or <c>Thread.Interrupt</c> (its loops are GS0001's / GS0002's).</summary>
    public bool StopsThreadsForcibly => Volatile.Read(ref _stopsThreadsForcibly) != 0;

    /// <summary>Whether any code in the type's declarations (nested types included) may write a variable of this name.</summary>
    public bool IsWritten(string name) => _written is { } written && written.Contains(name);

    /// <summary>
    /// Whether the stop path sends one of <paramref name="signals"/> to <paramref name="field"/> (a member of the object
    /// held by <paramref name="owner"/> when not null), outside <paramref name="except"/>.
    /// </summary>
    public bool SignalsOnStopPath(ISymbol field, ISymbol? owner, ImmutableArray<string> signals, SyntaxNode? except)
    {
        if (_signals is null || !_signals.TryGetValue(field.OriginalDefinition, out var sent))
        {
            return false;
        }

        foreach (var (name, sentOwner, site) in sent)
        {
            if (signals.IndexOf(name) >= 0
                && SymbolEqualityComparer.Default.Equals(sentOwner?.OriginalDefinition, owner?.OriginalDefinition)
                && (except is null || !except.Span.Contains(site.Span) || except.SyntaxTree != site.SyntaxTree))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the stop path sends the signal <paramref name="name"/> (<c>Cancel</c>, <c>Set</c>...) to any field.</summary>
    public bool SendsOnStopPath(string name)
    {
        foreach (var sent in _signals?.Values ?? Enumerable.Empty<List<(string Name, ISymbol? Owner, SyntaxNode Site)>>())
        {
            foreach (var signal in sent)
            {
                if (signal.Name == name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal void AddWork(ThreadWork work) => WorkMethods.AddWork(work);

    internal void MarkStopsThreadsForcibly() => Volatile.Write(ref _stopsThreadsForcibly, 1);

    internal void AddSignal(ISymbol field, ISymbol? owner, string name, SyntaxNode site)
    {
        _signals ??= new Dictionary<ISymbol, List<(string, ISymbol?, SyntaxNode)>>(SymbolEqualityComparer.Default);
        if (!_signals.TryGetValue(field.OriginalDefinition, out var list))
        {
            list = new List<(string, ISymbol?, SyntaxNode)>();
            _signals.Add(field.OriginalDefinition, list);
        }

        list.Add((name, owner, site));
    }

    internal void AddWrittenName(string name) => (_written ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
}

/// <summary>Whether the analyzer driver treats a tree as generated code (skipped with <c>GeneratedCodeAnalysisFlags.None</c>).</summary>
internal static class GeneratedCode
{
    /// <summary>
    /// The <c>generated_code</c> option when set, otherwise a generated file name (<c>.g.cs</c>, <c>.designer.cs</c>,
    /// ...) or a leading <c>&lt;auto-generated&gt;</c> comment.
    /// </summary>
    public static bool IsGenerated(SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
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
