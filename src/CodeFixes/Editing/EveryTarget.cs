using Microsoft.CodeAnalysis;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Whether an API a fix writes exists on every target framework its document is compiled for. The IDE and
/// <c>dotnet format</c> load a multi-targeted project as one project per target framework, with each document
/// linked into all of them: a fix is computed in one of those compilations, but the text it writes is compiled by
/// every one. A token overload such as <c>TextWriter.FlushAsync(CancellationToken)</c> exists on .NET 8 and not on
/// .NET Framework or .NET Standard 2.0, so a fix that writes it is offered only when every linked compilation has it.
/// </summary>
public static class EveryTarget
{
    /// <summary>
    /// Whether <paramref name="method"/> (a method of the document's own compilation) resolves, by documentation ID,
    /// to an accessible method in the compilation of every document linked to <paramref name="document"/>. True for
    /// a null method and for a document compiled for one target only.
    /// </summary>
    public static async Task<bool> HasAsync(Document document, IMethodSymbol? method, CancellationToken cancellationToken)
    {
        if (method is null)
        {
            return true;
        }

        var linked = document.GetLinkedDocumentIds();
        if (linked.IsEmpty)
        {
            return true;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (DocumentationCommentId.CreateDeclarationId(definition) is not { } id)
        {
            return false;
        }

        foreach (var documentId in linked)
        {
            var project = document.Project.Solution.GetDocument(documentId)?.Project;
            if (project is null || project.Id == document.Project.Id)
            {
                continue;
            }

            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is null || !Resolves(compilation, id))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Resolves(Compilation compilation, string id)
    {
        foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
        {
            // Protected members are reached from derived types; anything else must be visible from the project.
            if (symbol.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal
                || compilation.IsSymbolAccessibleWithin(symbol, compilation.Assembly))
            {
                return true;
            }
        }

        return false;
    }
}
