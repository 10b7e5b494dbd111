using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Bench;

/// <summary>Collects the measures, renders them as Markdown and checks the budgets of issue 7.</summary>
public sealed class Report
{
    public const double ShareOfCompileBudget = 0.02;
    public const double Ca2016RatioBudget = 0.5;
    public const double Ca2016RatioMinimumMs = 5;
    public const double AllNineCa2016Budget = 1.0;
    public const double ScalingBudget = 4.4;
    public const double LatencyP95BudgetMs = 20;

    private readonly BenchOptions _options;
    private readonly Settings _settings;
    private readonly ImmutableArray<BenchAnalyzer> _ours;
    private readonly ImmutableArray<BenchAnalyzer> _peers;
    private readonly StringBuilder _corpora = new();
    private readonly List<(int Factor, Corpus Corpus, CompileResult Compile, AnalysisResult Analysis)> _scaling = new();
    private readonly List<(string Budget, string Where, string Value, string Limit, bool Pass)> _budgets = new();
    private LatencyResult? _latency;

    public Report(BenchOptions options, Settings settings, ImmutableArray<BenchAnalyzer> ours, ImmutableArray<BenchAnalyzer> peers)
    {
        _options = options;
        _settings = settings;
        _ours = ours;
        _peers = peers;
    }

    public List<string> Failures { get; } = new();

    private readonly List<double> _allNineToCa2016 = new();

