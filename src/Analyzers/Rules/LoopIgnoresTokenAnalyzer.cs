using System.Collections.Concurrent;
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

        context.RegisterSymbolStartAction(c => OnTypeStart(c, types), SymbolKind.NamedType);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types)
    {
        // Loops that qualify only as "the main loop of a thread entry point", where the entry point is a method of
        // this type: reported at the end of the type, once every start site in it has been seen.
        var workMethods = new ThreadWorkMethods();
        var pending = new ConcurrentQueue<(IMethodSymbol Method, Diagnostic Diagnostic)>();
        context.RegisterOperationAction(c => workMethods.AddStartSite(c.Operation, types), OperationKind.ObjectCreation, OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeLoop(c, types, pending), OperationKind.Loop);
        context.RegisterSymbolEndAction(c =>
        {
            foreach (var (method, diagnostic) in pending)
            {
                if (workMethods.TryGetWork(method, out _))
                {
                    c.ReportDiagnostic(diagnostic);
                }
            }
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, ConcurrentQueue<(IMethodSymbol, Diagnostic)> pending)
    {
        var loop = (ILoopOperation)context.Operation;
        var tokens = TokenScope.GetTokens(loop, context.ContainingSymbol, types);
        if (tokens.IsEmpty)
        {
            return;
        }

        var info = LoopClassifier.Analyze(loop, types);
        if (info.ObservesCancellation || info.HasOwnExit || info.FirstCallThatCouldTakeToken is not null)
        {
            return;
        }

        string reason;
        IMethodSymbol? pendingMethod = null;
        if (info.IsEndless)
        {
            reason = "never ends on its own";
        }
        else if (info.IsLongRunning && !IsFiniteAndOnlyAwaits(info))
        {
            reason = LongRunningReason(info.LongRunning);
        }
        else if (info.Kind == LoopCategory.Other && !info.IsLongRunning && IsOutermostLoop(loop, out var inFunction) && IsMainLoopShape(loop))
        {
            reason = "is the main loop of work running on its own thread";
            if (ThreadStartSites.GetEnclosingWork(loop, types).IsValid)
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
                return;
            }
        }
        else
        {
            return;
        }

        if ((!info.IsEndless && EnclosingLoopObserves(loop, types))
            || IteratesWhatObservesTheToken(loop, types)
            || TokenObservation.CalleesMayObserve(loop, tokens, context.ContainingSymbol.ContainingType)
            || WorkIsGivenTheToken(loop, types)
            || LoopClassifier.ContainsErrors(loop))
        {
            return;
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

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (!token.MayBeNull)
        {
            properties = properties.Add(TokenProperty, token.Expression).Add(CheckProperty, token.CheckExpression);
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
            token.Expression);
        if (pendingMethod is null)
        {
            context.ReportDiagnostic(diagnostic);
        }
        else
        {
            pending.Enqueue((pendingMethod, diagnostic));
        }
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
    private static bool WorkIsGivenTheToken(ILoopOperation loop, KnownTypes types)
    {
        var work = ThreadStartSites.GetEnclosingWork(loop, types);
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

    /// <summary>A bounded or in-memory loop whose only long wait is <c>await</c>: it ends, and its awaits are GS0005's.</summary>
    private static bool IsFiniteAndOnlyAwaits(LoopInfo info) =>
        (info.IsBoundedCounting || info.IsInMemoryIteration) && (info.LongRunning & ~LongRunningReasons.Awaits) == 0;

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
