using GracefulStop.Tests.Harness;
using System.Globalization;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Tests.Meta;

/// <summary>README's rule table is checked against the descriptors and fixers, so it cannot go stale.</summary>
public sealed class ReadmeRuleTableTests
{
    private const string Header = "| ID | Title | Category | Default severity | Code fix |";

    private sealed record Row(string Id, string Link, string Title, string Category, string Severity, string CodeFix)
    {
        public override string ToString() => $"| [{Id}]({Link}) | {Title} | {Category} | {Severity} | {CodeFix} |";
    }

    private static IReadOnlyList<Row> TableRows()
    {
        var lines = RepositoryFiles.Read("README.md").Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var start = Array.IndexOf(lines, Header);
        Assert.True(start >= 0, $"README.md has no rule table starting with '{Header}'");

        var rows = new List<Row>();
        foreach (var line in lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 5, "Malformed rule table row: " + line);
            var id = cells[0];
            var link = string.Empty;
            if (id.StartsWith('[') && id.IndexOf("](", StringComparison.Ordinal) is var split and > 0 && id.EndsWith(')'))
            {
                link = id[(split + 2)..^1];
                id = id[1..split];
            }

            rows.Add(new Row(id, link, cells[1], cells[2], cells[3], cells[4]));
        }

        return rows;
    }

    private static IReadOnlyList<Row> ExpectedRows()
    {
        var fixable = AllRules.CreateCodeFixes().SelectMany(f => f.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);
        return AllRules.Descriptors
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var descriptor = g.First();
                return new Row(
                    g.Key,
                    $"docs/rules/{g.Key}.md",
                    descriptor.Title.ToString(CultureInfo.InvariantCulture),
                    descriptor.Category,
                    SeverityName(descriptor.DefaultSeverity),
                    fixable.Contains(g.Key) ? "Yes" : "No");
            })
            .ToList();
    }

    private static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "Error",
        DiagnosticSeverity.Warning => "Warning",
        DiagnosticSeverity.Info => "Info",
        _ => "Hidden",
    };

    [Fact]
    public void Readme_rule_table_has_one_row_per_rule_matching_its_descriptor_and_fixer()
    {
        var expected = ExpectedRows().Select(r => r.ToString()).ToArray();
        var actual = TableRows().OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToString()).ToArray();

        Assert.True(
            expected.SequenceEqual(actual),
            "README.md's rule table is stale. Expected rows (sorted by ID):\n" + string.Join("\n", expected) +
            "\n\nActual rows:\n" + string.Join("\n", actual));
    }

    [Fact]
    public void Descriptors_of_one_rule_agree_on_title_category_and_severity()
    {
        foreach (var rule in AllRules.Descriptors.GroupBy(d => d.Id, StringComparer.Ordinal))
        {
            Assert.Single(rule.Select(d => (d.Title.ToString(CultureInfo.InvariantCulture), d.Category, d.DefaultSeverity, d.IsEnabledByDefault)).Distinct());
        }
    }
}
