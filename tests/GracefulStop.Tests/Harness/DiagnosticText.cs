using Microsoft.CodeAnalysis;

namespace GracefulStop.Tests.Harness;

/// <summary>One line for a diagnostic in a failure message: where, severity, ID, the text it covers, the message.</summary>
public static class DiagnosticText
{
    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = diagnostic.Location == Location.None
            ? "(no location)"
            : $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1},{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
        var text = diagnostic.Location.SourceTree is { } tree ? $" on '{tree.GetText().ToString(diagnostic.Location.SourceSpan)}'" : string.Empty;
        var additional = diagnostic.AdditionalLocations.Count > 0
            ? " additional: " + string.Join(", ", diagnostic.AdditionalLocations.Select(l =>
            {
                var s = l.GetLineSpan();
                return $"({s.StartLinePosition.Line + 1},{s.StartLinePosition.Character + 1},{s.EndLinePosition.Line + 1},{s.EndLinePosition.Character + 1})";
            }))
            : string.Empty;
        return $"{where}: {diagnostic.Severity} {diagnostic.Id}{text}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}{additional}";
    }
}
