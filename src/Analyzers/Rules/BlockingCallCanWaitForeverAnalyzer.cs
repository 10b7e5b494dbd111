using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0006: an infinite wait (<c>WaitOne()</c>, <c>Join()</c>, <c>Take()</c>, <c>Wait()</c>, <c>Monitor.Wait(o)</c>,
/// <c>SpinWait.SpinUntil(f)</c>, <c>Accept*()</c>, <c>Receive()</c>, configured methods) with no cancellation token in
/// scope, inside a loop or in work that runs on its own thread: a lambda given to a start site, or a method of the
/// same type that a start site runs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallCanWaitForeverAnalyzer : DiagnosticAnalyzer
{
    private const string LoopContext = "loop";
    private const string ThreadContext = "thread";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BlockingCallCanWaitForever);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.CancellationToken is null)
        {
            return;
        }

        var optionsCache = BlockingOptionsCache.For(context.Options, context.Compilation);
        var stopModel = StopModel.Get(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeCall(c, types, optionsCache, stopModel), OperationKind.Invocation);
    }

    private static void AnalyzeCall(OperationAnalysisContext context, KnownTypes types, BlockingOptionsCache optionsCache, StopModel stopModel)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // Cheapest first: only the table's infinite waits and configured methods are reported, so the name decides
        // for almost every call before any symbol or option is looked at.
        var method = invocation.TargetMethod;
        if (!BlockingApis.IsWaitForeverName(method.Name) && !optionsCache.IsConfiguredName(method.Name))
        {
            return;
        }

        // The per-compilation verdict cache is made only when a call gets this far (most compilations' calls never do).
        var apis = BlockingApis.Get(context.Compilation);
        var mayMatch = apis.MayMatch(method);
        var configured = optionsCache.ConfiguredMethods(method.Name, invocation.Syntax.SyntaxTree);
        if (!mayMatch && !apis.IsConfigured(method, configured))
        {
            return;
        }

        var call = apis.Match(invocation, context.ContainingSymbol, configured);
        if (!call.IsValid
            || BlockingSites.HasErrors(invocation)
            || !call.WaitsForever
            || !(call.Api?.CanWaitForever ?? call.IsConfigured)
            || BlockingSites.IsOnTokenWaitHandle(invocation, types)
            || BlockingSites.WaitsOnlyForSelfEndingTasks(invocation, types)
            || !BlockingSites.UsableTokens(invocation, context.ContainingSymbol, types).IsEmpty
            || NonBlockingSockets.IsOnNonBlockingSocket(invocation)
            || NonBlockingSockets.IsGuardedByReadinessCheck(invocation)
            || TimedOutSockets.IsOnSocketWithReceiveTimeout(invocation, context.ContainingSymbol)
            || BlockingLocalGates.IsOpenedByItsFunction(invocation))
        {
            return;
        }

        string where;
        if (BlockingSites.EnclosingLoop(invocation) is { } loop && !IsBounded(loop) && !OneShotLoopWaits.LeavesTheLoopAfter(invocation, loop))
        {
            if (IsConditionWaitOnTypeState(invocation, loop, types, context.ContainingSymbol.ContainingType))
            {
                return;
            }

            where = LoopContext;
        }
        else if (stopModel.EnclosingWork(invocation, context.CancellationToken, out _).IsValid)
        {
            where = ThreadContext;
        }
        else if (BlockingSites.EnclosingLambda(invocation) is not null)
        {
            return;
        }
        else if (InLocalFunction(invocation)
            || context.ContainingSymbol is not IMethodSymbol containingMethod
            || invocation.SemanticModel is not { } model
            || containingMethod.ContainingType is not { } containingType
            || !stopModel.TryGetWork(containingType, containingMethod, model, context.CancellationToken, out _))
        {
            return;
        }
        else
        {
            where = ThreadContext;
        }

        // Whether the owner's stop path ends the wait is asked once the wait is known to be in a loop or in work: its
        // model of the type's stop-path signals binds code, and the type's whole model is then often made already.
        if (stopModel.IsEndedByOwner(invocation, context.CancellationToken))
        {
            return;
        }

        // Fresh set 3's classes, asked only for a wait about to be reported: a one-slot semaphore used as a mutex, a
        // one-shot handshake with a posted delegate, the idle wait of a worker whose type has no stop at all, a wait
        // on the type's own loop that its stop ends; fresh set 4's wait on a process whose output has ended; and fresh set 6's
        // wait on an event its own loop keeps set; fresh set 7's process whose input was closed; the idle wait of work
        // that lives as long as the process (sets 4 and 6); a consumer its queue's sentinel ends (set 9); and, from the
        // session-16 feature table, a one-shot wait in thread work that another member of its type answers unconditionally.
        if (MutexSemaphores.IsWaitOnShortMutex(invocation, types)
            || PostedHandshakes.IsSetByDelegatePostedBefore(invocation)
            || IdleWorkerWaits.IsIdleWaitOfWorkerWithoutStop(invocation, context.ContainingSymbol, stopModel, context.CancellationToken)
            || ProcessLifetimeWaits.IsIdleWaitOfProcessLifetimeWork(invocation, context.ContainingSymbol, stopModel, context.CancellationToken)
            || SentinelConsumers.IsWaitOfSentinelConsumer(invocation, context.CancellationToken)
            || StoppedWorkWaits.IsWaitOnOwnLoopTheStopPathEnds(invocation, context.CancellationToken)
            || ExitingProcesses.IsAfterItsOutputEnded(invocation)
            || (where == LoopContext && stopModel.IsWaitOnEventItsLoopKeepsSet(invocation, BlockingSites.EnclosingLoop(invocation)!, context.CancellationToken))
            || InputClosedProcesses.IsAfterItsInputClosed(invocation)
            || (where == ThreadContext && AnsweredOneShotWaits.IsAnsweredByItsType(invocation, types, context.CancellationToken)))
        {
            return;
        }

        context.ReportDiagnostic(Create(invocation, call, optionsCache.Get(invocation.Syntax.SyntaxTree), where));
    }

    private static Diagnostic Create(IInvocationOperation invocation, BlockingCall call, BlockingOptions options, string where)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties.Add(BlockingSites.Properties.Replacement, call.Replacement.ToString());
        properties.Add(BlockingSites.Properties.TimeoutSeconds, options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        if (call.Api is { IsTimeoutOnly: true })
        {
            properties.Add(BlockingSites.Properties.TimeoutOnly, "true");
        }

        if (call.OmittedTokenParameter is { } parameter)
        {
            properties.Add(BlockingSites.Properties.TokenParameter, parameter.Name);
        }

        return Diagnostic.Create(
            Descriptors.BlockingCallCanWaitForever,
            BlockingSites.NameLocation(invocation),
            properties.ToImmutable(),
            BlockingSites.CallText(invocation, call.Display),
            where);
    }

    /// <summary>
    /// <c>while (!_ready &amp;&amp; !_disposed) Monitor.Wait(_gate);</c>: the condition-variable idiom. The loop re-checks
    /// state of the type that another method sets before it pulses the monitor (<c>Dispose</c> sets <c>_disposed</c>),
    /// so the wait can be ended; found on SSH.NET. The loop's condition, or an <c>if (...) break/return/throw</c> in it,
    /// must read a field or property of the type.
    /// </summary>
    private static bool IsConditionWaitOnTypeState(IInvocationOperation invocation, ILoopOperation loop, KnownTypes types, INamedTypeSymbol? type)
    {
        if (type is null
            || invocation.TargetMethod.Name != "Wait"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Monitor))
        {
            return false;
        }

        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        if (condition is not null && ReadsTypeState(condition, type))
        {
            return true;
        }

        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IConditionalOperation { WhenTrue: { } whenTrue } conditional
                && ExitsLoop(whenTrue)
                && ReadsTypeState(conditional.Condition, type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ExitsLoop(IOperation operation)
    {
        var exit = operation is IBlockOperation { Operations.Length: > 0 } block ? block.Operations[block.Operations.Length - 1] : operation;
        if (exit is IExpressionStatementOperation { Operation: IThrowOperation })
        {
            return true;
        }

        return exit is IReturnOperation or IThrowOperation
            || exit is IBranchOperation { BranchKind: BranchKind.Break };
    }

    private static bool ReadsTypeState(IOperation operation, INamedTypeSymbol type)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            var member = descendant switch
            {
                IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation => field.Field,
                IPropertyReferenceOperation property when property.Instance is null or IInstanceReferenceOperation => (ISymbol)property.Property,
                _ => null,
            };
            if (member is not null && SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A <c>foreach</c> over an in-memory collection or a counting loop ends by itself: a wait in it is reported only
    /// when the work around it runs on its own thread, not for being in a loop (tests joining their threads one by one).
    /// </summary>
    private static bool IsBounded(ILoopOperation loop) =>
        LoopClassifier.IsInMemoryIteration(loop) || LoopClassifier.IsBoundedCounting(loop);

    private static bool InLocalFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }
}