    public void AddCorpus(Corpus corpus, bool budgeted, CompileResult compile, AnalysisResult analysis, AnalysisResult gsOnly, AnalysisResult baseline, BenchAnalyzer floor, BenchAnalyzer firstReport)
    {
        var w = _corpora;
        w.AppendLine($"### {corpus.Name}: {corpus.Lines:N0} lines in {corpus.Trees.Length:N0} files");
        w.AppendLine();
        w.AppendLine($"Source: {corpus.Description}. Compile-only: {compile.MedianMs:N0} ms (min {compile.MinMs:N0} ms), {compile.Errors:N0} compiler errors, {compile.Warnings:N0} warnings{(compile.Errors > 0 ? " (most frequent errors: " + compile.TopErrors + ")" : string.Empty)}.");
        w.AppendLine();
        w.Append("| Analyzer | Rules | ms | ms / 10k lines | share of compile |");
        foreach (var peer in _peers)
        {
            w.Append($" ÷ {peer.Rules} |");
        }

        w.AppendLine();
        w.Append("|---|---|--:|--:|--:|");
        foreach (var _ in _peers)
        {
            w.Append("--:|");
        }

        w.AppendLine();
        Row(w, "Compiler (GetDiagnostics, no analyzers)", "", compile.MedianMs, corpus.Lines, compile.MedianMs, null);
        var total = 0.0;
        foreach (var analyzer in _ours)
        {
            var ms = analysis.MedianMs[analyzer.Analyzer];
            total += ms;
            Row(w, analyzer.Name, analyzer.Rules, ms, corpus.Lines, compile.MedianMs, PeerTimes(analysis));
        }

        Row(w, "**All GS analyzers**", "", total, corpus.Lines, compile.MedianMs, PeerTimes(analysis), bold: true);
        foreach (var peer in _peers)
        {
            Row(w, $"{peer.Name} ({peer.Package})", peer.Rules, analysis.MedianMs[peer.Analyzer], corpus.Lines, compile.MedianMs, null);
        }

        Row(w, "_Reference: a no-op operation action on every invocation_", "", analysis.MedianMs[floor.Analyzer], corpus.Lines, compile.MedianMs, null);
        Row(w, "_Driver: generated-code scan of each tree, paid by the first report in it (taken by a reference analyzer)_", "", analysis.MedianMs[firstReport.Analyzer], corpus.Lines, compile.MedianMs, null);

        w.AppendLine();
        var interesting = analysis.DiagnosticsById
            .Where(p => p.Key.StartsWith("GS", StringComparison.Ordinal) || _peers.Any(a => a.Rules.Split('/').Contains(p.Key)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} {p.Value:N0}");
        w.AppendLine($"Diagnostics reported: {string.Join(", ", interesting.DefaultIfEmpty("none"))}.");
        w.AppendLine();
        var gsExtra = gsOnly.AllocatedBytes - baseline.AllocatedBytes;
        w.AppendLine($"Managed memory allocated: analysis with the GS analyzers {Mb(gsOnly.AllocatedBytes)}, with a no-op operation analyzer (the driver's own binding and operation trees) {Mb(baseline.AllocatedBytes)}: **{Mb(gsExtra)} attributable to the GS analyzers** ({Mb(gsExtra * 10_000.0 / Math.Max(1, corpus.Lines))} per 10k lines); compile-only allocates {Mb(compile.AllocatedBytes)}. Wall time of the analysis with the GS analyzers alone: {gsOnly.MedianWallMs:N0} ms, with the no-op analyzer: {baseline.MedianWallMs:N0} ms.");
        w.AppendLine();
        var exceptions = analysis.Exceptions.AddRange(gsOnly.Exceptions);
        if (!exceptions.IsEmpty)
        {
            w.AppendLine("Analyzer exceptions (AD0001):");
            foreach (var exception in exceptions.Distinct())
            {
                w.AppendLine($"- {exception}");
            }

            w.AppendLine();
        }

        if (!budgeted)
        {
            w.AppendLine("(Informative: the budgets are checked on the generated corpus and on real repositories, not on this one.)");
            w.AppendLine();
            return;
        }

        var share = total / compile.MedianMs;
        Budget("All GS analyzers ≤ 2 % of compile-only time", corpus.Name, Percent(share), "2 %", share <= ShareOfCompileBudget);
        var ca2016 = _peers.FirstOrDefault(p => p.Rules.Contains("CA2016", StringComparison.Ordinal));
        var worst = _ours.OrderByDescending(a => analysis.MedianMs[a.Analyzer]).FirstOrDefault();
        if (ca2016 is null || worst is null)
        {
            return;
        }

        var peerMs = analysis.MedianMs[ca2016.Analyzer];
        _allNineToCa2016.Add(total / Math.Max(peerMs, 0.001));
        if (peerMs < Ca2016RatioMinimumMs)
        {
            // Too little code of the kind CA2016 looks at for a ratio to mean anything (issue 19).
            return;
        }

        var ratio = analysis.MedianMs[worst.Analyzer] / Math.Max(peerMs, 0.001);
        Budget("Each GS analyzer ≤ 0.5 × the CA2016 analyzer (where CA2016 takes ≥ 5 ms)", corpus.Name, $"{Ratio(ratio)} (slowest: {worst.Name}, {analysis.MedianMs[worst.Analyzer]:N1} ms vs {peerMs:N1} ms)", "0.5", ratio <= Ca2016RatioBudget);
    }

    public void AddScaling(int factor, Corpus corpus, CompileResult compile, AnalysisResult analysis) => _scaling.Add((factor, corpus, compile, analysis));

    public void AddLatency(LatencyResult latency) => _latency = latency;

    public string Render(TimeSpan elapsed)
    {
        var w = new StringBuilder();
        w.AppendLine("## Results");
        w.AppendLine();
        w.AppendLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, Roslyn {typeof(Compilation).Assembly.GetName().Version}. "
            + $"Mode: {(_settings.Concurrent ? "concurrent" : "single-threaded")} compilation and analysis; median of {_settings.Runs} run(s) after {_settings.Warmup} warm-up run(s). "
            + $"Command: `dotnet run -c Release --project bench/GracefulStop.Bench -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}`. Whole run: {elapsed.TotalMinutes:N1} min.");
        w.AppendLine();
        w.AppendLine("`ms` is the analyzer's own execution time from `CompilationWithAnalyzers` telemetry (all analyzers in one run, as in a build; with peers, the mean of two runs, GS analyzers listed first and peers listed first); "
            + "`÷ X` is that time divided by the time of the peer analyzer measured for rule X on the same compilation.");
        w.AppendLine();
        w.Append(_corpora);
        if (_scaling.Count > 0)
        {
            w.AppendLine("### Scaling (generated corpus, same seed, GS analyzers alone)");
            w.AppendLine();
            w.AppendLine("| Size | Lines | Compile-only ms (median / min) | All GS analyzers ms (median / min) | share of compile | GS time vs 1× (median / min) | compile vs 1× (median / min) |");
            w.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
            var baseGs = (Median: 0.0, Min: 0.0);
            var baseCompile = (Median: 0.0, Min: 0.0);
            foreach (var (factor, corpus, compile, analysis) in _scaling)
            {
                var gs = (Median: _ours.Sum(a => analysis.MedianMs[a.Analyzer]), Min: _ours.Sum(a => analysis.MinMs[a.Analyzer]));
                if (factor == 1)
                {
                    baseGs = gs;
                    baseCompile = (compile.MedianMs, compile.MinMs);
                }

                w.AppendLine($"| {factor}× | {corpus.Lines:N0} | {compile.MedianMs:N0} / {compile.MinMs:N0} | {gs.Median:N1} / {gs.Min:N1} | {Percent(gs.Median / compile.MedianMs)} | {gs.Median / Math.Max(baseGs.Median, 0.001):N2}× / {gs.Min / Math.Max(baseGs.Min, 0.001):N2}× | {compile.MedianMs / baseCompile.Median:N2}× / {compile.MinMs / baseCompile.Min:N2}× |");
                if (factor == 4)
                {
                    // The fastest run: on a shared machine contention only ever adds time, so the minimum is the robust estimate.
                    var ratio = gs.Min / Math.Max(baseGs.Min, 0.001);
                    Budget("4× the code costs ≤ 4.4× the time (GS analyzers, fastest runs)", "generated", $"{ratio:N2}×", "4.4×", ratio <= ScalingBudget);
                }
            }

            w.AppendLine();
        }

        if (_latency is { } l)
        {
            w.AppendLine($"### Single-document latency ({l.Lines:N0}-line document, edited before each request)");
            w.AppendLine();
            w.AppendLine("As the IDE computes a document's analyzer diagnostics after an edit: new compilation, new `CompilationWithAnalyzers`, `GetAnalyzerSemanticDiagnosticsAsync` for that document.");
            w.AppendLine();
            w.AppendLine("| Measure | median ms | p95 ms |");
            w.AppendLine("|---|--:|--:|");
            w.AppendLine($"| Request with all GS analyzers (wall) | {l.MedianMs:N1} | {l.P95Ms:N1} |");
            w.AppendLine($"| GS analyzers' own execution time in that request | {l.GsMedianMs:N2} | {l.GsP95Ms:N2} |");
            w.AppendLine($"| Same request with a no-op operation analyzer (binding and driver only) | {l.BaselineMedianMs:N1} | {l.BaselineP95Ms:N1} |");
            w.AppendLine();
            Budget($"Single-document latency p95 ≤ 20 ms ({l.Lines:N0} lines, GS analyzers' time in the request)", "generated", $"{l.GsP95Ms:N2} ms", "20 ms", l.GsP95Ms <= LatencyP95BudgetMs);
        }

        if (_allNineToCa2016.Count > 0)
        {
            var median = Measurements.Median(_allNineToCa2016);
            Budget("All GS analyzers together ≤ 1 × the CA2016 analyzer (median over the corpora)", $"{_allNineToCa2016.Count} corpora", $"{Ratio(median)} (each: {string.Join(", ", _allNineToCa2016.Select(Ratio))})", "1", median <= AllNineCa2016Budget);
        }

        var summary = new StringBuilder();
        summary.AppendLine("### Budgets (issue 19)");
        summary.AppendLine();
        summary.AppendLine("| Budget | Corpus | Measured | Limit | Result |");
        summary.AppendLine("|---|---|--:|--:|---|");
        foreach (var (budget, where, value, limit, pass) in _budgets)
        {
            summary.AppendLine($"| {budget} | {where} | {value} | {limit} | {(pass ? "pass" : "**FAIL**")} |");
        }

        summary.AppendLine();
        return w.ToString().Replace("## Results\n\n", "## Results\n\n", StringComparison.Ordinal) + summary;
    }

