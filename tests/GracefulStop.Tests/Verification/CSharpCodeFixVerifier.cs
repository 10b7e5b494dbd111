using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Testing.Model;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Verification;

/// <summary>
/// Code-fix tests on Microsoft.CodeAnalysis.Testing (<see cref="CSharpCodeFixTest{TAnalyzer, TCodeFix, TVerifier}"/>)
/// with the project's defaults, a time limit, and the checks <see cref="CodeFixHygiene"/> adds: every action has a
/// title and an equivalence key, no two actions for one diagnostic share a key, and the fixer has a Fix All provider
/// for every scope the test checks.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => TestDefaults.Apply(this);

        public TimeSpan Timeout { get; set; } = TestDefaults.Timeout;

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            if (FixedState.Sources.Count > 0 || BatchFixedState.Sources.Count > 0)
            {
                CodeFixHygiene.VerifyFixAllProvider(new TCodeFix(), CodeFixTestBehaviors);
            }

            return TestTimeout.RunAsync(
                async ct =>
                {
                    await base.RunImplAsync(ct);
                    await VerifyNothingReportedInGeneratedCodeAsync(ct);
                },
                Timeout,
                cancellationToken);
        }

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


        protected override CodeFixContext CreateCodeFixContext(
            Document document,
            TextSpan span,
            ImmutableArray<Diagnostic> diagnostics,
            Action<CodeAction, ImmutableArray<Diagnostic>> registerCodeFix,
            CancellationToken cancellationToken) =>
            base.CreateCodeFixContext(document, span, diagnostics, CodeFixHygiene.Checked(registerCodeFix, diagnostics), cancellationToken);
    }

    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(descriptor);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source, expected);

    public static Task VerifyCodeFixAsync(string source, string fixedSource) =>
        VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult expected, string fixedSource) =>
        VerifyCodeFixAsync(source, new[] { expected }, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
