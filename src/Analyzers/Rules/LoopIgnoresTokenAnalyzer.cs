using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0003: a loop that can run long, with a cancellation token in scope, that never observes any token.
/// Loops that contain a call GS0005 reports (a blocking call or a call with a token-taking overload, made
/// without the token) are left to GS0005, and work given a token at its start site to GS0008.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoopIgnoresTokenAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: C# for the token the fix uses (<c>cancellationToken</c>, <c>_cts.Token</c>).</summary>
    public const string TokenProperty = "Token";

    /// <summary>Diagnostic property: C# for what has <c>IsCancellationRequested</c> (the token, or its source).</summary>
    public const string CheckProperty = "Check";

    /// <summary>Diagnostic property, present when the loop is endless (its condition can take the check).</summary>
    public const string EndlessProperty = "Endless";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.LoopIgnoresToken);

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

        // Loops that qualify only as "the main loop of a thread entry point", where the entry point is a method of
        // the loop's type, are reported if a start site of that type (any of its declarations) runs the method: the
        // type's start sites are found when such a loop is about to be reported (rare), instead of a symbol-start
        // action per type watching every call.
        var stopModel = StopModel.Get(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeLoopAndReport(c, types, stopModel), OperationKind.Loop);
    }

    private static void AnalyzeLoopAndReport(OperationAnalysisContext context, KnownTypes types, StopModel stopModel)
    {
        if (AnalyzeLoop(context, types, stopModel) is not { Diagnostic: { } diagnostic } result)
        {
            return;
        }

        if (result.PendingMethod is { } method
            && (method.ContainingType is not { } type
                || context.Operation.SemanticModel is not { } model
                || !stopModel.TryGetWork(type, method, model, context.CancellationToken, out _)))
        {
            return;
        }

        if (CancelsBeforeTheLoop((ILoopOperation)context.Operation, types))
        {
            return;
        }

        context.ReportDiagnostic(diagnostic);
    }

    /// <summary>
    /// Whether the loop is in the stopper: its function calls <c>Cancel()</c> on a token source before the loop (a
    /// join loop after <c>_cts.Cancel()</c> waits for the workers; checking the token there would skip the wait).
    /// </summary>
    private static bool CancelsBeforeTheLoop(ILoopOperation loop, KnownTypes types)
    {
        IOperation root = loop;
        while (root.Parent is { } parent && root is not (IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            root = parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Cancel" or "CancelAsync" } invocation
                && invocation.Syntax.SpanStart < loop.Syntax.SpanStart
                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.CancellationTokenSource)
                && !OperationScopes.IsInNestedFunction(invocation, root)) // a Ctrl+C handler's Cancel() runs later, elsewhere
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A cheap test that <see cref="TokenScope.GetTokens"/> may find a token at <paramref name="loop"/>: some parameter,
    /// local of an enclosing scope, or member of the type (or its base types) is a token or a source. False means it
    /// finds none; true means it has to be asked.
    /// </summary>
    private static bool MayHaveTokens(ILoopOperation loop, ISymbol containingSymbol, KnownTypes types)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            var found = current switch
            {
                IBlockOperation block => AnyLocal(block.Locals, types),
                ILoopOperation outer => AnyLocal(outer.Locals, types),
                IUsingOperation usingOperation => AnyLocal(usingOperation.Locals, types),
                ISwitchOperation switchOperation => AnyLocal(switchOperation.Locals, types),
                IAnonymousFunctionOperation lambda => AnyParameter(lambda.Symbol.Parameters, types),
                ILocalFunctionOperation localFunction => AnyParameter(localFunction.Symbol.Parameters, types),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }

        var member = containingSymbol;
        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            member = member.ContainingSymbol;
        }

        if (member is IMethodSymbol method && AnyParameter(method.Parameters, types))
        {
            return true;
        }

        return member?.ContainingType is { } type && !TypeTokenMembers.Get(type, types).IsEmpty;
    }

    private static bool AnyLocal(ImmutableArray<ILocalSymbol> locals, KnownTypes types)
    {
        foreach (var local in locals)
        {
            if (TokenScope.IsTokenOrSource(local.Type, types))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyParameter(ImmutableArray<IParameterSymbol> parameters, KnownTypes types)
    {
        foreach (var parameter in parameters)
        {
            if (TokenScope.IsTokenOrSource(parameter.Type, types))
            {
                return true;
            }
        }

        return false;
    }

    private readonly struct LoopReport
    {
        public LoopReport(Diagnostic diagnostic, IMethodSymbol? pendingMethod)
        {
            Diagnostic = diagnostic;
            PendingMethod = pendingMethod;
        }

        public Diagnostic Diagnostic { get; }

        /// <summary>The method whose loop is reported only if a start site of the type runs it.</summary>
        public IMethodSymbol? PendingMethod { get; }
    }

    private static LoopReport? AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, StopModel stopModel)
    {
        // Cheapest first: whether any token can be in scope (most loops have none), then the one walk over the loop,
        // then what only a reportable loop needs (the tokens themselves, enclosing loops, callees).
        var loop = (ILoopOperation)context.Operation;
        if (!MayHaveTokens(loop, context.ContainingSymbol, types))
        {
            return null;
        }

        var info = LoopClassifier.Analyze(loop, types);
        if (info.ObservesCancellation || info.HasOwnExit || info.FirstCallThatCouldTakeToken is not null)
        {
            return null;
        }

        string reason;
        IMethodSymbol? pendingMethod = null;
        ThreadWork work = default;
        if (info.IsEndless)
        {
            reason = "never ends on its own";
        }
        else if (info.IsLongRunning && !info.OnlyWaitsForConsoleInput && !IsFiniteAndOnlyAwaitsOrBuffers(info) && !IsDrainThatOnlyAwaits(loop, info))
        {
            reason = LongRunningReason(info.LongRunning);
        }
        else if (info.Kind == LoopCategory.Other && IsOutermostLoop(loop, out var inFunction) && IsMainLoopShape(loop))
        {
            reason = "is the main loop of work running on its own thread";
            work = stopModel.EnclosingWork(loop, context.CancellationToken, out _);
            if (work.IsValid)
            {
                // The loop is the body of a lambda given to a start site.
            }
            else if (!inFunction && context.ContainingSymbol is IMethodSymbol method)
            {
                if (TokenScope.IsExecuteAsyncOverride(method, types))
                {
                    reason = "is the main loop of a hosted service";
                }
                else
                {
                    pendingMethod = method;
                }
            }
            else
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        if (info.ContainsErrors)
        {
            return null;
        }

        // A foreach over memory ends by itself: it should observe only the tokens its method already uses, since a
        // token field the method never touches belongs to another activity.
        var tokens = !LoopClassifier.IsInMemoryIteration(loop)
            ? TokenScope.GetTokens(loop, context.ContainingSymbol, types)
            : BlockingSites.UsableTokens(loop, context.ContainingSymbol, types);
        if (tokens.IsEmpty
            || (!info.IsEndless && EnclosingLoopObserves(loop, types))
            || IteratesWhatObservesTheToken(loop, types)
            || TokenObservation.CalleesMayObserve(loop, tokens, context.ContainingSymbol.ContainingType)
            || WorkIsGivenTheToken(info.Kind == LoopCategory.Other ? work : stopModel.EnclosingWork(loop, context.CancellationToken, out _), types))
        {
            return null;
        }

        var token = tokens[0];
        foreach (var candidate in tokens)
        {
            if (!candidate.MayBeNull)
            {
                token = candidate;
                break;
            }
        }

        var tokenText = token.Expression;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (!token.MayBeNull)
        {
            properties = properties.Add(TokenProperty, tokenText).Add(CheckProperty, token.CheckExpression);
            if (info.IsEndless)
            {
                properties = properties.Add(EndlessProperty, "true");
            }
        }

        var diagnostic = Diagnostic.Create(
            Descriptors.LoopIgnoresToken,
            LoopClassifier.KeywordLocation(loop),
            properties,
            LoopClassifier.Describe(loop),
            reason,
            tokenText);
        return new LoopReport(diagnostic, pendingMethod);
    }

    private static string LongRunningReason(LongRunningReasons reasons)
    {
        if ((reasons & LongRunningReasons.Sleeps) != 0)
        {
            return "sleeps";
        }

        if ((reasons & LongRunningReasons.Blocks) != 0)
        {
            return "blocks";
        }

        if ((reasons & LongRunningReasons.DoesIO) != 0)
        {
            return "does I/O";
        }

        return "awaits";
    }

    /// <summary>No loop encloses <paramref name="loop"/> in its function; <paramref name="inFunction"/>: the function is a lambda or local function.</summary>
    private static bool IsOutermostLoop(ILoopOperation loop, out bool inFunction)
    {
        inFunction = false;
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation:
                    return false;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    inFunction = true;
                    return true;
            }
        }

        return true;
    }

    /// <summary><c>Task.Run(work, token)</c> and the like: GS0008 reports work that ignores the token it was given.</summary>
    private static bool WorkIsGivenTheToken(ThreadWork work, KnownTypes types)
    {
        if (!work.IsValid || work.StartSite is not IInvocationOperation invocation)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && TokenScope.IsToken(argument.Parameter?.Type, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A bounded or in-memory loop whose only long waits are <c>await</c>, writes into a buffered writer and local
    /// file-system operations: it ends by itself, its awaits are GS0005's, and a writer's wait is its flush (fresh set 3:
    /// a POP3 listing written line by line; fresh set 4: the files of one directory listing deleted one by one).
    /// </summary>
    private static bool IsFiniteAndOnlyAwaitsOrBuffers(LoopInfo info)
    {
        var allowed = info.OnlyIOIsBufferedWritesOrFileOperations ? LongRunningReasons.Awaits | LongRunningReasons.DoesIO : LongRunningReasons.Awaits;
        return (info.IsBoundedCounting || info.IsInMemoryIteration) && (info.LongRunning & ~allowed) == 0;
    }

    /// <summary>
    /// <c>while (reader.TryRead(out var m)) await SendAsync(m);</c>: it drains what is already there and ends when it is
    /// empty; its awaits are GS0005's (fresh F8, CAP).
    /// </summary>
    private static bool IsDrainThatOnlyAwaits(ILoopOperation loop, LoopInfo info) =>
        loop is IWhileLoopOperation { Condition: { } condition, ConditionIsTop: true }
        && IsTryCall(condition)
        && (info.LongRunning & ~LongRunningReasons.Awaits) == 0;

    /// <summary>
    /// The main loop of a thread, as opposed to a cleanup or drain loop: not inside a <c>catch</c> or <c>finally</c>,
    /// and not conditioned on a non-blocking <c>TryXxx(out ...)</c> call (<c>while (queue.TryDequeue(out var x))</c>).
    /// </summary>
    private static bool IsMainLoopShape(ILoopOperation loop)
    {
        if (loop is IWhileLoopOperation { Condition: { } condition } && IsTryCall(condition))
        {
            return false;
        }

        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ICatchClauseOperation:
                    return false;
                case ITryOperation tryOperation when tryOperation.Finally is { } finallyBlock && finallyBlock.Syntax.Span.Contains(loop.Syntax.Span):
                    return false;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return true;
            }
        }

        return true;
    }

    private static bool IsTryCall(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: { } name } && name.StartsWith("Try", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A loop nested (in the same function) in a loop that observes a token ends, and the outer loop then checks.</summary>
    private static bool EnclosingLoopObserves(ILoopOperation loop, KnownTypes types)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation outer when TokenObservation.ObservesAnyCancellation(outer, types):
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>var items = source.WatchAsync(token); await foreach (var item in items)</c>, or
    /// <c>var e = reader.ReadAllAsync().GetAsyncEnumerator(token); while (await e.MoveNextAsync())</c>: what the loop
    /// iterates or polls was created with the token, so it observes it.
    /// </summary>
    private static bool IteratesWhatObservesTheToken(ILoopOperation loop, KnownTypes types)
    {
        var driver = loop switch
        {
            IForEachLoopOperation forEach => forEach.Collection,
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        if (driver is null || loop.SemanticModel is not { } model)
        {
            return false;
        }

        return CreatedWithCancellation(driver, model, types, depth: 0);
    }

    /// <summary>
    /// Whether a local that <paramref name="operation"/> reads was initialized with code that observes cancellation,
    /// following locals initialized from other locals a few steps (<c>pending = e.MoveNextAsync()</c> where
    /// <c>e = items.WithCancellation(token).GetAsyncEnumerator()</c>).
    /// </summary>
    private static bool CreatedWithCancellation(IOperation operation, SemanticModel model, KnownTypes types, int depth)
    {
        if (depth > 2)
        {
            return false;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation local
                && local.Local.DeclaringSyntaxReferences.Length > 0
                && local.Local.DeclaringSyntaxReferences[0].GetSyntax() is { } declarator
                && declarator.SyntaxTree == model.SyntaxTree
                && model.GetOperation(declarator) is { } declaration
                && (TokenObservation.ObservesAnyCancellation(declaration, types)
                    || CreatedWithCancellation(declaration, model, types, depth + 1)))
            {
                return true;
            }
        }

        return false;
    }
}
