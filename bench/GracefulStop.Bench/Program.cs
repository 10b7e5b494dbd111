using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using GracefulStop.Bench;
using Microsoft.CodeAnalysis;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine(BenchOptions.Usage);
    return 2;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; run with -c Release for meaningful numbers");
#endif

var log = Console.Error;
var repoRoot = AnalyzerCatalog.Metadata("RepoRoot") is { } root && Directory.Exists(root) ? root : Directory.GetCurrentDirectory();
if (options.RealBuild.Targets.Count > 0)
{
    return await GracefulStop.Bench.RealBuild.RealBuildCommand.RunAsync(options, repoRoot, log);
}

if (options.Baseline is not null)
{
    return await GracefulStop.Bench.Baseline.BaselineCommand.RunAsync(options, repoRoot, log);
}

var settings = new Settings(options.Runs, options.Warmup, options.Concurrent, options.LatencyRuns);
var ours = AnalyzerCatalog.LoadOurs();
var peers = options.Peers ? AnalyzerCatalog.LoadPeers(log) : ImmutableArray<BenchAnalyzer>.Empty;
log.WriteLine($"GS analyzers: {string.Join(", ", ours.Select(a => a.Label))}");
log.WriteLine($"Peers: {string.Join(", ", peers.Select(a => a.Label))}");

var report = new Report(options, settings, ours, peers);
var floor = new BenchAnalyzer("NoOpOperationAnalyzer", new NoOpOperationAnalyzer(), false, "BENCH0", "baseline");
var firstReport = new BenchAnalyzer("FirstReportPerTreeAnalyzer", new FirstReportPerTreeAnalyzer(), false, "BENCH1", "baseline");
// Every analysis run starts with the reference analyzer that takes the driver's per-tree generated-code scan.
var oursRun = ImmutableArray.Create(firstReport).AddRange(ours);
var started = DateTime.UtcNow;

var corpora = new List<(Corpus Corpus, bool Budgeted)>();
(CompileResult Compile, AnalysisResult GsOnly)? generatedResults = null;
Corpus? generated = null;
if (options.Generated)
{
    log.WriteLine($"Generating {options.Lines:N0} lines (seed {options.Seed})...");
    generated = Corpus.Generated(options.Lines, options.Seed, "generated");
    corpora.Add((generated, true));
}

foreach (var (name, path, implicitUsings) in options.Folders)
{
    log.WriteLine($"Loading {path}...");
    var extra = options.References.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r))).ToImmutableArray();
    corpora.Add((Corpus.Folder(path, name, Corpus.Net80, extra, implicitUsings), true));
}

if (options.OwnSources)
{
    var packagesRoot = AnalyzerCatalog.Metadata("PeerPath.Meziantou") is { Length: > 0 } meziantou ? Path.GetFullPath(Path.Combine(meziantou, "..", "..")) : null;
    corpora.Add((Corpus.OwnSources(repoRoot, packagesRoot), false));
}

foreach (var (corpus, budgeted) in corpora)
{
    log.WriteLine($"[{corpus.Name}] {corpus.Lines:N0} lines in {corpus.Trees.Length} files: analysis with all analyzers, a compile-only run before each...");
    // GS analyzers first, then peers first: see AnalyzeAsync on why the order moves time between analyzers.
    var compileRuns = new Measurements.CompileRecorder(corpus, settings.Concurrent);
    var analysis = await Measurements.AnalyzeAsync(
        corpus,
        oursRun.AddRange(peers).Add(floor),
        settings,
        peers.IsEmpty ? default : ImmutableArray.Create(firstReport).AddRange(peers).AddRange(ours).Add(floor),
        compileRuns);
    var compile = compileRuns.Result();
    log.WriteLine($"[{corpus.Name}] compile-only {compile.MedianMs:F0} ms ({compile.Errors} errors)");
    log.WriteLine($"[{corpus.Name}] memory: GS analyzers alone, then the no-op baseline...");
    var memorySettings = settings with { Runs = 1, Warmup = 1 };
    var gsOnly = await Measurements.AnalyzeAsync(corpus, oursRun, settings);
    var baseline = await Measurements.AnalyzeAsync(corpus, ImmutableArray.Create(firstReport, floor), memorySettings);
    report.AddCorpus(corpus, budgeted, compile, analysis, gsOnly, baseline, floor, firstReport);
    if (corpus == generated)
    {
        generatedResults = (compile, gsOnly);
    }
}

if (options.Scaling)
{
    foreach (var factor in new[] { 1, 2, 4 })
    {
        var lines = options.ScalingBase * factor;
        var corpus = generated is not null && generated.Lines >= lines && generated.Lines < lines + 1_000
            ? generated
            : Corpus.Generated(lines, options.Seed, $"generated {factor}x");
        log.WriteLine($"[scaling {factor}x] {corpus.Lines:N0} lines...");
        var (compile, analysis) = corpus == generated && generatedResults is { } known
            ? known
            : (Measurements.Compile(corpus, settings), await Measurements.AnalyzeAsync(corpus, oursRun, settings));
        report.AddScaling(factor, corpus, compile, analysis);
    }
}

