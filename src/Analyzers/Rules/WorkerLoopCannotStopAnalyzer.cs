using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0004: an endless loop with no exit of its own, no token in scope and no cancellation check, in work that runs
/// on its own thread (a lambda given to a start site, or a method of the same type that a start site runs).
/// The start site is the diagnostic's additional location.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerLoopCannotStopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the <see cref="ThreadStartKind"/> of the start site.</summary>
    public const string StartKindProperty = "StartKind";

    /// <summary>Diagnostic property, present when the work is a method (not a lambda written at the start site).</summary>
    public const string WorkMethodProperty = "WorkMethod";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WorkerLoopCannotStop);

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
            return;
        }

        // Method work is reported when a start site of the loop's type (any of its declarations) runs the method, and
        // a type that aborts or interrupts its threads is GS0001's / GS0002's (their fix makes the loop observe a token).
        // The type's start sites and Abort/Interrupt calls are found when a loop is about to be reported (rare),
        // instead of a symbol-start action per type watching every call.
        var model = StopModel.Get(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeLoopAndReport(c, types, model), OperationKind.Loop);
    }

    private static void AnalyzeLoopAndReport(OperationAnalysisContext context, KnownTypes types, StopModel stopModel)
    {
        var item = AnalyzeLoop(context, types, stopModel);
        if (item.Loop is null
            || context.ContainingSymbol.ContainingType is not { } type
            || item.Loop.SemanticModel is not { } model)
        {
            return;
        }

        var work = item.Work;
        var where = "the work given to ";
        TypeWorkModel? typeWork = null;
        if (!work.IsValid)
        {
            if (item.Method is null || !stopModel.TryGetWork(type, item.Method, model, context.CancellationToken, out work))
            {
                return;
            }

            where = "'" + item.Method.Name + "' is started by ";
        }

        if (work.Kind == ThreadStartKind.NewThread
            && ((stopModel.IsBackground(work, context.CancellationToken) && !BackgroundThreads.LeavesThreadAtAwait(item.Loop, context.ContainingSymbol))
                || (typeWork ??= stopModel.For(type, model, context.CancellationToken)).StopsThreadsForcibly))
        {
            // A background thread ends with the process (unless the loop left it at an await, for pool threads, as
            // Task.Run work); a type that aborts its threads is GS0001's.
            return;
        }

        // Whether anything writes a polled flag is read from the type's syntax: only for a loop about to be reported.
        if (!LoopClassifier.IsEndless(item.Loop) && !NeverSetFlags.PollsFlagNeverSet(item.Loop, stopModel, context.CancellationToken))
        {
            return;
        }

        // A loop whose accept or read on a field of the type throws when the stop path stops, closes or disposes that
        // field ends by that exception: it can be stopped (issue 18, class G6).
        if (stopModel.EndsByStopPathException(item.Loop, context.CancellationToken))
        {
            return;
        }

        // A thread started through a helper (StartThread(Loop, "name")) is reported, but its start site is not one the
        // fix can rewrite: no start kind, no fix.
        var viaHelper = stopModel.IsHelperCall(work.StartSite);
        var started = viaHelper ? "'" + ((IInvocationOperation)work.StartSite).TargetMethod.Name + "(...)'" : StartText(work.Kind);
        context.ReportDiagnostic(Create(item.Loop, work, where + started, isMethod: item.Method is not null, viaHelper));
    }

    /// <summary>The loop to report if its work is known (a lambda given to a start site, or a method of the type that a start site may run), or a default value.</summary>
    private static Pending AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, StopModel stopModel)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!(LoopClassifier.IsEndless(loop) || NeverSetFlags.MayPollFlagNeverSet(loop, context.CancellationToken))
            || !IsOutermostEndless(loop, out var inFunction)
            || LoopClassifier.HasExitSyntax(loop))
        {
            return default;
        }

        var info = LoopClassifier.Analyze(loop, types);
        if (info.HasOwnExit
            || info.ObservesCancellation
            || info.ContainsErrors
            || TokenScope.HasAny(loop, context.ContainingSymbol, types))
        {
            return default;
        }

        var work = stopModel.EnclosingWork(loop, context.CancellationToken, out _);
        if (work.IsValid)
        {
            return new Pending(loop, work, null);
        }

        if (!inFunction && context.ContainingSymbol is IMethodSymbol method)
        {
            return new Pending(loop, default, method);
        }

        return default;
    }

    private readonly struct Pending
    {
        public Pending(ILoopOperation loop, ThreadWork work, IMethodSymbol? method)
        {
            Loop = loop;
            Work = work;
            Method = method;
        }

        public ILoopOperation Loop { get; }

        public ThreadWork Work { get; }

        public IMethodSymbol? Method { get; }
    }

    private static Diagnostic Create(ILoopOperation loop, ThreadWork work, string where, bool isMethod, bool viaHelper)
    {
        var properties = viaHelper ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(StartKindProperty, work.Kind.ToString());
        if (isMethod)
        {
            properties = properties.Add(WorkMethodProperty, "true");
        }

        return Diagnostic.Create(
            Descriptors.WorkerLoopCannotStop,
            LoopClassifier.KeywordLocation(loop),
            new[] { work.StartSite.Syntax.GetLocation() },
            properties,
            Describe(loop),
            where);
    }

    /// <summary>'while (true)', or for a loop on a flag nobody sets, the loop with its condition ('while (!_stop)').</summary>
    private static string Describe(ILoopOperation loop) =>
        loop is IWhileLoopOperation { Condition: { } condition } && !LoopClassifier.IsEndless(loop)
            ? "while (" + condition.Syntax + ")"
            : LoopClassifier.Describe(loop);

    private static string StartText(ThreadStartKind kind) => kind switch
    {
        ThreadStartKind.NewThread => "'new Thread(...)'",
        ThreadStartKind.NewTask => "'new Task(...)'",
        ThreadStartKind.TaskRun => "'Task.Run(...)'",
        ThreadStartKind.TaskFactoryStartNew => "'Task.Factory.StartNew(...)'",
        ThreadStartKind.ThreadPool => "'ThreadPool.QueueUserWorkItem(...)'",
        ThreadStartKind.Parallel => "'Parallel'",
        _ => "a thread",
    };

    /// <summary>No enclosing loop of the same function is endless too (only the outermost one is reported).</summary>
    private static bool IsOutermostEndless(ILoopOperation loop, out bool inFunction)
    {
        inFunction = false;
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation outer when LoopClassifier.IsEndless(outer):
                    return false;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    inFunction = true;
                    return true;
            }
        }

        return true;
    }
}
