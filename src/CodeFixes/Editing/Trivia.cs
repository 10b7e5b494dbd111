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
}
