using System;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether any of a few words occurs in a span of a document's text, read in chunks into one buffer per thread: a
/// pre-filter that lets an analyzer skip, without parsing a node or binding anything, the documents that cannot
/// contain what it looks for.
/// </summary>
public static class SourceTextSearch
{
    private const int ChunkLength = 4096;

    [ThreadStatic]
    private static char[]? s_buffer;

    /// <param name="words">Non-empty words, each shorter than the chunk.</param>
    public static bool ContainsAny(SourceText text, TextSpan span, string[] words)
    {
        var longest = 0;
        foreach (var word in words)
        {
            longest = Math.Max(longest, word.Length);
        }

        var buffer = s_buffer ??= new char[ChunkLength];
        var start = span.Start;
        var end = Math.Min(span.End, text.Length);
        while (start < end)
        {
            var count = Math.Min(ChunkLength, end - start);
            text.CopyTo(start, buffer, 0, count);
            var chunk = new ReadOnlySpan<char>(buffer, 0, count);
            foreach (var word in words)
            {
                if (chunk.IndexOf(word.AsSpan(), StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            if (start + count >= end)
            {
                break;
            }

            // Overlap the chunks so that a word cut by a chunk's end is found in the next one.
            start += count - (longest - 1);
        }

        return false;
    }
}
