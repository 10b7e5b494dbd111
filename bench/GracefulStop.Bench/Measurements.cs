using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Bench;

public sealed record Settings(int Runs, int Warmup, bool Concurrent, int LatencyRuns);

public sealed record CompileResult(double MedianMs, double MinMs, int Errors, int Warnings, long AllocatedBytes, string TopErrors);

public sealed record AnalysisResult(
    ImmutableDictionary<DiagnosticAnalyzer, double> MedianMs,
    ImmutableDictionary<DiagnosticAnalyzer, double> MinMs,
    ImmutableDictionary<string, int> DiagnosticsById,
    double MedianWallMs,
    long AllocatedBytes,
    ImmutableArray<string> Exceptions);

public sealed record LatencyResult(double MedianMs, double P95Ms, double GsMedianMs, double GsP95Ms, double BaselineMedianMs, double BaselineP95Ms, int Lines);

public static class Measurements
{
    /// <summary>Compile-only: <c>GetDiagnostics()</c> on a fresh compilation, no analyzers.</summary>
    public static CompileResult Compile(Corpus corpus, Settings settings)
    {
        var recorder = new CompileRecorder(corpus, settings.Concurrent);
        for (var i = 0; i < settings.Warmup; i++)
        {
            recorder.Warm();
        }

        for (var i = 0; i < settings.Runs; i++)
        {
            recorder.Record();
        }

        return recorder.Result();
    }

    /// <summary>
    /// Compile-only runs of one corpus, recorded one at a time: <see cref="AnalyzeAsync"/> takes one before each of its
    /// runs, so that the share of compile-only time is a ratio of two figures measured in the same minutes. Measured
    /// minutes apart, the compile-only median moved by up to 1.6 × between two runs of the same commit on an idle
    /// machine (1,677 and 1,070 ms for the generated corpus; issue 19), and the shares with it.
    /// </summary>
    public sealed class CompileRecorder
    {
        private readonly Corpus _corpus;
        private readonly bool _concurrent;
        private readonly List<double> _times = new();
        private readonly List<long> _allocations = new();
        private ImmutableArray<Diagnostic> _diagnostics = ImmutableArray<Diagnostic>.Empty;

        public CompileRecorder(Corpus corpus, bool concurrent)
        {
            _corpus = corpus;
            _concurrent = concurrent;
        }

        public void Warm()
        {
            Settle();
            _ = _corpus.Warmup.Compile(_concurrent).GetDiagnostics();
        }

        public void Record()
        {
            Settle();
            var compilation = _corpus.Compile(_concurrent);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            _diagnostics = compilation.GetDiagnostics();
            watch.Stop();
            _times.Add(watch.Elapsed.TotalMilliseconds);
            _allocations.Add(GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }

        public CompileResult Result()
        {
            var errors = _diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = _diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            var topErrors = string.Join("; ", _diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .GroupBy(d => d.Id == "CS0246" || d.Id == "CS0234" ? d.Id + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) : d.Id)
                .OrderByDescending(g => g.Count())
                .Take(5)
                .Select(g => $"{g.Key} ×{g.Count()}"));
            return new CompileResult(Median(_times), _times.Min(), errors, warnings, (long)Median(_allocations.Select(a => (double)a).ToList()), topErrors);
        }
    }

