using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The cheap, syntax-only gate before GS0007 binds anything for a captured local: whether a loop and a lambda in the
/// local's scope name it. Which reads are polls is <see cref="StopFlagAnalysis.Classify"/>'s question, asked only after.
/// (Fields are gated the same way, per type, by the <see cref="StopModel"/>'s <see cref="TypeFlagModel"/>.)
/// </summary>
public static class StopFlagPolls
{
    /// <summary>
    /// The local's scope (its block, switch section or file of top-level statements) holds a loop that may poll it
    /// (<see cref="StopFlagPollSyntax.IsPollShape"/>) and a lambda or local function (the only way a local is shared
    /// with another thread).
    /// </summary>
    public static bool MayPollCapturedLocal(VariableDeclaratorSyntax declarator)
    {
        SyntaxNode? scope = declarator.Parent;
        while (scope is not null and not (BlockSyntax or SwitchSectionSyntax or CompilationUnitSyntax))
        {
            scope = scope.Parent;
        }

        if (scope is null)
        {
            return false;
        }

        // The local's name, found through the text, must be polled by a loop (the shapes binding would count); only
        // then is the scope walked for a lambda or local function.
        if (IdentifierSearch.Find(scope, ImmutableArray.Create(declarator.Identifier.ValueText)) is not { } identifiers)
        {
            return false;
        }

        var polled = false;
        foreach (var identifier in identifiers)
        {
            if (StopFlagPollSyntax.IsPollShape(identifier))
            {
                polled = true;
                break;
            }
        }

        if (!polled)
        {
            return false;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
