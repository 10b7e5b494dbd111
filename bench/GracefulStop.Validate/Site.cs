using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Validate;

/// <summary>
/// One report and where it is. Its id survives edits elsewhere in the file: repository, relative path, rule and a hash of
/// the reported line's text (whitespace removed), plus <c>#2</c>, <c>#3</c>... when the same line text is reported more than
/// once in a file for a rule.
/// </summary>
public sealed record Site(string Repo, string Path, string Rule, string Severity, string Message, int Line, string Project, string Target, IReadOnlyList<string> Context, int ContextStart)
{
    public const int ContextLines = 8;

    public string Hash { get; init; } = string.Empty;

    public int Occurrence { get; init; } = 1;

    public string Id => $"{Repo}/{Path}:{Rule}:{Hash}" + (Occurrence > 1 ? $"#{Occurrence}" : string.Empty);

    public static Site From(RepositoryLayout layout, ProjectFile project, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var text = diagnostic.Location.SourceTree!.GetText();
        var line = span.StartLinePosition.Line;
        var first = Math.Max(0, line - ContextLines);
        var last = Math.Min(text.Lines.Count - 1, line + ContextLines);
        var context = Enumerable.Range(first, last - first + 1).Select(i => text.Lines[i].ToString()).ToList();
        var normalized = Regex.Replace(text.Lines[line].ToString(), @"\s+", string.Empty, RegexOptions.None, RegexTimeout.Value);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))[..8];
        return new Site(
            layout.Name,
            layout.Relative(span.Path),
            diagnostic.Id,
            diagnostic.Severity.ToString(),
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            line + 1,
            layout.Relative(project.Path),
            project.Target.Moniker,
            context,
            first + 1)
        { Hash = hash };
    }

    /// <summary>Sorted by place, with the occurrence numbers of repeated line texts assigned in that order.</summary>
    public static List<Site> Number(IEnumerable<Site> sites)
    {
        var sorted = sites.OrderBy(s => s.Repo, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal)
            .ThenBy(s => s.Line).ThenBy(s => s.Rule, StringComparer.Ordinal).ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbered = new List<Site>();
        foreach (var site in sorted)
        {
            var key = $"{site.Repo}/{site.Path}:{site.Rule}:{site.Hash}";
            var count = seen[key] = seen.GetValueOrDefault(key) + 1;
            numbered.Add(site with { Occurrence = count });
        }

        return numbered;
    }
}