if (options.Latency)
{
    log.WriteLine($"[latency] one {options.LatencyLines:N0}-line document in the generated corpus...");
    var context = generated ?? Corpus.Generated(Math.Min(options.Lines, 20_000), options.Seed, "generated");
    var text = new CorpusGenerator(options.Seed + 1).GenerateFile(options.LatencyLines).Replace("namespace Contoso.Module0;", "namespace Contoso.Edited;", StringComparison.Ordinal);
    var document = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text, context.Trees[0].Options as Microsoft.CodeAnalysis.CSharp.CSharpParseOptions, "Edited/Document.cs");
    var latency = await Measurements.LatencyAsync(context, document, ours, settings);
    report.AddLatency(latency);
}

var markdown = report.Render(DateTime.UtcNow - started);
Console.WriteLine(markdown);
var outPath = Path.GetFullPath(options.Output ?? Path.Combine(repoRoot, "artifacts", "bench", "results.md"));
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
File.WriteAllText(outPath, markdown);
log.WriteLine($"Written to {outPath}");

if (options.Check && report.Failures.Count > 0)
{
    log.WriteLine($"Budget check failed: {report.Failures.Count} budget(s) exceeded:");
    foreach (var failure in report.Failures)
    {
        log.WriteLine("  " + failure);
    }

    return 1;
}

return 0;

namespace GracefulStop.Bench
{
    public sealed class BenchOptions
    {
        public const string Usage = """
            GracefulStop benchmark: every GS analyzer beside the compiler and the peer analyzers, in one process.

            dotnet run -c Release --project bench/GracefulStop.Bench -- [options]

              --lines N          size of the generated corpus in lines (default 200000)
              --seed N           seed of the generated corpus (default 1)
              --folder [NAME=]PATH[,PATH...]  also measure every .cs file under PATH as one compilation (repeatable), e.g. a checkout of a public repository
              --no-generated     skip the generated corpus (and scaling and latency context falls back to a small one)
              --no-src           skip the project's own src/
              --no-peers         measure GS analyzers only
              --implicit-usings  give the next --folder the SDK's implicit global usings (also on when a .csproj there enables them)
              --reference DLL    an extra metadata reference for the --folder corpora (repeatable)
              --no-scaling       skip the 1x/2x/4x scaling runs
              --scaling-base N   lines of the 1x scaling corpus (default: a quarter of --lines, so 4x is the default corpus)
              --no-latency       skip the single-document latency measure
              --runs N           measured runs per measure, the median is reported (default 3)
              --warmup N         warm-up runs before measuring (default 1)
              --latency-runs N   measured edits for the latency measure (default 40)
              --latency-lines N  size of the edited document (default 1000)
              --concurrent       compile and analyze concurrently (default: single-threaded, so times are CPU-like and stable)
              --quick            a fast run: 20,000 lines, 3 runs, 20 latency edits
              --check            exit with code 1 when a budget of issue 7 is exceeded
              --out FILE         where to write the Markdown (default artifacts/bench/results.md)

            Real builds (issue 19): instead of the in-process measures, time `dotnet build --no-incremental` of real projects
            with and without the package (and the floor package), interleaved; --check applies the real-build budgets.
              --real-build NAME=PROJECT  a project file to build (repeatable); the project is not edited: the package is
                                 added through CustomAfterMicrosoftCommonTargets, each arm builds into its own artifacts folder
              --build-arg ARG    an argument for every build of the last --real-build, e.g. -p:TargetFrameworks=net8.0
              --pairs N          rounds, each one build of every arm (default 10; with --baseline, pairs of analyses, default 8)
              --compiler MODE    warm (the compiler server), cold (UseSharedCompilation=false) or both (default both)
              --no-floor         skip the floor package
              --profile-runs N   untimed builds per arm with -p:ReportAnalyzer=true (default 1)
              --work DIR         where the feed and the builds' artifacts go (default a new temporary folder)

            A/B of two builds (for developers): instead of the in-process measures, the GS analyzers of another build (A) against
            this build's (B), on the generated corpus and every --folder, in one process; budgets are not checked.
              --baseline DLL     the other build's GracefulStop.Analyzers.dll (e.g. a Release build of an older commit), loaded
                                 in its own AssemblyLoadContext; each pair analyses a fresh compilation per arm, the order
                                 alternating pair by pair; reported per analyzer and for all together: median ms of A and B,
                                 median of the per-pair B/A ratios and their min-max (--pairs, --warmup, --quick, --lines apply)
            """;

        public int Lines { get; private set; } = 200_000;

        public int Seed { get; private set; } = 1;

        public List<(string? Name, string Path, bool ImplicitUsings)> Folders { get; } = new();

        public List<string> References { get; } = new();

        public bool ImplicitUsings { get; private set; }

        public int ScalingBase { get; private set; }

        public bool Generated { get; private set; } = true;

        public bool OwnSources { get; private set; } = true;

        public bool Peers { get; private set; } = true;

        public bool Scaling { get; private set; } = true;

        public bool Latency { get; private set; } = true;

