using System.Collections.Concurrent;
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

        context.RegisterSymbolStartAction(c => OnTypeStart(c, types), SymbolKind.NamedType);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types)
    {
        var workMethods = new ThreadWorkMethods();
        var pending = new ConcurrentQueue<(IMethodSymbol Method, ILoopOperation Loop)>();
        context.RegisterOperationAction(c => workMethods.AddStartSite(c.Operation, types), OperationKind.ObjectCreation, OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeLoop(c, types, pending), OperationKind.Loop);
        context.RegisterSymbolEndAction(c =>
        {
            foreach (var (method, loop) in pending)
            {
                if (workMethods.TryGetWork(method, out var work))
                {
                    c.ReportDiagnostic(Create(loop, work, "'" + method.Name + "' is started by " + StartText(work.Kind), isMethod: true));
                }
            }
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, ConcurrentQueue<(IMethodSymbol, ILoopOperation)> pending)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!LoopClassifier.IsEndless(loop) || !IsOutermostEndless(loop, out var inFunction))
        {
            return;
        }

        var info = LoopClassifier.Analyze(loop, types);
        if (info.HasOwnExit
            || info.ObservesCancellation
            || TokenScope.HasAny(loop, context.ContainingSymbol, types)
            || LoopClassifier.ContainsErrors(loop))
        {
            return;
        }

        var work = ThreadStartSites.GetEnclosingWork(loop, types);
        if (work.IsValid)
        {
            context.ReportDiagnostic(Create(loop, work, "the work given to " + StartText(work.Kind), isMethod: false));
        }
        else if (!inFunction && context.ContainingSymbol is IMethodSymbol method)
        {
            pending.Enqueue((method, loop));
        }
    }

    private static Diagnostic Create(ILoopOperation loop, ThreadWork work, string where, bool isMethod)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(StartKindProperty, work.Kind.ToString());
        if (isMethod)
        {
            properties = properties.Add(WorkMethodProperty, "true");
        }

        return Diagnostic.Create(
            Descriptors.WorkerLoopCannotStop,
            LoopClassifier.KeywordLocation(loop),
            new[] { work.StartSite.Syntax.GetLocation() },
            properties,
            LoopClassifier.Describe(loop),
            where);
    }

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
