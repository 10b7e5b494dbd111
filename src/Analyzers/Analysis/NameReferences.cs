using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether a name is written as a reference (a simple or generic name, not a declaration) anywhere in a type's
/// declarations, found through the text (<see cref="SourceTextSearch"/>) and the token at each occurrence, without
/// binding or walking the type.
/// </summary>
internal static class NameReferences
{
    public static bool IsReferencedIn(INamedTypeSymbol type, string name, CancellationToken cancellationToken)
    {
        var words = ImmutableArray.Create(name);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (SourceTextSearch.FindAll(declaration.SyntaxTree.GetText(cancellationToken), declaration.Span, words) is not { } positions)
            {
                continue;
            }

            foreach (var position in positions)
            {
                var token = declaration.FindToken(position);
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is SimpleNameSyntax && token.ValueText == name)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
