using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Where a few words occur in a span of a document's text: a pre-filter that lets an analyzer skip, without touching
/// a syntax node or binding anything, the documents that cannot contain what it looks for, and go straight to the
/// tokens that may. The text is copied a chunk at a time into a buffer and searched there with the runtime's
/// vectorized IndexOf: reading it through <see cref="SourceText"/>'s indexer, one virtual call per character, cost
/// more than the rest of the analyzer (issue 19).
/// </summary>
public static class SourceTextSearch
{
    private const int ChunkLength = 4096;

    [ThreadStatic]
    private static char[]? t_buffer;

    /// <param name="words">Non-empty words, each shorter than 256 characters.</param>
    public static bool ContainsAny(SourceText text, TextSpan span, ImmutableArray<string> words) =>
        Scan(text, span, words, firstOnly: true) is not null;

    /// <summary>The positions, in ascending order, at which one of <paramref name="words"/> starts inside <paramref name="span"/>; null when there are none.</summary>
    /// <param name="words">Non-empty words, each shorter than 256 characters.</param>
    public static List<int>? FindAll(SourceText text, TextSpan span, ImmutableArray<string> words) =>
        Scan(text, span, words, firstOnly: false);

    private static List<int>? Scan(SourceText text, TextSpan span, ImmutableArray<string> words, bool firstOnly)
    {
        var longest = 0;
        foreach (var word in words)
        {
            longest = Math.Max(longest, word.Length);
        }

        var end = Math.Min(span.End, text.Length);
        if (end <= span.Start)
        {
            return null;
        }

        // One buffer per thread, reused by every search on it (a search calls nothing that searches again): a new 8 KB
        // buffer per search was most of what the searches allocated, several megabytes per compilation, paid for in
        // collections that stop every thread (issue 19).
        var buffer = t_buffer ??= new char[ChunkLength];
        List<int>? found = null;

        // Chunks overlap by the longest word less one character, so that a word cut by a chunk's end is found whole in
        // the next; a position is only taken from the chunk where it lies before the overlap. Each word is searched
        // with the runtime's vectorized IndexOf over the chunk.
        var overlap = longest - 1;
        for (var chunkStart = span.Start; chunkStart < end; chunkStart += ChunkLength - overlap)
        {
            var count = Math.Min(ChunkLength, end - chunkStart);
            var isLast = chunkStart + count >= end;
            var limit = isLast ? count : count - overlap;
            text.CopyTo(chunkStart, buffer, 0, count);
            var chunk = new ReadOnlySpan<char>(buffer, 0, count);
            var before = found?.Count ?? 0;
            foreach (var word in words)
            {
                var offset = 0;
                while (offset < limit)
                {
                    var index = chunk.Slice(offset).IndexOf(word.AsSpan(), StringComparison.Ordinal);
                    if (index < 0 || offset + index >= limit)
                    {
                        break;
                    }

                    (found ??= new List<int>()).Add(chunkStart + offset + index);
                    if (firstOnly)
                    {
                        return found;
                    }

                    offset += index + 1;
                }
            }

            if (found is not null && found.Count - before > 1)
            {
                found.Sort(before, found.Count - before, null);
            }

            if (isLast)
            {
                break;
            }
        }

        return found;
    }
}
