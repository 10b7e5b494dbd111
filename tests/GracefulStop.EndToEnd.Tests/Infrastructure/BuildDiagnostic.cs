using System.Text.RegularExpressions;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>One diagnostic as MSBuild prints it: <c>path(line,column): warning ID: message [project]</c>.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
{
    private static readonly Regex Pattern = new(
        @"^\s*(?<file>[^\s].*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error|info) (?<id>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]*\])?$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The distinct diagnostics of a build log (MSBuild repeats each one in its summary).</summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string output) =>
        Pattern.Matches(output.Replace("\r", string.Empty, StringComparison.Ordinal))
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value.Trim(),
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["severity"].Value,
                m.Groups["id"].Value,
                m.Groups["message"].Value))
            .Distinct()
            .ToList();

    /// <summary>The diagnostics of this package's rules, with paths relative to <paramref name="projectDirectory"/>.</summary>
    public static IReadOnlyList<BuildDiagnostic> ParseRules(string output, string projectDirectory) =>
        Parse(output)
            .Where(d => IsRuleId(d.Id))
            .Select(d => d with { File = Relative(projectDirectory, d.File) })
            .Distinct()
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>An ID of one of the package's rules: GS and four digits.</summary>
    public static bool IsRuleId(string id) => id.Length == 6 && id.StartsWith("GS", StringComparison.Ordinal) && id[2..].All(char.IsAsciiDigit);

    public static string Relative(string directory, string path) =>
        Path.IsPathRooted(path) ? Path.GetRelativePath(directory, path).Replace('\\', '/') : path.Replace('\\', '/');

    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}
