using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Bench.Baseline;

/// <summary>
/// <c>--baseline PATH</c>: the GS analyzers of another build (A, e.g. an older commit's Release build) against this
/// build's (B), in one process, on the same corpora. Every pair analyses a fresh compilation per arm, in an order that
/// alternates from pair to pair, so that drift in the machine's speed falls on both arms alike; the ratio B/A is taken
/// within each pair. For developers comparing two builds; the budgets are not checked.
/// </summary>
public static class BaselineCommand
{
    public static async Task<int> RunAsync(BenchOptions options, string repoRoot, TextWriter log)
    {
        var path = Path.GetFullPath(options.Baseline!);
        if (!File.Exists(path))
        {
            log.WriteLine($"--baseline: {path} not found");
            return 2;
        }

        var baselineAssembly = new BaselineLoadContext(path).LoadFromAssemblyPath(path);
        var armA = AnalyzerCatalog.LoadGs(baselineAssembly);
        var armB = AnalyzerCatalog.LoadOurs();
        if (armA.IsEmpty)
        {
            log.WriteLine($"--baseline: no analyzer found in {path}");
            return 2;
        }

        var report = new BaselineReport(Describe(baselineAssembly, path), Describe(typeof(GracefulStop.Analyzers.RuleIds).Assembly, null), options.BaselinePairs, options.Warmup);
        var firstReport = new BenchAnalyzer("FirstReportPerTreeAnalyzer", new FirstReportPerTreeAnalyzer(), false, "BENCH1", "baseline");
        var diagnosticOptions = AnalyzerCatalog.SwitchOn(armA.AddRange(armB));
        var started = DateTime.UtcNow;
        foreach (var corpus in Corpora(options, log))
        {
            var a = new ArmRuns();
            var b = new ArmRuns();
            for (var pair = -options.Warmup; pair < options.BaselinePairs; pair++)
            {
                var measured = pair >= 0;
                var target = measured ? corpus : corpus.Warmup;
                var baselineFirst = pair % 2 == 0;
                foreach (var useBaseline in baselineFirst ? new[] { true, false } : new[] { false, true })
                {
                    var (times, wall, cpu, diagnostics) = await AnalyzeAsync(target, useBaseline ? armA : armB, firstReport, diagnosticOptions, options.Concurrent);
                    if (measured)
                    {
                        var arm = useBaseline ? a : b;
                        arm.Add(times, wall, cpu);
                        arm.DiagnosticsById = diagnostics;
                    }
                }

                if (measured)
                {
                    log.WriteLine($"[{corpus.Name}] pair {pair + 1}/{options.BaselinePairs} ({(baselineFirst ? "A first" : "B first")}): all GS A {a.AllGs[^1]:F1} ms, B {b.AllGs[^1]:F1} ms");
                }
            }

            report.AddCorpus(corpus, a, b);
        }

        var markdown = report.Render(DateTime.UtcNow - started);
        Console.WriteLine(markdown);
        var outPath = Path.GetFullPath(options.Output ?? Path.Combine(repoRoot, "artifacts", "bench", "baseline.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        File.WriteAllText(outPath, markdown);
        log.WriteLine($"Written to {outPath}");
        return 0;
    }

    private static IEnumerable<Corpus> Corpora(BenchOptions options, TextWriter log)
    {
        if (options.Generated)
        {
            log.WriteLine($"Generating {options.Lines:N0} lines (seed {options.Seed})...");
            yield return Corpus.Generated(options.Lines, options.Seed, "generated");
        }

        var extra = options.References.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r))).ToImmutableArray();
        foreach (var (name, folder, implicitUsings) in options.Folders)
        {
            log.WriteLine($"Loading {folder}...");
            yield return Corpus.Folder(folder, name, Corpus.Net80, extra, implicitUsings);
        }
    }

    /// <summary>One analysis of a fresh compilation with one arm's GS analyzers (after the per-tree reference analyzer).</summary>
    private static async Task<(Dictionary<string, double> Times, double WallMs, double CpuMs, ImmutableDictionary<string, int> Diagnostics)> AnalyzeAsync(
        Corpus corpus, ImmutableArray<BenchAnalyzer> arm, BenchAnalyzer firstReport, ImmutableDictionary<string, ReportDiagnostic> diagnosticOptions, bool concurrent)
    {
        Measurements.Settle();
        var compilation = corpus.Compile(concurrent, diagnosticOptions);
        Measurements.WarmReferences(compilation);
        var analyzers = ImmutableArray.Create(firstReport.Analyzer).AddRange(arm.Select(a => a.Analyzer));
        var withAnalyzers = new CompilationWithAnalyzers(
            compilation,
            analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: concurrent,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false));
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
        watch.Stop();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var times = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var analyzer in arm)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer.Analyzer, CancellationToken.None).ConfigureAwait(false);
            times[analyzer.Name] = telemetry.ExecutionTime.TotalMilliseconds;
        }

        var counts = diagnostics.Where(d => d.Id.StartsWith("GS", StringComparison.Ordinal))
            .GroupBy(d => d.Id)
            .ToImmutableDictionary(g => g.Key, g => g.Count());
        return (times, watch.Elapsed.TotalMilliseconds, cpuMs, counts);
    }

    private static string Describe(Assembly assembly, string? path)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var location = path ?? assembly.Location;
        return $"`{location}` ({version}, built {File.GetLastWriteTimeUtc(location):yyyy-MM-dd HH:mm} UTC)";
    }
}
