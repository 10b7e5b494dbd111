using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.Tests.Harness;

/// <summary>Compares the tree a fix built with the tree its text parses to.</summary>
public static class SyntaxShape
{
    /// <summary>
    /// Null when both trees have the same nodes and tokens (kinds, text, missing-ness) in the same order;
    /// otherwise the first difference. Trivia is not compared (the text comparison covers it).
    /// </summary>
    public static string? FirstDifference(SyntaxNode built, SyntaxNode parsed)
    {
        var a = built.DescendantNodesAndTokensAndSelf().ToList();
        var b = parsed.DescendantNodesAndTokensAndSelf().ToList();
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var x = a[i];
            var y = b[i];
            if (x.RawKind != y.RawKind || x.IsMissing != y.IsMissing || (x.IsToken && x.AsToken().Text != y.AsToken().Text))
            {
                return $"the fix built {x.Kind()} '{x}' where the text parses as {y.Kind()} '{y}' (in '{y.Parent}')";
            }
        }

        return a.Count == b.Count ? null : $"the fix built {a.Count} nodes and tokens, the text parses to {b.Count}";
    }
}
