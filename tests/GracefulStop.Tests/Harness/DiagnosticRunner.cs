using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Harness;

/// <summary>Runs analyzers over a project and fails on any analyzer exception.</summary>
public static class DiagnosticRunner
{
    public static async Task<ImmutableArray<Diagnostic>> GetAnalyzerDiagnosticsAsync(
        Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var (analyzerDiagnostics, _) = await RunAsync(project, analyzers, cancellationToken);
        return analyzerDiagnostics;
    }

    /// <summary>Analyzer diagnostics, and compiler diagnostics of warning severity or higher.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Analyzer, ImmutableArray<Diagnostic> Compiler)> RunAsync(
        Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken)
            ?? throw new InvalidOperationException("The test project produced no compilation.");
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, diagnostic) =>
                exceptions.Enqueue($"{analyzer.GetType().Name} threw: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);

        var ad0001 = analyzerDiagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()).ToList();
        if (!exceptions.IsEmpty || ad0001.Count > 0)
        {
            throw new AnalyzerThrewException(string.Join(Environment.NewLine, exceptions.Concat(ad0001)));
        }

        var compilerDiagnostics = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToImmutableArray();
        return (Sort(analyzerDiagnostics), Sort(compilerDiagnostics));
    }

    public static ImmutableArray<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
}

public sealed class AnalyzerThrewException(string message) : Exception("An analyzer threw (AD0001):" + Environment.NewLine + message);