    private void Budget(string budget, string where, string value, string limit, bool pass)
    {
        _budgets.Add((budget, where, value, limit, pass));
        if (!pass)
        {
            Failures.Add($"{budget} [{where}]: {value} > {limit}");
        }
    }

    private ImmutableArray<double> PeerTimes(AnalysisResult analysis) => _peers.Select(p => analysis.MedianMs[p.Analyzer]).ToImmutableArray();

    private static void Row(StringBuilder w, string name, string rules, double ms, int lines, double compileMs, ImmutableArray<double>? peers, bool bold = false, int peerCount = -1)
    {
        var b = bold ? "**" : string.Empty;
        w.Append($"| {name} | {rules} | {b}{ms:N1}{b} | {ms * 10_000 / Math.Max(1, lines):N2} | {Percent(ms / compileMs)} |");
        if (peers is { } times)
        {
            foreach (var peer in times)
            {
                w.Append($" {Ratio(ms / Math.Max(peer, 0.001))} |");
            }
        }

        w.AppendLine();
    }

    private static string Percent(double value) => (value * 100).ToString(value < 0.001 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " %";

    private static string Ratio(double value) => value.ToString(value < 0.01 ? "0.0000" : "0.000", CultureInfo.InvariantCulture);

    private static string Mb(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
