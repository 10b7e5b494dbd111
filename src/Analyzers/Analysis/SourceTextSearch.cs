using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Where a few words occur in a span of a document's text: a pre-filter that lets an analyzer skip, without touching
/// a syntax node or binding anything, the documents that cannot contain what it looks for, and go straight to the
/// tokens that may. The text is copied a chunk at a time into a per-thread buffer and scanned there: reading it
/// through <see cref="SourceText"/>'s indexer, one virtual call per character, cost more than the rest of the
/// analyzer (issue 19).
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
        // Bit masks of the words' first characters below 128 (the words this project searches for are ASCII).
        ulong low = 0, high = 0;
        var longest = 0;
        foreach (var word in words)
        {
            var first = word[0];
            if (first < 64)
            {
                low |= 1UL << first;
            }
            else if (first < 128)
            {
                high |= 1UL << (first - 64);
            }

            longest = Math.Max(longest, word.Length);
        }

        var buffer = t_buffer ??= new char[ChunkLength];
        var end = Math.Min(span.End, text.Length);
        List<int>? found = null;

        // Chunks overlap by the longest word less one character, so that a word cut by a chunk's end is found whole in
        // the next; a position is only reported from the chunk where it lies before the overlap.
        var overlap = longest - 1;
        for (var chunkStart = span.Start; chunkStart < end; chunkStart += ChunkLength - overlap)
        {
            var count = Math.Min(ChunkLength, end - chunkStart);
            text.CopyTo(chunkStart, buffer, 0, count);
            var last = chunkStart + count >= end ? count : count - overlap;
            for (var i = 0; i < last; i++)
            {
                var c = buffer[i];
                var candidate = c < 64 ? (low >> c) & 1 : c < 128 ? (high >> (c - 64)) & 1 : 0;
                if (candidate == 0)
                {
                    continue;
                }

                foreach (var word in words)
                {
                    if (c == word[0] && StartsAt(buffer, i, count, word))
                    {
                        (found ??= new List<int>()).Add(chunkStart + i);
                        if (firstOnly)
                        {
                            return found;
                        }

                        break;
                    }
                }
            }

            if (chunkStart + count >= end)
            {
                break;
            }
        }

        return found;
    }

    private static bool StartsAt(char[] buffer, int position, int count, string word)
    {
        if (position + word.Length > count)
        {
            return false;
        }

        for (var i = 1; i < word.Length; i++)
        {
            if (buffer[position + i] != word[i])
            {
                return false;
            }
        }

        return true;
    }
}