    /// <summary>
    /// Every given analyzer in one <see cref="CompilationWithAnalyzers"/> (as in a build), with execution time logged per
    /// analyzer; the median of each analyzer's time over the runs, the wall time and the managed memory allocated.
    /// </summary>
    /// <param name="reordered">
    /// The same analyzers in another order, or default. The compiler makes much of its public symbol model on first use
    /// (a method's parameters and their types, for instance), and the driver runs a member's callbacks in the order the
    /// analyzers were given: the first analyzer to read a member's parameters pays for making them, and the others read
    /// them for free. When given, each run analyses a second fresh compilation with this order and takes, for each
    /// analyzer, the mean of its two times; wall time and memory come from the first order.
    /// </param>
    /// <param name="compileRuns">When given, records a compile-only run before each measured run.</param>
    public static async Task<AnalysisResult> AnalyzeAsync(Corpus corpus, ImmutableArray<BenchAnalyzer> analyzers, Settings settings, ImmutableArray<BenchAnalyzer> reordered = default, CompileRecorder? compileRuns = null)
    {
        var perAnalyzer = analyzers.ToDictionary(a => a.Analyzer, _ => new List<double>());
        var walls = new List<double>();
        var allocations = new List<double>();
        var exceptions = new ConcurrentBag<string>();
        var counts = ImmutableDictionary<string, int>.Empty;
        var analyzerArray = analyzers.Select(a => a.Analyzer).ToImmutableArray();
        var diagnosticOptions = AnalyzerCatalog.SwitchOn(analyzers);
        for (var i = 0; i < settings.Warmup + settings.Runs; i++)
        {
            if (i >= settings.Warmup)
            {
                compileRuns?.Record();
            }

            Settle();
            var compilation = (i < settings.Warmup ? corpus.Warmup : corpus).Compile(settings.Concurrent, diagnosticOptions);
            WarmReferences(compilation);
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, diagnostic) => exceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: settings.Concurrent,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);
            var withAnalyzers = new CompilationWithAnalyzers(compilation, analyzerArray, options);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
            watch.Stop();
            var allocatedNow = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            if (i < settings.Warmup)
            {
                continue;
            }

