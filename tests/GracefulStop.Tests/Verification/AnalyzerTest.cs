using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Verification;

/// <summary>Which compiler diagnostics take part in the comparison.</summary>
public enum CompilerDiagnostics
{
    None,
    Errors,
    Warnings,
}

[Flags]
public enum TestBehaviors
{
    None = 0,
    SkipGeneratedCodeCheck = 1,
}

/// <summary>
/// Checks an analyzer against test sources with markup, the way Microsoft.CodeAnalysis.Testing's
/// <c>AnalyzerTest</c> does: every reported diagnostic must be expected, every expected one reported,
/// compiler errors count, and an analyzer exception fails the test.
/// </summary>
public class AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public SolutionState TestState { get; } = new();

    public string TestCode
    {
        set => TestState.Sources.Add(value);
    }

    public List<DiagnosticResult> ExpectedDiagnostics => TestState.ExpectedDiagnostics;

    public ReferenceAssemblies ReferenceAssemblies { get; set; } = ReferenceAssemblies.Net80;

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

    public OutputKind OutputKind { get; set; } = OutputKind.DynamicallyLinkedLibrary;

    public CompilerDiagnostics CompilerDiagnostics { get; set; } = CompilerDiagnostics.Errors;

    public TestBehaviors TestBehaviors { get; set; }

    public List<string> DisabledDiagnostics { get; } = new();

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    protected ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer());

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var run = RunCoreAsync(timeout.Token);
        var finished = await Task.WhenAny(run, Task.Delay(Timeout + TimeSpan.FromSeconds(5), cancellationToken));
        if (finished != run)
        {
            throw new TimeoutException($"The test did not finish within {Timeout.TotalSeconds} s: an analyzer or fixer hangs.");
        }

        try
        {
            await run;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A hang that observes cancellation ends in a bare "task was canceled"; name it for what it is.
            throw new TimeoutException($"The test did not finish within {Timeout.TotalSeconds} s: an analyzer or fixer hangs.");
        }
    }

    protected virtual async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        var (sources, expected) = Prepare(TestState);
        var project = CreateProject(sources, TestState.AnalyzerConfigFiles);
        await VerifyDiagnosticsAsync(project, expected, "the test sources", cancellationToken);

        if (!TestBehaviors.HasFlag(TestBehaviors.SkipGeneratedCodeCheck))
        {
            await VerifyGeneratedCodeIsSkippedAsync(sources, cancellationToken);
        }
    }

    protected TestProjectOptions ProjectOptions => new(
        ReferenceAssemblies, LanguageVersion, OutputKind, Analyzers, DisabledDiagnostics.ToImmutableArray());

    protected Project CreateProject(IEnumerable<(string Path, string Text)> sources, IEnumerable<(string Path, string Text)> configs) =>
        TestProjectBuilder.Create(ProjectOptions, sources, configs);

    /// <summary>Strips markup and turns it, with the explicit expectations, into resolved expectations.</summary>
    protected (List<(string Path, string Text)> Sources, List<DiagnosticResult> Expected) Prepare(SolutionState state)
    {
        var sources = new List<(string Path, string Text)>();
        var expected = new List<DiagnosticResult>();
        var keyed = new Dictionary<int, DiagnosticLocation>();
        foreach (var (path, content) in state.Sources)
        {
            if (!state.MarkupHandling)
            {
                sources.Add((path, content));
                continue;
            }

            var (text, spans) = MarkupParser.Parse(content);
            sources.Add((path, text));
            var lines = SourceText.From(text).Lines;
            foreach (var span in spans)
            {
                var location = new DiagnosticLocation(path, lines.GetLinePositionSpan(span.TextSpan), false, null);
                if (span.Key is int key)
                {
                    keyed[key] = location;
                }
                else
                {
                    expected.Add(new DiagnosticResult(span.Id ?? SingleRuleId()).WithResolvedLocations(ImmutableArray.Create(location)));
                }
            }
        }

        foreach (var result in state.ExpectedDiagnostics)
        {
            var resolved = result.Locations.Select(l =>
                l.MarkupKey is int key
                    ? keyed.TryGetValue(key, out var found) ? found : throw new InvalidOperationException($"No markup {{|#{key}:...|}} for {result}.")
                    : l).ToImmutableArray();
            expected.Add(result.WithResolvedLocations(resolved));
        }

        return (sources, expected);
    }

    private string SingleRuleId()
    {
        var ids = Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().ToList();
        return ids.Count == 1
            ? ids[0]
            : throw new InvalidOperationException($"[|...|] markup needs an analyzer with a single rule; use {{|ID:...|}} with one of {string.Join(", ", ids)}.");
    }

    protected async Task VerifyDiagnosticsAsync(Project project, List<DiagnosticResult> expected, string what, CancellationToken cancellationToken)
    {
        var (analyzerDiagnostics, compilerDiagnostics) = await DiagnosticRunner.RunAsync(project, Analyzers, cancellationToken);
        var actual = analyzerDiagnostics.Concat(compilerDiagnostics.Where(IncludeCompilerDiagnostic));
        var failure = DiagnosticComparer.Compare(expected, DiagnosticRunner.Sort(actual), Analyzers);
        if (failure is not null)
        {
            throw new DiagnosticMismatchException($"Diagnostics of {what} differ from the expected ones.{Environment.NewLine}{failure}");
        }
    }

    private bool IncludeCompilerDiagnostic(Diagnostic diagnostic) => CompilerDiagnostics switch
    {
        CompilerDiagnostics.None => false,
        CompilerDiagnostics.Errors => diagnostic.Severity == DiagnosticSeverity.Error,
        _ => diagnostic.Severity >= DiagnosticSeverity.Warning,
    };

    private async Task VerifyGeneratedCodeIsSkippedAsync(List<(string Path, string Text)> sources, CancellationToken cancellationToken)
    {
        var generated = sources.Select(s => (s.Path, "// <auto-generated/>" + Environment.NewLine + s.Text));
        var project = CreateProject(generated, TestState.AnalyzerConfigFiles);
        var diagnostics = await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, Analyzers, cancellationToken);
        if (!diagnostics.IsEmpty)
        {
            throw new DiagnosticMismatchException(
                "The analyzer reports in generated code (an '// <auto-generated/>' header was added to every source):"
                + Environment.NewLine + string.Join(Environment.NewLine, diagnostics));
        }
    }
}

