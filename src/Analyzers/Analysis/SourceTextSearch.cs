using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether any of a few words occurs in a span of a document's text: a pre-filter that lets an analyzer skip, without
/// touching a syntax node or binding anything, the documents that cannot contain what it looks for. Reads the text
/// through its indexer (no copy, no buffer: nothing allocated, no shared state).
/// </summary>
public static class SourceTextSearch
{
    /// <param name="words">Non-empty words.</param>
    public static bool ContainsAny(SourceText text, TextSpan span, ImmutableArray<string> words)
    {
        char lowest = char.MaxValue, highest = char.MinValue;
        foreach (var word in words)
        {
            lowest = word[0] < lowest ? word[0] : lowest;
            highest = word[0] > highest ? word[0] : highest;
        }

        var end = span.End < text.Length ? span.End : text.Length;
        for (var position = span.Start; position < end; position++)
        {
            var c = text[position];
            if (c < lowest || c > highest)
            {
                // Most characters cannot start any of the words.
                continue;
            }

            foreach (var word in words)
            {
                if (c == word[0] && StartsAt(text, position, end, word))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool StartsAt(SourceText text, int position, int end, string word)
    {
        if (position + word.Length > end)
        {
            return false;
        }

        for (var i = 1; i < word.Length; i++)
        {
            if (text[position + i] != word[i])
            {
                return false;
            }
        }

        return true;
    }
}
