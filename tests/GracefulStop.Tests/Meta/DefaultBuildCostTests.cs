using System.Collections.Immutable;
using GracefulStop.Analyzers.Rules;
using GracefulStop.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// What a default command-line build pays for the package (issue 19). The compiler skips analyzers whose rules are
/// all Info there, so the only GS analyzer such a build runs is the one of the Warning rules, GS0001/GS0002. If it
/// registered an operation action, the compiler would build an operation tree for every method body of a project
/// that runs no other analyzer (measured on NLog: +14 % wall time for a do-nothing operation analyzer). It must stay
/// on syntax actions and bind only the calls whose name it looks for.
/// </summary>
public sealed class DefaultBuildCostTests
{
    private const string Source = """
        using System.Threading;

        class Worker
        {
            private readonly Thread _thread = new Thread(() => { });

            public void Stop()
            {
                _thread.Interrupt();
                _thread.Abort();
                try { } catch (ThreadAbortException) { Thread.ResetAbort(); }
            }
        }
        """;

    [Fact]
    public async Task The_warning_rules_analyzer_registers_no_operation_actions()
    {
        var analyzer = new ForcibleThreadStopAnalyzer();
        var telemetry = await TelemetryAsync(analyzer);

        Assert.Equal(0, telemetry.OperationActionsCount);
        Assert.Equal(0, telemetry.OperationBlockActionsCount);
        Assert.Equal(0, telemetry.OperationBlockStartActionsCount);
        Assert.Equal(0, telemetry.OperationBlockEndActionsCount);
        Assert.Equal(0, telemetry.CodeBlockActionsCount);
        Assert.Equal(0, telemetry.CodeBlockStartActionsCount);
        Assert.Equal(0, telemetry.CompilationEndActionsCount);
        Assert.Equal(0, telemetry.SyntaxNodeActionsCount);
        Assert.Equal(1, telemetry.SemanticModelActionsCount);
    }

    [Fact]
    public void The_warning_rules_are_all_in_that_one_analyzer()
    {
        var analyzersWithWarnings = AllRules.CreateAnalyzers()
            .SelectMany(a => a.SupportedDiagnostics.Select(d => (Analyzer: a, Descriptor: d)))
            .Where(x => x.Descriptor.DefaultSeverity >= DiagnosticSeverity.Warning && x.Descriptor.IsEnabledByDefault)
            .Select(x => x.Analyzer.GetType())
            .Distinct()
            .ToList();

        Assert.Equal(new[] { typeof(ForcibleThreadStopAnalyzer) }, analyzersWithWarnings);
    }

    private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(DiagnosticAnalyzer analyzer)
    {
        var compilation = CSharpCompilation.Create(
            "DefaultBuildCost",
            new[] { CSharpSyntaxTree.ParseText(Source) },
            TestReferences.Net472.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        // The analyzer still finds all three: the cheap registration costs no report.
        Assert.Equal(3, diagnostics.Length);
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
    }
}
