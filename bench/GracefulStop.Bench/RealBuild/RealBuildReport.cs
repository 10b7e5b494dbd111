using System.Text;

namespace GracefulStop.Bench.RealBuild;

/// <summary>
/// The real-build table and its budgets: the package adds at most 2 % to a build with the warm compiler server and 4 %
/// without it (median of the pair ratios); where the floor package alone costs more than that, at most the floor's
/// median plus one point.
/// </summary>
public static class RealBuildReport
{
    public const double WarmServerBudget = 1.02;
    public const double NoServerBudget = 1.04;
    public const double AboveFloor = 0.01;

    public static string Render(IReadOnlyList<RealBuildRun> runs, List<string> failures)
    {
        var text = new StringBuilder();
        text.AppendLine("## Real builds: `dotnet build --no-incremental`, with and without the package");
        text.AppendLine();
        text.AppendLine("| Project | Compiler | Pairs | Without (median s) | With GracefulStop (median s) | Ratio: median (min–max) | Floor ratio: median (min–max) | Budget | GS analyzers (ReportAnalyzer) | All analyzers, without → with | Csc task, without → with |");
        text.AppendLine("|---|---|--:|--:|--:|---|---|---|--:|---|---|");
        foreach (var run in runs)
        {
            var without = run.Arms[0];
            var package = run.Arms[1];
            var floor = run.Arms.Count > 2 ? run.Arms[2] : null;
            var ratio = Stats.Of(run.Ratios(package));
            var floorRatio = floor is null ? (Stats?)null : Stats.Of(run.Ratios(floor));
            var budget = Budget(run.Mode, floorRatio?.Median);
            var met = ratio.Median <= budget;
            if (!met)
            {
                failures.Add($"real build {run.Target.Name} ({Mode(run.Mode)}): the package adds {Percent(ratio.Median)}, budget {Percent(budget)}");
            }

            var baseProfile = run.Profile(without);
            var packageProfile = run.Profile(package);
            text.Append($"| {run.Target.Name} | {Mode(run.Mode)} | {run.Rounds.Count} ");
            text.Append($"| {Stats.Of(run.Seconds(without)).Median:F2} | {Stats.Of(run.Seconds(package)).Median:F2} ");
            text.Append($"| {ratio.Median:F3} ({ratio.Min:F3}–{ratio.Max:F3}) ");
            text.Append(floorRatio is { } f ? $"| {f.Median:F3} ({f.Min:F3}–{f.Max:F3}) " : "| — ");
            text.Append($"| ≤ {budget:F3} {(met ? "met" : "**exceeded**")} ");
            text.Append(packageProfile is null ? "| — " : $"| {packageProfile.AssemblySeconds:F3} s ");
            text.Append(baseProfile is null || packageProfile is null ? "| — " : $"| {baseProfile.TotalAnalyzerSeconds:F2} → {packageProfile.TotalAnalyzerSeconds:F2} s ");
            text.Append(baseProfile is null || packageProfile is null ? "| — " : $"| {baseProfile.CscSeconds:F2} → {packageProfile.CscSeconds:F2} s ");
            text.AppendLine("|");
        }

        text.AppendLine();
        text.AppendLine("Each round builds every arm once, in an order that rotates from round to round; a pair is one arm's wall time ÷ the");
        text.AppendLine("build without the package in the same round. The floor is a package with one analyzer that registers an operation");
        text.AppendLine("action and does nothing (`bench/GracefulStop.Bench.Floor`). The last three columns come from untimed builds with");
        text.AppendLine("`-p:ReportAnalyzer=true -clp:PerformanceSummary` (analyzer time is summed over threads; the Csc task's time is wall time).");
        return text.ToString();
    }

    public static double Budget(CompilerMode mode, double? floorMedian)
    {
        var limit = mode == CompilerMode.WarmServer ? WarmServerBudget : NoServerBudget;
        return floorMedian is { } floor && floor > limit ? floor + AboveFloor : limit;
    }

    private static string Mode(CompilerMode mode) =>
        mode == CompilerMode.WarmServer ? "warm server" : "UseSharedCompilation=false";

    private static string Percent(double ratio) => $"{(ratio - 1) * 100:+0.0;-0.0} %";

    private readonly record struct Stats(double Median, double Min, double Max)
    {
        public static Stats Of(double[] values) => new(Measurements.Median(values.ToList()), values.Min(), values.Max());
    }
}
