namespace GracefulStop.Bench.RealBuild;

/// <summary>The <c>--real-build</c> mode: runs the real-build benchmark, prints and writes its table, checks its budgets.</summary>
public static class RealBuildCommand
{
    public static async Task<int> RunAsync(BenchOptions options, string repoRoot, TextWriter log)
    {
        var started = DateTime.UtcNow;
        var runs = await new RealBuildBenchmark(options.RealBuild, log).RunAsync(repoRoot);
        var failures = new List<string>();
        var markdown = RealBuildReport.Render(runs, failures)
            + $"\nMeasured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC in {(DateTime.UtcNow - started).TotalMinutes:F1} minutes on {Environment.ProcessorCount} processors.\n";
        Console.WriteLine(markdown);
        var outPath = Path.GetFullPath(options.Output ?? Path.Combine(repoRoot, "artifacts", "bench", "real-build.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        File.WriteAllText(outPath, markdown);
        log.WriteLine($"Written to {outPath}");
        if (options.Check && failures.Count > 0)
        {
            log.WriteLine($"Budget check failed: {failures.Count} budget(s) exceeded:");
            foreach (var failure in failures)
            {
                log.WriteLine("  " + failure);
            }

            return 1;
        }

        return 0;
    }
}