            walls.Add(watch.Elapsed.TotalMilliseconds);
            allocations.Add(allocatedNow);
            var times = new Dictionary<DiagnosticAnalyzer, double>();
            foreach (var analyzer in analyzerArray)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
                times[analyzer] = telemetry.ExecutionTime.TotalMilliseconds;
            }

            if (!reordered.IsDefault)
            {
                Settle();
                var second = corpus.Compile(settings.Concurrent, diagnosticOptions);
                WarmReferences(second);
                var again = new CompilationWithAnalyzers(second, reordered.Select(a => a.Analyzer).ToImmutableArray(), options);
                await again.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
                foreach (var analyzer in analyzerArray)
                {
                    var telemetry = await again.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
                    times[analyzer] = (times[analyzer] + telemetry.ExecutionTime.TotalMilliseconds) / 2;
                }
            }

            foreach (var analyzer in analyzerArray)
            {
                perAnalyzer[analyzer].Add(times[analyzer]);
            }

            counts = diagnostics.GroupBy(d => d.Id).ToImmutableDictionary(g => g.Key, g => g.Count());
        }

        return new AnalysisResult(
            perAnalyzer.ToImmutableDictionary(p => p.Key, p => Median(p.Value)),
            perAnalyzer.ToImmutableDictionary(p => p.Key, p => p.Value.Count == 0 ? 0 : p.Value.Min()),
            counts,
            Median(walls),
            (long)Median(allocations),
            exceptions.Distinct().Order(StringComparer.Ordinal).ToImmutableArray());
    }

    /// <summary>
    /// Single-document latency as the IDE computes it: after an edit to one document of about <c>Lines</c> lines,
    /// a new compilation, a new <see cref="CompilationWithAnalyzers"/> and <c>GetAnalyzerSemanticDiagnosticsAsync</c> for
    /// that document only. Measured with the GS analyzers and, as the baseline, with a no-op operation analyzer.
    /// </summary>
    public static async Task<LatencyResult> LatencyAsync(Corpus corpus, SyntaxTree document, ImmutableArray<BenchAnalyzer> ours, Settings settings)
    {
        var baseline = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpOperationAnalyzer());
        var gs = ours.Select(a => a.Analyzer).ToImmutableArray();
        var diagnosticOptions = AnalyzerCatalog.SwitchOn(ours);
        var compilation = corpus.Compile(settings.Concurrent, diagnosticOptions).AddSyntaxTrees(document);
        _ = compilation.GetDiagnostics(); // the IDE has the project's declarations and references ready
        var current = document;
        var wall = new List<double>();
        var gsTime = new List<double>();
        var baseWall = new List<double>();
        var warmup = Math.Max(3, settings.Warmup * 3);
        for (var i = 0; i < warmup + settings.LatencyRuns; i++)
        {
            foreach (var useBaseline in new[] { false, true })
            {
                // An edit inside a method body (a changed literal), as typing does.
                var text = current.GetText();
                var edited = Edit(text, i * 2 + (useBaseline ? 1 : 0));
                var next = current.WithChangedText(edited);
                compilation = compilation.ReplaceSyntaxTree(current, next);
                current = next;
                var analyzers = useBaseline ? baseline : gs;
                var options = new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: null,
                    concurrentAnalysis: settings.Concurrent,
                    logAnalyzerExecutionTime: true,
                    reportSuppressedDiagnostics: false);
                var watch = Stopwatch.StartNew();
                var withAnalyzers = new CompilationWithAnalyzers(compilation, analyzers, options);
                var model = compilation.GetSemanticModel(current);
                _ = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None).ConfigureAwait(false);
                watch.Stop();
                if (i < warmup)
                {
                    continue;
                }

                if (useBaseline)
                {
                    baseWall.Add(watch.Elapsed.TotalMilliseconds);
                }
                else
                {
                    wall.Add(watch.Elapsed.TotalMilliseconds);
                    var sum = 0.0;
                    foreach (var analyzer in gs)
                    {
                        sum += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime.TotalMilliseconds;
                    }

                    gsTime.Add(sum);
                }
            }
        }

        return new LatencyResult(Median(wall), Percentile(wall, 0.95), Median(gsTime), Percentile(gsTime, 0.95), Median(baseWall), Percentile(baseWall, 0.95), document.GetText().Lines.Count);
    }

    /// <summary>Changes the first integer literal after the middle of the text, so each run sees a new tree of the same shape.</summary>
    private static SourceText Edit(SourceText text, int iteration)
    {
        var content = text.ToString();
        var start = content.IndexOf("Thread.Sleep(", content.Length / 2, StringComparison.Ordinal);
        if (start < 0)
        {
            start = content.IndexOf("return ", content.Length / 2, StringComparison.Ordinal);
            var line = text.Lines.GetLineFromPosition(start);
            return text.WithChanges(new TextChange(new TextSpan(line.End, 0), iteration % 2 == 0 ? " " : string.Empty));
        }

        var open = start + "Thread.Sleep(".Length;
        var close = content.IndexOf(')', open);
        return text.WithChanges(new TextChange(TextSpan.FromBounds(open, close), (100 + iteration % 50).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Loads the type tables of every referenced assembly (a metadata-name lookup scans them all), so that the first
    /// analyzer whose compilation-start action looks a type up does not pay for it: in a build the compiler has done so.
    /// </summary>
    public static void WarmReferences(Compilation compilation) => _ = compilation.GetTypeByMetadataName("System.Object");

    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// A reference analyzer of the bench: one hidden diagnostic, concurrent, skipping generated code like the measured
/// analyzers; the subclass registers what it measures.
/// </summary>
public abstract class ReferenceAnalyzer : DiagnosticAnalyzer
{
    protected ReferenceAnalyzer(string id, string title) =>
        Rule = new DiagnosticDescriptor(id, title, title, "Bench", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    protected DiagnosticDescriptor Rule { get; }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>The baseline: an analyzer that asks the driver for operation trees and does nothing with them.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoOpOperationAnalyzer() : ReferenceAnalyzer("BENCH0", "Baseline")
{
    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
}

/// <summary>
/// Reports one hidden diagnostic in every tree, as early as the driver allows (on the first type declared in it). The
/// driver, on the first report in a tree from an analyzer that skips generated code, walks the tree's tokens looking
/// for <c>GeneratedCode</c> (once per tree, shared by every analyzer): this analyzer takes that cost, so that it is not
/// charged to whichever measured analyzer happens to report first in a tree. Its time is shown on its own row.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FirstReportPerTreeAnalyzer() : ReferenceAnalyzer("BENCH1", "First report in a tree")
{
    protected override void Register(AnalysisContext context) =>
        context.RegisterCompilationStartAction(start =>
        {
            var reported = new ConcurrentDictionary<SyntaxTree, bool>();
            start.RegisterSymbolAction(
                c =>
                {
                    foreach (var location in c.Symbol.Locations)
                    {
                        if (location.SourceTree is { } tree && reported.TryAdd(tree, true))
                        {
                            c.ReportDiagnostic(Diagnostic.Create(Rule, location));
                        }
                    }
                },
                SymbolKind.NamedType);
        });
}
