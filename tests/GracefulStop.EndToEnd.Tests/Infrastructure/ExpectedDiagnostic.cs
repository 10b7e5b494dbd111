using System.Text.RegularExpressions;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A diagnostic a consumer source file asks for with a trailing comment on the reported line:
/// <c>// expect: GS0001</c> (fixed by <c>dotnet format</c>) or <c>// expect-nofix: GS0006</c> (no fix offered),
/// several IDs separated by commas.
/// </summary>
public sealed record ExpectedDiagnostic(string File, int Line, string Id, bool Fixable)
{
    private static readonly Regex Marker = new(
        @"//\s*expect(?<nofix>-nofix)?:\s*(?<ids>GS\d{4}(?:\s*,\s*GS\d{4})*)",
        RegexOptions.CultureInvariant);

    public static IReadOnlyList<ExpectedDiagnostic> Read(string projectDirectory)
    {
        var expected = new List<ExpectedDiagnostic>();
        foreach (var path in Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = BuildDiagnostic.Relative(projectDirectory, path);
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = System.IO.File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in Marker.Matches(lines[i]))
                {
                    foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        expected.Add(new ExpectedDiagnostic(relative, i + 1, id, !match.Groups["nofix"].Success));
                    }
                }
            }
        }

        return expected;
    }

    public override string ToString() => $"{File}({Line}): {Id}{(Fixable ? string.Empty : " (no fix)")}";
}
