using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Testing;

namespace GracefulStop.Tests.Verification;

/// <summary>
/// Checks Microsoft.CodeAnalysis.Testing does not make, and users depend on: the light bulb shows each action's
/// title, and Fix All and <c>dotnet format</c> find an action by its equivalence key, so an action without a key, or
/// two actions with one key, break them; a fixer without a Fix All provider does nothing under <c>dotnet format</c>
/// (the official test skips its Fix All checks silently then).
/// </summary>
internal static class CodeFixHygiene
{
    /// <summary>Wraps a code-fix context's registration so that each action is checked as the fixer registers it.</summary>
    public static Action<CodeAction, ImmutableArray<Diagnostic>> Checked(
        Action<CodeAction, ImmutableArray<Diagnostic>> register, ImmutableArray<Diagnostic> diagnostics)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var id = diagnostics.IsDefaultOrEmpty ? "the diagnostic" : diagnostics[0].Id;
        return (action, fixes) =>
        {
            if (string.IsNullOrWhiteSpace(action.Title))
            {
                throw new InvalidOperationException($"A code action for {id} has no title.");
            }

            if (action.EquivalenceKey is null)
            {
                throw new InvalidOperationException($"The code action '{action.Title}' for {id} has no equivalence key, so Fix All cannot find it.");
            }

            if (!keys.Add(action.EquivalenceKey))
            {
                throw new InvalidOperationException($"Two code actions for {id} share the equivalence key '{action.EquivalenceKey}'.");
            }

            register(action, fixes);
        };
    }

    public static void VerifyFixAllProvider(CodeFixProvider fixer, CodeFixTestBehaviors behaviors)
    {
        if (behaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllCheck))
        {
            return;
        }

        var fixAll = fixer.GetFixAllProvider()
            ?? throw new InvalidOperationException($"{fixer.GetType().Name} has no Fix All provider, so 'dotnet format' and Fix All do nothing.");
        var scopes = fixAll.GetSupportedFixAllScopes();
        foreach (var (scope, skip) in new[]
        {
            (FixAllScope.Document, CodeFixTestBehaviors.SkipFixAllInDocumentCheck),
            (FixAllScope.Project, CodeFixTestBehaviors.SkipFixAllInProjectCheck),
            (FixAllScope.Solution, CodeFixTestBehaviors.SkipFixAllInSolutionCheck),
        })
        {
            if (!behaviors.HasFlag(skip) && !scopes.Contains(scope))
            {
                throw new InvalidOperationException($"{fixer.GetType().Name}'s Fix All provider does not support {scope}.");
            }
        }
    }
}
