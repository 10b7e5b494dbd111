using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Testing.Model;

namespace GracefulStop.Tests.Verification;

/// <summary>
/// Analyzer tests on Microsoft.CodeAnalysis.Testing (<see cref="CSharpAnalyzerTest{TAnalyzer, TVerifier}"/>) with the
/// project's defaults (<see cref="TestDefaults"/>) and a time limit (<see cref="TestTimeout"/>).
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => TestDefaults.Apply(this);

        public TimeSpan Timeout { get; set; } = TestDefaults.Timeout;

        protected override Task RunImplAsync(CancellationToken cancellationToken) =>
            TestTimeout.RunAsync(
                async ct =>
                {
                    await base.RunImplAsync(ct);
                    await VerifyNothingReportedInGeneratedCodeAsync(ct);
                },
                Timeout,
                cancellationToken);

        private async Task VerifyNothingReportedInGeneratedCodeAsync(CancellationToken cancellationToken)
        {
            if (TestBehaviors.HasFlag(TestBehaviors.SkipGeneratedCodeCheck))
            {
                return;
            }

            var analyzers = GetDiagnosticAnalyzers().ToImmutableArray();
            var state = TestState
                .WithInheritedValuesApplied(null, ImmutableArray<string>.Empty)
                .WithProcessedMarkup(MarkupOptions, GetDefaultDiagnostic(analyzers.ToArray()), analyzers.SelectMany(a => a.SupportedDiagnostics).ToImmutableArray(), ImmutableArray<string>.Empty, DefaultFilePath);
            var project = await CreateProjectAsync(
                new EvaluatedProjectState(GeneratedCodeCheck.MarkGenerated(state), ReferenceAssemblies),
                state.AdditionalProjects.Values.Select(p => new EvaluatedProjectState(p, ReferenceAssemblies)).ToImmutableArray(),
                cancellationToken);
            var diagnostics = await GetSortedDiagnosticsAsync(project.Solution, analyzers, ImmutableArray<(Project, Diagnostic)>.Empty, CompilerDiagnostics.None, Verify, cancellationToken);
            GeneratedCodeCheck.Verify(diagnostics.Select(d => d.diagnostic), analyzers);
        }

    }

    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(descriptor);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
