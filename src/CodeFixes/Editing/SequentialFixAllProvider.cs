using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Fix All for fixes that interact (several diagnostics share one new field, or a fix edits other documents):
/// applies one fix at a time to the evolving solution, re-running the rule's analyzer after each, so Fix All
/// gives exactly what fixing one by one gives. The batch fixer would merge conflicting text changes instead.
/// </summary>
public sealed class SequentialFixAllProvider : FixAllProvider
{
    private const int MaxFixes = 200;
    private readonly Func<DiagnosticAnalyzer> _createAnalyzer;

    public SequentialFixAllProvider(Func<DiagnosticAnalyzer> createAnalyzer)
    {
        _createAnalyzer = createAnalyzer;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var title = fixAllContext.CodeActionEquivalenceKey ?? "Fix all";
        return Task.FromResult<CodeAction?>(CodeAction.Create(
            title,
            cancellationToken => FixAllAsync(fixAllContext, cancellationToken),
            fixAllContext.CodeActionEquivalenceKey));
    }

    private async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
    {
        var solution = context.Solution;
        var projectIds = context.Scope == FixAllScope.Solution
            ? solution.ProjectIds.ToImmutableArray()
            : ImmutableArray.Create(context.Project.Id);
        var documentId = context.Scope is FixAllScope.Document or FixAllScope.ContainingMember or FixAllScope.ContainingType
            ? context.Document?.Id
            : null;
        var analyzers = ImmutableArray.Create(_createAnalyzer());

        foreach (var projectId in projectIds)
        {
            for (var fixes = 0; fixes < MaxFixes; fixes++)
            {
                var project = solution.GetProject(projectId);
                if (project is null)
                {
                    break;
                }

                var changed = await FixFirstAsync(context, project, documentId, analyzers, cancellationToken).ConfigureAwait(false);
                if (changed is null)
                {
                    break;
                }

                solution = changed;
            }
        }

        return solution;
    }

    private static async Task<Solution?> FixFirstAsync(
        FixAllContext context,
        Project project,
        DocumentId? documentId,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null)
        {
            return null;
        }

        var diagnostics = await compilation
            .WithAnalyzers(analyzers, project.AnalyzerOptions)
            .GetAnalyzerDiagnosticsAsync(cancellationToken)
            .ConfigureAwait(false);

        foreach (var diagnostic in diagnostics
            .Where(d => context.DiagnosticIds.Contains(d.Id) && d.Location.IsInSource)
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start))
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null || (documentId is not null && document.Id != documentId))
            {
                continue;
            }

            var action = await FindActionAsync(context, document, diagnostic, cancellationToken).ConfigureAwait(false);
            if (action is null)
            {
                continue;
            }

            foreach (var operation in await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (operation is ApplyChangesOperation apply && apply.ChangedSolution != project.Solution)
                {
                    return apply.ChangedSolution;
                }
            }
        }

        return null;
    }

    private static async Task<CodeAction?> FindActionAsync(FixAllContext context, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        CodeAction? found = null;
        var fixContext = new CodeFixContext(
            document,
            diagnostic,
            (action, _) =>
            {
                // dotnet format asks for the equivalence key of the first diagnostic it found; when that one has no
                // fix (a Suspend next to a fixable Abort, a token overload missing on an older target) the key is null,
                // which means "whichever fix each diagnostic offers first".
                if (found is null && (context.CodeActionEquivalenceKey is null || action.EquivalenceKey == context.CodeActionEquivalenceKey))
                {
                    found = action;
                }
            },
            cancellationToken);
        await context.CodeFixProvider.RegisterCodeFixesAsync(fixContext).ConfigureAwait(false);
        return found;
    }
}
