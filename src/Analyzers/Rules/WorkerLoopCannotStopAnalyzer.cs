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
        // Every report waits for the end of the type: method work is known only once every start site has been seen,
        // and a type that aborts or interrupts its threads is GS0001's / GS0002's (their fix makes the loop observe a token).
        var workMethods = new ThreadWorkMethods();
        var stopsThreadsForcibly = new ForcibleStops();
        var pending = new ConcurrentQueue<Pending>();
        context.RegisterOperationAction(c => workMethods.AddStartSite(c.Operation, types), OperationKind.ObjectCreation);
        context.RegisterOperationAction(
            c =>
            {
                workMethods.AddStartSite(c.Operation, types);
                if (((IInvocationOperation)c.Operation).TargetMethod is { Name: "Abort" or "Interrupt" } method
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Thread))
                {
                    stopsThreadsForcibly.Seen = true;
                }
            },
            OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeLoop(c, types, pending), OperationKind.Loop);
        context.RegisterSymbolEndAction(c =>
        {
            foreach (var item in pending)
            {
                var work = item.Work;
                var where = "the work given to ";
                if (!work.IsValid)
                {
                    if (item.Method is null || !workMethods.TryGetWork(item.Method, out work))
                    {
                        continue;
                    }

                    where = "'" + item.Method.Name + "' is started by ";
                }

                if (work.Kind == ThreadStartKind.NewThread && stopsThreadsForcibly.Seen)
                {
                    continue;
                }

                c.ReportDiagnostic(Create(item.Loop, work, where + StartText(work.Kind), isMethod: item.Method is not null));
            }
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, ConcurrentQueue<Pending> pending)
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
            pending.Enqueue(new Pending(loop, work, null));
        }
        else if (!inFunction && context.ContainingSymbol is IMethodSymbol method)
        {
            pending.Enqueue(new Pending(loop, default, method));
        }
    }

    private sealed class ForcibleStops
    {
        private int _seen;

        public bool Seen
        {
            get => Volatile.Read(ref _seen) != 0;
            set => Volatile.Write(ref _seen, value ? 1 : 0);
        }
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
