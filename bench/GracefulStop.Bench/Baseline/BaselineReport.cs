using System.Globalization;
using System.Text;

namespace GracefulStop.Bench.Baseline;

/// <summary>The Markdown of an A/B comparison: per corpus, each GS analyzer's medians and its per-pair B/A ratios.</summary>
public sealed class BaselineReport(string describeA, string describeB, int pairs, int warmup)
{
    private readonly StringBuilder _corpora = new();

    public void AddCorpus(Corpus corpus, ArmRuns a, ArmRuns b)
    {
        var text = _corpora;
        text.AppendLine(CultureInfo.InvariantCulture, $"### {corpus.Name}: {corpus.Lines:N0} lines in {corpus.Trees.Length} files, {a.AllGs.Count} pairs");
        text.AppendLine();
        text.AppendLine("| Analyzer | A median ms | B median ms | B/A: median of pairs (min–max) |");
        text.AppendLine("|---|--:|--:|---|");
        foreach (var name in a.PerAnalyzer.Keys.Union(b.PerAnalyzer.Keys).Order(StringComparer.Ordinal))
        {
            a.PerAnalyzer.TryGetValue(name, out var timesA);
            b.PerAnalyzer.TryGetValue(name, out var timesB);
            text.AppendLine(Row(name, timesA, timesB));
        }

        text.AppendLine(Row($"**All GS analyzers** ({a.PerAnalyzer.Count} in A, {b.PerAnalyzer.Count} in B)", a.AllGs, b.AllGs));
        text.AppendLine(Row("Analysis wall time (driver, reference analyzer and GS)", a.Wall, b.Wall));
        text.AppendLine(Row("Analysis CPU time of the process (the same)", a.Cpu, b.Cpu));
        text.AppendLine();
        text.AppendLine(SameDiagnostics(a, b));
        text.AppendLine();
    }

    public string Render(TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("## A/B: two builds of the GS analyzers");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- A (baseline): {describeA}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- B (this build): {describeB}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {pairs} pairs after {warmup} warm-up pair(s); each pair analyses a fresh compilation per arm, A first in even pairs and B first in odd ones; every rule on as a warning; single-threaded unless `--concurrent`. Run took {elapsed.TotalMinutes:F1} min.");
        text.AppendLine();
        text.Append(_corpora);
        return text.ToString();
    }

    private static string Row(string name, List<double>? a, List<double>? b)
    {
        string Ms(List<double>? v) => v is null ? "—" : Measurements.Median(v).ToString("F2", CultureInfo.InvariantCulture);
        var ratio = "—";
        if (a is not null && b is not null)
        {
            var ratios = a.Zip(b, (x, y) => x > 0 ? y / x : double.NaN).Where(r => !double.IsNaN(r)).ToList();
            if (ratios.Count > 0)
            {
                ratio = string.Create(CultureInfo.InvariantCulture, $"{Measurements.Median(ratios):F3} ({ratios.Min():F3}–{ratios.Max():F3})");
            }
        }

        return $"| {name} | {Ms(a)} | {Ms(b)} | {ratio} |";
    }

    private static string SameDiagnostics(ArmRuns a, ArmRuns b)
    {
        var ids = a.DiagnosticsById.Keys.Union(b.DiagnosticsById.Keys).Order(StringComparer.Ordinal).ToList();
        var differ = ids.Where(id => a.DiagnosticsById.GetValueOrDefault(id) != b.DiagnosticsById.GetValueOrDefault(id)).ToList();
        var all = string.Join(", ", ids.Select(id => $"{id} {a.DiagnosticsById.GetValueOrDefault(id)}"));
        return differ.Count == 0
            ? $"GS diagnostics identical in both arms: {(all.Length == 0 ? "none" : all)}."
            : "**GS diagnostics differ:** " + string.Join(", ", differ.Select(id => $"{id} A {a.DiagnosticsById.GetValueOrDefault(id)}, B {b.DiagnosticsById.GetValueOrDefault(id)}")) + ".";
    }
}
