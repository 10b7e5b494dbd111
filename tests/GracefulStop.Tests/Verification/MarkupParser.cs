using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Verification;

/// <summary>
/// Reads the markup of Microsoft.CodeAnalysis.Testing: <c>[|text|]</c> (the analyzer's single rule),
/// <c>{|GS0001:text|}</c> (a named rule) and <c>{|#0:text|}</c> (a location for an explicit expectation).
/// Markup can nest.
/// </summary>
public static class MarkupParser
{
    public sealed record Span(string? Id, int? Key, TextSpan TextSpan);

    public static (string Text, ImmutableArray<Span> Spans) Parse(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var spans = ImmutableArray.CreateBuilder<Span>();
        var open = new Stack<(string? Id, int? Key, int Start, bool Brace)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (Matches(markup, i, "[|"))
            {
                open.Push((null, null, output.Length, false));
                i += 2;
            }
            else if (Matches(markup, i, "{|") && TryReadLabel(markup, i + 2, out var label, out var next))
            {
                if (label.StartsWith('#'))
                {
                    open.Push((null, int.Parse(label.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), output.Length, true));
                }
                else
                {
                    open.Push((label, null, output.Length, true));
                }

                i = next;
            }
            else if (Matches(markup, i, "|]") && open.Count > 0 && !open.Peek().Brace)
            {
                var (id, key, start, _) = open.Pop();
                spans.Add(new Span(id, key, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else if (Matches(markup, i, "|}") && open.Count > 0 && open.Peek().Brace)
            {
                var (id, key, start, _) = open.Pop();
                spans.Add(new Span(id, key, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new InvalidOperationException("Unclosed markup span in test source.");
        }

        return (output.ToString(), spans.ToImmutable());
    }

    public static bool HasMarkup(string text) => text.Contains("[|", StringComparison.Ordinal) || text.Contains("{|", StringComparison.Ordinal);

    private static bool Matches(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static bool TryReadLabel(string text, int start, out string label, out int next)
    {
        var colon = text.IndexOf(':', start);
        label = string.Empty;
        next = start;
        if (colon < 0 || colon == start || colon - start > 40)
        {
            return false;
        }

        label = text.Substring(start, colon - start);
        foreach (var c in label)
        {
            if (!char.IsLetterOrDigit(c) && c != '#' && c != '_')
            {
                return false;
            }
        }

        next = colon + 1;
        return true;
    }
}
