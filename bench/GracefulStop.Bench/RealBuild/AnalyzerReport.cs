using System.Globalization;
using System.Text.RegularExpressions;

namespace GracefulStop.Bench.RealBuild;

/// <summary>
/// What one profiled build says of itself: the compiler's <c>-p:ReportAnalyzer=true</c> table (total analyzer time and
/// one assembly's share) and MSBuild's performance summary (time in the Csc task, in every task).
/// </summary>
public sealed record AnalyzerReport(double TotalAnalyzerSeconds, double AssemblySeconds, double CscSeconds)
{
    private static readonly Regex Total = new(@"Total analyzer execution time:\s*(?<s>[0-9.]+) seconds", RegexOptions.CultureInvariant);
    private static readonly Regex Csc = new(@"^\s*(?<ms>[0-9]+) ms\s+Csc\s+[0-9]+ calls", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Reads a build's detailed output; the assembly's row is the one naming <paramref name="assemblyName"/>.</summary>
    public static AnalyzerReport Parse(string output, string? assemblyName)
    {
        var total = Total.Matches(output).Sum(m => Seconds(m.Groups["s"].Value));
        var assembly = 0.0;
        if (assemblyName is not null)
        {
            var row = new Regex(@"^\s*(?<s><?[0-9.]+)\s+<?[0-9]+\s+" + Regex.Escape(assemblyName) + @", Version=", RegexOptions.CultureInvariant | RegexOptions.Multiline);
            assembly = row.Matches(output).Sum(m => Seconds(m.Groups["s"].Value));
        }

        var csc = Csc.Matches(output).Sum(m => double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000);
        return new AnalyzerReport(total, assembly, csc);
    }

    private static double Seconds(string value) =>
        value.StartsWith('<') ? 0 : double.Parse(value, CultureInfo.InvariantCulture);
}
