using System.Text;

namespace GracefulStop.Validate;

/// <summary>Writes <c>reports.md</c> (counts, then every report with its source) and <c>reports.tsv</c> (one report a line).</summary>
public static class ReportWriter
{
    public static void Write(string folder, IReadOnlyList<Site> sites, IReadOnlyList<ProjectResult> projects, IReadOnlyList<string> exceptions)
    {
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        md.AppendLine("# GracefulStop validation reports").AppendLine();
        md.AppendLine($"Analyzer exceptions: **{exceptions.Count}**").AppendLine();
        foreach (var exception in exceptions)
        {
            md.AppendLine($"- {exception}");
        }

        md.AppendLine().AppendLine("## Reports per rule").AppendLine().AppendLine("| Rule | Reports |").AppendLine("|---|---|");
        foreach (var group in sites.GroupBy(s => s.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            md.AppendLine($"| {group.Key} | {group.Count()} |");
        }

        md.AppendLine().AppendLine("## Projects").AppendLine().AppendLine("| Repository | Project | Target | Style | Files | Compile errors | Reports | Commonest error |").AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var p in projects)
        {
            md.AppendLine($"| {p.Repo} | {p.Project} | {p.Target} | {(p.SdkStyle ? "SDK" : "old")} | {p.Files} | {p.Errors} | {p.Reports} | {p.CommonestError.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        foreach (var repo in projects.GroupBy(p => p.Repo))
        {
            md.AppendLine($"\n{repo.Key}: {repo.Sum(p => p.Files)} files in {repo.Count()} projects, {repo.Count(p => p.Errors == 0)} projects without compile errors, {repo.Sum(p => p.Errors)} errors in all.");
        }

        md.AppendLine().AppendLine("## Reports").AppendLine();
        foreach (var site in sites)
        {
            md.AppendLine($"### `{site.Id}`").AppendLine();
            md.AppendLine($"{site.Rule} ({site.Severity}) at `{site.Repo}/{site.Path}:{site.Line}` (project `{site.Project}`, {site.Target}): {site.Message}").AppendLine();
            md.AppendLine("```csharp");
            for (var i = 0; i < site.Context.Count; i++)
            {
                var number = site.ContextStart + i;
                md.AppendLine($"{(number == site.Line ? ">" : " ")}{number,5}: {site.Context[i]}");
            }

            md.AppendLine("```").AppendLine();
        }

        File.WriteAllText(Path.Combine(folder, "reports.md"), md.ToString());

        var tsv = new StringBuilder("site\trule\tseverity\tfile\tline\tmessage\n");
        foreach (var site in sites)
        {
            tsv.AppendLine($"{site.Id}\t{site.Rule}\t{site.Severity}\t{site.Repo}/{site.Path}\t{site.Line}\t{site.Message.Replace('\t', ' ').Replace('\n', ' ')}");
        }

        File.WriteAllText(Path.Combine(folder, "reports.tsv"), tsv.ToString());
    }
}