public sealed class DiagnosticMismatchException(string message) : Exception(message);

/// <summary>Compares expected and actual diagnostics and describes the difference.</summary>
internal static class DiagnosticComparer
{
    public static string? Compare(List<DiagnosticResult> expected, ImmutableArray<Diagnostic> actual, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        var unmatched = actual.ToList();
        var missing = new List<DiagnosticResult>();
        foreach (var result in expected)
        {
            var match = unmatched.FirstOrDefault(d => Matches(result, d));
            if (match is null)
            {
                missing.Add(result);
            }
            else
            {
                unmatched.Remove(match);
            }
        }

        if (missing.Count == 0 && unmatched.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var result in missing)
        {
            builder.AppendLine("Expected but not reported: " + result);
        }

        foreach (var diagnostic in unmatched)
        {
            builder.AppendLine("Reported but not expected: " + Describe(diagnostic));
        }

        builder.AppendLine("All reported diagnostics:");
        foreach (var diagnostic in actual)
        {
            builder.AppendLine("  " + Describe(diagnostic));
        }

        return builder.ToString();

        bool Matches(DiagnosticResult result, Diagnostic diagnostic)
        {
            if (result.Id != diagnostic.Id)
            {
                return false;
            }

            if (result.Severity is { } severity && severity != diagnostic.Severity)
            {
                return false;
            }

            if (result.HasLocation)
            {
                if (!LocationMatches(result.Locations[0], diagnostic.Location))
                {
                    return false;
                }

                if (!result.IgnoreAdditionalLocations && result.Locations.Length > 1)
                {
                    if (result.Locations.Length - 1 != diagnostic.AdditionalLocations.Count)
                    {
                        return false;
                    }

                    for (var i = 1; i < result.Locations.Length; i++)
                    {
                        if (!LocationMatches(result.Locations[i], diagnostic.AdditionalLocations[i - 1]))
                        {
                            return false;
                        }
                    }
                }
            }
            else if (diagnostic.Location != Location.None)
            {
                return false;
            }

            var descriptor = descriptors.FirstOrDefault(d => d.Id == diagnostic.Id && d.MessageFormat.ToString() == diagnostic.Descriptor.MessageFormat.ToString())
                ?? diagnostic.Descriptor;
            var message = result.ExpectedMessage(descriptor);
            return message is null || message == diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static bool LocationMatches(DiagnosticLocation expected, Location actual)
    {
        var span = actual.GetLineSpan();
        if (expected.Path is not null && expected.Path != span.Path)
        {
            return false;
        }

        return expected.StartOnly
            ? span.StartLinePosition == expected.Span.Start
            : span.Span == expected.Span;
    }

    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = diagnostic.Location == Location.None
            ? "(no location)"
            : $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1},{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
        var text = diagnostic.Location.SourceTree is { } tree ? $" on '{tree.GetText().ToString(diagnostic.Location.SourceSpan)}'" : string.Empty;
        var additional = diagnostic.AdditionalLocations.Count > 0
            ? " additional: " + string.Join(", ", diagnostic.AdditionalLocations.Select(l =>
            {
                var s = l.GetLineSpan();
                return $"({s.StartLinePosition.Line + 1},{s.StartLinePosition.Character + 1},{s.EndLinePosition.Line + 1},{s.EndLinePosition.Character + 1})";
            }))
            : string.Empty;
        return $"{where}: {diagnostic.Severity} {diagnostic.Id}{text}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}{additional}";
    }
}
