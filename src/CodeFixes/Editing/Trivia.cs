using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>Trivia helpers that keep a document's own conventions.</summary>
public static class Trivia
{
    /// <summary>The end-of-line trivia the document already uses (its first one), or a line feed.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode nodeInDocument)
    {
        foreach (var trivia in nodeInDocument.SyntaxTree.GetRoot().DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.ElasticLineFeed;
    }

    /// <summary>The whitespace that indents the line a node starts on (no comments).</summary>
    public static SyntaxTriviaList Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        var start = 0;
        for (var i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                start = i + 1;
            }
        }

        return start < leading.Count && leading[start].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[start])
            : SyntaxFactory.TriviaList();
    }
}
