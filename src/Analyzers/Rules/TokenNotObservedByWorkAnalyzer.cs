using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0008: a token given to <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>new Task</c> or <c>ParallelOptions</c>
/// whose work (a lambda, a method group, or the method a lambda merely calls) loops or blocks and never observes any
/// token: cancelling can only keep the work from starting.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenNotObservedByWorkAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TokenNotObservedByWork);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.CancellationToken is null || (types.Task is null && types.Parallel is null))
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeStartSite(c, types), OperationKind.Invocation, OperationKind.ObjectCreation);
    }

    private static void AnalyzeStartSite(OperationAnalysisContext context, KnownTypes types)
    {
        var site = context.Operation;
        var kind = ThreadStartSites.Classify(site, types);
        if (!StartTokens.TakesToken(kind))
        {
            return;
        }

        var token = StartTokens.Find(site, kind, types);
        if (!token.IsValid || HostStartTokens.IsStartUpToken(token.Value, types) || LoopClassifier.ContainsErrors(site))
        {
            return;
        }

        // Work that is one call on a field the owner stops, closes or disposes wherever it cancels ends with the stop.
        if (!HasWorkIgnoringCancellation(site, types) || StopClosesWorkReceiver.Holds(site, token.Value, types, context.CancellationToken))
        {
            return;
        }

        var iterations = kind == ThreadStartKind.Parallel && site is IInvocationOperation { TargetMethod.Name: "For" or "ForEach" };
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.TokenNotObservedByWork,
            token.Argument.Syntax.GetLocation(),
            new[] { token.Value.Syntax.GetLocation() },
            StartTokens.Describe(site, kind),
            token.Value.Syntax.ToString(),
            iterations ? "new iterations" : "the work"));
    }

    /// <summary>Whether some work of the site loops or blocks and observes no token at all.</summary>
    internal static bool HasWorkIgnoringCancellation(IOperation site, KnownTypes types)
    {
        foreach (var work in ThreadStartSites.GetAll(site, types))
        {
            if (IgnoresCancellation(work, site.SemanticModel, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the work's code (as far as it can be seen) observes no token and loops or blocks.</summary>
    public static bool IgnoresCancellation(ThreadWork work, SemanticModel? model, KnownTypes types)
    {
        var bodies = StartTokens.Bodies(work, model);
        if (bodies.IsEmpty)
        {
            return false;
        }

        foreach (var body in bodies)
        {
            if (TokenObservation.ObservesAnyCancellation(body, types))
            {
                return false;
            }
        }

        foreach (var body in bodies)
        {
            if (!StartTokens.LongLoops(body, types).IsEmpty || StartTokens.Blocks(body, types))
            {
                return true;
            }
        }

        return false;
    }
}
