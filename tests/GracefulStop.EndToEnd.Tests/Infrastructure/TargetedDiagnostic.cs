using System.Text.RegularExpressions;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A rule's diagnostic as the build of a multi-targeted project prints it, with the target framework MSBuild names in
/// the trailing <c>[project::TargetFramework=net8.0]</c> (the SDK builds and reports each target separately).
/// </summary>
public sealed record TargetedDiagnostic(string TargetFramework, string File, int Line, string Id, string Message)
{
    private static readonly Regex Pattern = new(
        @"^\s*(?<file>[^\s].*?)\((?<line>\d+),\d+(?:,\d+,\d+)?\): (?:warning|error|info) (?<id>GS\d{4}): (?<message>.*?) \([^()\s]*\) \[[^\]]*::TargetFramework=(?<tfm>[^\]]+)\]$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Every line of a build log (with its summary repeats) for one of the package's rules, paths relative to <paramref name="projectDirectory"/>.</summary>
    public static IReadOnlyList<TargetedDiagnostic> ParseAll(string output, string projectDirectory) =>
        Pattern.Matches(output.Replace("\r", string.Empty, StringComparison.Ordinal))
            .Select(m => new TargetedDiagnostic(
                m.Groups["tfm"].Value,
                BuildDiagnostic.Relative(projectDirectory, m.Groups["file"].Value.Trim()),
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["id"].Value,
                m.Groups["message"].Value))
            .ToList();

    /// <summary>The lines of the build log before MSBuild's closing summary (which repeats every warning once more).</summary>
    public static string BeforeSummary(string output)
    {
        var end = output.IndexOf("\nBuild succeeded.", StringComparison.Ordinal);
        end = end < 0 ? output.IndexOf("\nBuild FAILED.", StringComparison.Ordinal) : end;
        return end < 0 ? output : output[..end];
    }

    public override string ToString() => $"[{TargetFramework}] {File}({Line}): {Id}: {Message}";
}
