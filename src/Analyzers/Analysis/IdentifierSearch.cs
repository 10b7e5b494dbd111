using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The identifiers inside a node that name one of a few names, found through the text
/// (<see cref="SourceTextSearch"/>) and the token at each occurrence, without walking the node's descendants: the
/// pre-filters that ask "is this name used so, anywhere in this type or block" visit the few places the name is
/// written instead of every node (issue 19).
/// </summary>
public static class IdentifierSearch
{
    public static List<IdentifierNameSyntax>? Find(SyntaxNode scope, ImmutableArray<string> names) => Find(scope, scope.Span, names);

    /// <summary>The identifiers naming one of <paramref name="names"/> inside <paramref name="span"/> of <paramref name="scope"/>, in text order.</summary>
    public static List<IdentifierNameSyntax>? Find(SyntaxNode scope, TextSpan span, ImmutableArray<string> names) => Find(scope, span, names, names);

    /// <summary>
    /// As <see cref="Find(SyntaxNode, TextSpan, ImmutableArray{string})"/>, searching the text for <paramref name="words"/>:
    /// fewer words than names when some names contain another (<c>Abort</c> finds <c>ResetAbort</c>), each word one
    /// pass less over the text.
    /// </summary>
    public static List<IdentifierNameSyntax>? Find(SyntaxNode scope, TextSpan span, ImmutableArray<string> names, ImmutableArray<string> words)
    {
        var text = scope.SyntaxTree.GetText();
        if (SourceTextSearch.FindAll(text, span, words) is not { } positions)
        {
            return null;
        }

        List<IdentifierNameSyntax>? found = null;
        var previous = default(SyntaxToken);
        foreach (var position in positions)
        {
            var token = scope.FindToken(position);
            if (token == previous || !token.IsKind(SyntaxKind.IdentifierToken) || token.Parent is not IdentifierNameSyntax identifier)
            {
                continue;
            }

            previous = token;
            foreach (var name in names)
            {
                if (token.ValueText == name)
                {
                    (found ??= new List<IdentifierNameSyntax>()).Add(identifier);
                    break;
                }
            }
        }

        return found;
    }
}
