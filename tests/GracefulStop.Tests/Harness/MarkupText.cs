using Microsoft.CodeAnalysis.Testing;

namespace GracefulStop.Tests.Harness;

/// <summary>The plain source of a rule test's markup (<c>[|…|]</c>, <c>{|ID:…|}</c>, <c>{|#0:…|}</c>).</summary>
public static class MarkupText
{
    public static bool HasMarkup(string text) =>
        text.Contains("[|", StringComparison.Ordinal) || text.Contains("{|", StringComparison.Ordinal);

    public static string Strip(string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out var output, out System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan> _);
        return output;
    }
}
