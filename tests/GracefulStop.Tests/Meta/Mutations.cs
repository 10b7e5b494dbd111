using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.Tests.Meta;

/// <summary>A broken variant of a corpus file, and how it was broken.</summary>
public sealed record Variant(CorpusFile File, string Mutation, string Text)
{
    public override string ToString() => $"{File.Name} [{Mutation}]";
}

/// <summary>
/// Derives half-typed code from compiling code, deterministically (the same seed gives the same variants):
/// truncations, one token deleted, a closing brace deleted, a line duplicated.
/// </summary>
public static class Mutations
{
    public const int Seed = 20240917;

    /// <summary>
    /// <paramref name="count"/> variants of <paramref name="file"/>: about half truncations, a third token deletions,
    /// and at least one deleted closing brace and one duplicated line.
    /// </summary>
    public static IEnumerable<Variant> Of(CorpusFile file, int count, int seed = Seed)
    {
        var text = file.Text;
        if (text.Length == 0)
        {
            yield break;
        }

        var random = new Random(unchecked(seed ^ StableHash(file.Name)));
        var tokens = CSharpSyntaxTree.ParseText(text, Corpus.ParseOptions).GetRoot()
            .DescendantTokens(descendIntoTrivia: false)
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0)
            .ToImmutableArray();
        var closeBraces = tokens.Where(t => t.IsKind(SyntaxKind.CloseBraceToken)).ToImmutableArray();
        var lines = text.Split('\n');

        var truncations = Math.Max(1, count / 2);
        var deletions = Math.Max(1, count / 3);
        var braces = Math.Max(1, (count - truncations - deletions) / 2);
        var duplicates = Math.Max(1, count - truncations - deletions - braces);

        for (var i = 0; i < truncations; i++)
        {
            // Spread over the file, each point jittered inside its slice, so truncations hit every part.
            var slice = text.Length / (double)truncations;
            var at = Math.Min(text.Length - 1, (int)(slice * i + random.NextDouble() * slice));
            yield return new Variant(file, $"truncated at {at}", text[..at]);
        }

        for (var i = 0; i < deletions && tokens.Length > 0; i++)
        {
            var token = tokens[random.Next(tokens.Length)];
            yield return new Variant(file, $"token '{token.Text}' at {token.SpanStart} deleted", text.Remove(token.SpanStart, token.Span.Length));
        }

        for (var i = 0; i < braces && closeBraces.Length > 0; i++)
        {
            var brace = closeBraces[random.Next(closeBraces.Length)];
            yield return new Variant(file, $"'}}' at {brace.SpanStart} deleted", text.Remove(brace.SpanStart, 1));
        }

        for (var i = 0; i < duplicates && lines.Length > 1; i++)
        {
            var line = random.Next(lines.Length);
            var copy = lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1));
            yield return new Variant(file, $"line {line + 1} duplicated", string.Join('\n', copy));
        }
    }

    /// <summary>A string hash that is the same in every process (string.GetHashCode is randomized).</summary>
    public static int StableHash(string value)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in value)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
