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
        // A type declared once finds its start sites and Abort/Interrupt calls in its syntax at the end, and only if a
        // loop waits (rare), instead of an action on every call; a type declared in several parts collects them as it goes.
        var type = (INamedTypeSymbol)context.Symbol;
        var collectsCalls = type.DeclaringSyntaxReferences.Length != 1;
        var state = new TypeState(types, type, collectsCalls);
        if (collectsCalls)
        {
            context.RegisterOperationAction(state.OnStartSiteOrCall, OperationKind.ObjectCreation, OperationKind.Invocation);
        }

        context.RegisterOperationAction(state.AnalyzeLoop, OperationKind.Loop);
        context.RegisterSymbolEndAction(state.ReportPending);
    }

    /// <summary>What one type's analysis collects: its work methods, whether it stops threads forcibly, and the loops to report.</summary>
    private sealed class TypeState
    {
        private readonly KnownTypes _types;
        private readonly INamedTypeSymbol _type;
        private readonly bool _collectsCalls;
        private readonly ThreadWorkMethods _workMethods = new();
        private ConcurrentQueue<Pending>? _pending;
        private int _stopsThreadsForcibly;

        public TypeState(KnownTypes types, INamedTypeSymbol type, bool collectsCalls)
        {
            _types = types;
            _type = type;
            _collectsCalls = collectsCalls;
        }

        public void OnStartSiteOrCall(OperationAnalysisContext context) => OnStartSiteOrCall(context.Operation);

        private void OnStartSiteOrCall(IOperation operation)
        {
            _workMethods.AddStartSite(operation, _types);
            if (operation is IInvocationOperation { TargetMethod: { Name: "Abort" or "Interrupt" } method }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Thread))
            {
                Volatile.Write(ref _stopsThreadsForcibly, 1);
            }
        }

        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            if (WorkerLoopCannotStopAnalyzer.AnalyzeLoop(context, _types) is { Loop: not null } item)
            {
                if (Volatile.Read(ref _pending) is null)
                {
                    Interlocked.CompareExchange(ref _pending, new ConcurrentQueue<Pending>(), null);
                }

                _pending!.Enqueue(item);
            }
        }

        public void ReportPending(SymbolAnalysisContext context)
        {
            if (Volatile.Read(ref _pending) is not { } pending || !pending.TryPeek(out var first))
            {
                return;
            }

            if (!_collectsCalls)
            {
                var model = first.Loop.SemanticModel;
                if (ThreadStartSites.SingleDeclaration(_type, model, context.CancellationToken) is not { } declaration)
                {
                    return;
                }

                foreach (var operation in ThreadStartSites.CallsAndCreations(declaration, model!, context.CancellationToken))
                {
                    OnStartSiteOrCall(operation);
                }
            }

            var stopsThreadsForcibly = Volatile.Read(ref _stopsThreadsForcibly) != 0;
            foreach (var item in pending)
            {
                var work = item.Work;
                var where = "the work given to ";
                if (!work.IsValid)
                {
                    if (item.Method is null || !_workMethods.TryGetWork(item.Method, out work))
                    {
                        continue;
                    }

                    where = "'" + item.Method.Name + "' is started by ";
                }

                if (work.Kind == ThreadStartKind.NewThread && stopsThreadsForcibly)
                {
                    continue;
                }

                context.ReportDiagnostic(Create(item.Loop, work, where + StartText(work.Kind), isMethod: item.Method is not null));
            }
        }
    }

    /// <summary>The loop to report at the end of the type if its work is known by then, or a default value.</summary>
    private static Pending AnalyzeLoop(OperationAnalysisContext context, KnownTypes types)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!LoopClassifier.IsEndless(loop) || !IsOutermostEndless(loop, out var inFunction))
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

        var work = ThreadStartSites.GetEnclosingWork(loop, types);
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