        public int Runs { get; private set; } = 3;

        public int Warmup { get; private set; } = 1;

        public int LatencyRuns { get; private set; } = 40;

        public int LatencyLines { get; private set; } = 1000;

        public bool Concurrent { get; private set; }

        public bool Quick { get; private set; }

        public bool Check { get; private set; }

        public string? Output { get; private set; }

        /// <summary>The other build's GracefulStop.Analyzers.dll for an A/B comparison, or null.</summary>
        public string? Baseline { get; private set; }

        /// <summary>Pairs of analyses in an A/B comparison.</summary>
        public int BaselinePairs { get; private set; } = 8;

        public GracefulStop.Bench.RealBuild.RealBuildSettings RealBuild { get; } = new();

        public static BenchOptions? Parse(string[] args)
        {
            var options = new BenchOptions();
            var explicitLines = false;
            var explicitRuns = false;
            var explicitLatencyRuns = false;
            int? pairs = null;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int NextInt() => int.Parse(Next().Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--lines": options.Lines = NextInt(); explicitLines = true; break;
                    case "--seed": options.Seed = NextInt(); break;
                    case "--folder":
                        var value = Next();
                        var eq = value.IndexOf('=', StringComparison.Ordinal);
                        options.Folders.Add(eq > 0 ? (value[..eq], value[(eq + 1)..], options.ImplicitUsings) : (null, value, options.ImplicitUsings));
                        options.ImplicitUsings = false;
                        break;
                    case "--no-generated": options.Generated = false; break;
                    case "--no-src": options.OwnSources = false; break;
                    case "--no-peers": options.Peers = false; break;
                    case "--reference": options.References.Add(Next()); break;
                    case "--implicit-usings": options.ImplicitUsings = true; break;
                    case "--no-scaling": options.Scaling = false; break;
                    case "--scaling-base": options.ScalingBase = Math.Max(1_000, NextInt()); break;
                    case "--no-latency": options.Latency = false; break;
                    case "--runs": options.Runs = Math.Max(1, NextInt()); explicitRuns = true; break;
                    case "--warmup": options.Warmup = Math.Max(0, NextInt()); break;
                    case "--latency-runs": options.LatencyRuns = Math.Max(1, NextInt()); explicitLatencyRuns = true; break;
                    case "--latency-lines": options.LatencyLines = Math.Max(100, NextInt()); break;
                    case "--concurrent": options.Concurrent = true; break;
                    case "--quick": options.Quick = true; break;
                    case "--check": options.Check = true; break;
                    case "--out": options.Output = Next(); break;
                    case "--real-build":
                        var target = Next();
                        var split = target.IndexOf('=', StringComparison.Ordinal);
                        options.RealBuild.Targets.Add(split > 0
                            ? new(target[..split], target[(split + 1)..], new List<string>())
                            : new(Path.GetFileNameWithoutExtension(target), target, new List<string>()));
                        break;
                    case "--build-arg":
                        if (options.RealBuild.Targets.Count == 0 || options.RealBuild.Targets[^1].BuildArguments is not List<string> buildArguments)
                        {
                            Console.Error.WriteLine("--build-arg must follow a --real-build");
                            return null;
                        }

                        buildArguments.Add(Next());
                        break;
                    case "--pairs": pairs = Math.Max(1, NextInt()); break;
                    case "--baseline": options.Baseline = Next(); break;
                    case "--profile-runs": options.RealBuild.ProfileRuns = Math.Max(0, NextInt()); break;
                    case "--no-floor": options.RealBuild.Floor = false; break;
                    case "--work": options.RealBuild.WorkRoot = Path.GetFullPath(Next()); break;
                    case "--compiler":
                        var modes = Next() switch
                        {
                            "warm" => new[] { GracefulStop.Bench.RealBuild.CompilerMode.WarmServer },
                            "cold" => new[] { GracefulStop.Bench.RealBuild.CompilerMode.NoServer },
                            "both" => new[] { GracefulStop.Bench.RealBuild.CompilerMode.WarmServer, GracefulStop.Bench.RealBuild.CompilerMode.NoServer },
                            var other => null,
                        };
                        if (modes is null)
                        {
                            Console.Error.WriteLine("--compiler takes warm, cold or both");
                            return null;
                        }

                        options.RealBuild.Modes.Clear();
                        options.RealBuild.Modes.AddRange(modes);
                        break;
                    case "-h" or "--help" or "-?": return null;
                    default:
                        Console.Error.WriteLine($"unknown option {args[i]}");
                        return null;
                }
            }

            if (options.Quick)
            {
                options.Lines = explicitLines ? options.Lines : 20_000;
                options.Runs = explicitRuns ? options.Runs : 3;
                options.LatencyRuns = explicitLatencyRuns ? options.LatencyRuns : 20;
            }

            if (pairs is { } given)
            {
                options.RealBuild.Pairs = given;
                options.BaselinePairs = given;
            }

            if (options.ScalingBase == 0)
            {
                options.ScalingBase = Math.Max(1_000, options.Lines / 4);
            }

            return options;
        }
    }
}
