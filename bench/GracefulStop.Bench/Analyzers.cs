using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Bench;

/// <summary>An analyzer under measurement: ours (GS) or a peer, with the rules it is measured for.</summary>
public sealed record BenchAnalyzer(string Name, DiagnosticAnalyzer Analyzer, bool IsOurs, string Rules, string Package)
{
    public string Label => IsOurs ? $"{Name} ({Rules})" : $"{Rules} — {Package} {Name}";
}

/// <summary>A peer whose analyzer is measured beside ours: the package, the DLLs, and the rules to switch on.</summary>
public sealed record PeerSpec(string Key, string Package, string[] Dlls, string[] RuleIds);

public static class AnalyzerCatalog
{
    /// <summary>Every GS analyzer in the GracefulStop.Analyzers assembly, found by reflection, so new rules are measured too.</summary>
    public static ImmutableArray<BenchAnalyzer> LoadOurs() => LoadGs(typeof(GracefulStop.Analyzers.RuleIds).Assembly);

    /// <summary>Every GS analyzer in the given build of GracefulStop.Analyzers (this one, or a baseline loaded apart).</summary>
    public static ImmutableArray<BenchAnalyzer> LoadGs(Assembly assembly)
    {
        var builder = ImmutableArray.CreateBuilder<BenchAnalyzer>();
        foreach (var type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
                || type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null)
            {
                continue;
            }

            var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
            var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal);
            builder.Add(new BenchAnalyzer(type.Name, analyzer, IsOurs: true, string.Join("/", ids), "GracefulStop.Analyzers"));
        }

        return builder.ToImmutable();
    }

    public static readonly PeerSpec[] Peers =
    [
        new("NetAnalyzers", "Microsoft.CodeAnalysis.NetAnalyzers",
            ["analyzers/dotnet/cs/Microsoft.CodeAnalysis.NetAnalyzers.dll", "analyzers/dotnet/cs/Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"],
            ["CA2016"]),
        new("Meziantou", "Meziantou.Analyzer", ["analyzers/dotnet/{roslyn}/cs/Meziantou.Analyzer.dll"], ["MA0032", "MA0040"]),
        new("Sonar", "SonarAnalyzer.CSharp", ["analyzers/SonarAnalyzer.CSharp.dll"], ["S8949"]),
        new("VsThreading", "Microsoft.VisualStudio.Threading.Analyzers",
            ["analyzers/cs/Microsoft.VisualStudio.Threading.Analyzers.dll", "analyzers/cs/Microsoft.VisualStudio.Threading.Analyzers.CSharp.dll"],
            ["VSTHRD002", "VSTHRD103"]),
    ];

    /// <summary>The peer analyzers whose supported diagnostics include a rule of interest, one entry per analyzer instance.</summary>
    public static ImmutableArray<BenchAnalyzer> LoadPeers(TextWriter log)
    {
        var builder = ImmutableArray.CreateBuilder<BenchAnalyzer>();
        var loader = new LoadFromLoader();
        foreach (var peer in Peers)
        {
            var root = Metadata("PeerPath." + peer.Key);
            if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
            {
                log.WriteLine($"warning: package {peer.Package} not found at '{root}'; its analyzer is not measured");
                continue;
            }

            var version = Path.GetFileName(root.TrimEnd('/', '\\'));
            var references = new List<AnalyzerFileReference>();
            foreach (var relative in peer.Dlls)
            {
                var path = Path.Combine(root, ResolveRoslynFolder(root, relative));
                if (!File.Exists(path))
                {
                    log.WriteLine($"warning: {path} not found");
                    continue;
                }

                loader.AddDependencyLocation(path);
                references.Add(new AnalyzerFileReference(path, loader));
            }

            foreach (var reference in references)
            {
                foreach (var analyzer in reference.GetAnalyzers(LanguageNames.CSharp))
                {
                    ImmutableArray<DiagnosticDescriptor> supported;
                    try
                    {
                        supported = analyzer.SupportedDiagnostics;
                    }
                    catch (Exception)
                    {
                        continue;
                    }

                    var matched = peer.RuleIds.Where(id => supported.Any(d => d.Id == id)).ToArray();
                    if (matched.Length > 0)
                    {
                        builder.Add(new BenchAnalyzer(analyzer.GetType().Name, analyzer, IsOurs: false, string.Join("/", matched), $"{peer.Package} {version}"));
                    }
                }
            }

            foreach (var id in peer.RuleIds)
            {
                if (!builder.Any(a => !a.IsOurs && a.Rules.Split('/').Contains(id)))
                {
                    log.WriteLine($"warning: no analyzer for {id} found in {peer.Package}");
                }
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Every rule of the measured analyzers switched on as a warning (peers ship some of them off).</summary>
    public static ImmutableDictionary<string, ReportDiagnostic> SwitchOn(IEnumerable<BenchAnalyzer> analyzers)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, ReportDiagnostic>();
        foreach (var analyzer in analyzers)
        {
            foreach (var id in analyzer.Rules.Split('/'))
            {
                builder[id] = ReportDiagnostic.Warn;
            }

            if (analyzer.IsOurs)
            {
                foreach (var descriptor in analyzer.Analyzer.SupportedDiagnostics)
                {
                    builder[descriptor.Id] = ReportDiagnostic.Warn;
                }
            }
        }

        return builder.ToImmutable();
    }

    public static string? Metadata(string key) =>
        typeof(AnalyzerCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    /// <summary>Meziantou ships one build per Roslyn version: take the newest not newer than the Roslyn in this process.</summary>
    private static string ResolveRoslynFolder(string root, string relative)
    {
        if (!relative.Contains("{roslyn}", StringComparison.Ordinal))
        {
            return relative;
        }

        var host = typeof(Compilation).Assembly.GetName().Version!;
        var parent = Path.Combine(root, relative[..relative.IndexOf("{roslyn}", StringComparison.Ordinal)]);
        var best = Directory.Exists(parent)
            ? Directory.GetDirectories(parent, "roslyn*")
                .Select(d => (Dir: Path.GetFileName(d), Version: Version.TryParse(Path.GetFileName(d)["roslyn".Length..], out var v) ? v : null))
                .Where(x => x.Version is not null && x.Version <= new Version(host.Major, host.Minor))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault()
            : null;
        return relative.Replace("{roslyn}", best ?? "roslyn4.14", StringComparison.Ordinal);
    }

    private sealed class LoadFromLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
