using System.Text;

namespace GracefulStop.Validate;

/// <summary>One judged site: <c>site id &lt;TAB&gt; correct|false-positive &lt;TAB&gt; reason</c>.</summary>
public sealed record Judgement(string Site, bool Correct, string Reason);

/// <summary>
/// The judgements file (lines starting with <c>#</c> are comments) and its comparison with a run: precision per rule over
/// the judged sites, the sites reported now that nobody judged, and the judged sites no longer reported.
/// </summary>
public static class Judgements
{
    public static Dictionary<string, Judgement> Read(string path)
    {
        var judgements = new Dictionary<string, Judgement>(StringComparer.Ordinal);
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 2 || fields[1] is not ("correct" or "false-positive"))
            {
                throw new FormatException($"{path}:{number}: expected 'site<TAB>correct|false-positive<TAB>reason'");
            }

            judgements[fields[0]] = new Judgement(fields[0], fields[1] == "correct", fields.Length > 2 ? fields[2] : string.Empty);
        }

        return judgements;
    }

    public static string Compare(IReadOnlyList<Site> sites, Dictionary<string, Judgement> judgements)
    {
        var text = new StringBuilder();
        text.AppendLine("| Rule | Reports | Judged | Correct | False positives | Precision (judged) |").AppendLine("|---|---|---|---|---|---|");
        foreach (var group in sites.GroupBy(s => s.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var judged = group.Select(s => judgements.GetValueOrDefault(s.Id)).Where(j => j is not null).ToList();
            var correct = judged.Count(j => j!.Correct);
            var precision = judged.Count == 0 ? "–" : $"{100.0 * correct / judged.Count:F0} %";
            text.AppendLine($"| {group.Key} | {group.Count()} | {judged.Count} | {correct} | {judged.Count - correct} | {precision} |");
        }

        var all = sites.Select(s => judgements.GetValueOrDefault(s.Id)).Where(j => j is not null).ToList();
        text.AppendLine($"| all | {sites.Count} | {all.Count} | {all.Count(j => j!.Correct)} | {all.Count(j => !j!.Correct)} | {(all.Count == 0 ? "–" : $"{100.0 * all.Count(j => j!.Correct) / all.Count:F0} %")} |");

        var reported = sites.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var unjudged = sites.Where(s => !judgements.ContainsKey(s.Id)).ToList();
        text.AppendLine().AppendLine($"New (unjudged) sites: {unjudged.Count}");
        foreach (var site in unjudged)
        {
            text.AppendLine($"- {site.Id} ({site.Repo}/{site.Path}:{site.Line}) {site.Message}");
        }

        var gone = judgements.Values.Where(j => !reported.Contains(j.Site)).OrderBy(j => j.Site, StringComparer.Ordinal).ToList();
        text.AppendLine().AppendLine($"Gone (judged, no longer reported): {gone.Count}");
        foreach (var judgement in gone)
        {
            text.AppendLine($"- {judgement.Site} (was {(judgement.Correct ? "correct" : "false-positive")}: {judgement.Reason})");
        }

        return text.ToString();
    }
}
