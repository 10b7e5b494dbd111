using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Verification;

[Flags]
public enum CodeFixTestBehaviors
{
    None = 0,
    SkipFixAllCheck = 1,
    SkipFixAllInDocumentCheck = 2,
    SkipFixAllInProjectCheck = 4,
    SkipFixAllInSolutionCheck = 8,
}

/// <summary>
/// Checks a code fix the way Microsoft.CodeAnalysis.Testing's <c>CodeFixTest</c> does: the fix is applied
/// one diagnostic at a time until none is fixable, the result must equal the expected text to the
/// character, must re-parse to the same tree, must compile with no undeclared error and no remaining
/// undeclared diagnostic; Fix All in document, project and solution must give the batch result; every
/// action needs a title and a distinct equivalence key.
/// When the fixed source equals the source, the test asserts that no matching fix is offered.
/// </summary>
public class CodeFixTest<TAnalyzer, TCodeFix> : AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    private const int MaxIterations = 25;

    public SolutionState FixedState { get; } = new();

    public SolutionState BatchFixedState { get; } = new();

    public string FixedCode
    {
        set => FixedState.Sources.Add(value);
    }

    public string BatchFixedCode
    {
        set => BatchFixedState.Sources.Add(value);
    }

    public string? CodeActionEquivalenceKey { get; set; }

    public int? CodeActionIndex { get; set; }

    public CodeFixTestBehaviors CodeFixTestBehaviors { get; set; }

    protected CodeFixProvider CodeFixProvider { get; } = new TCodeFix();

    protected override async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        await base.RunCoreAsync(cancellationToken);
        if (FixedState.Sources.Count == 0)
        {
            return;
        }

        var (sources, _) = Prepare(TestState);
        var (fixedSources, fixedExpected) = Prepare(InheritConfig(FixedState));
        var project = CreateProject(sources, TestState.AnalyzerConfigFiles);

        if (SameText(sources, fixedSources))
        {
            await VerifyNoFixOfferedAsync(project, cancellationToken);
            return;
        }

        var fixedSolution = await FixOneByOneAsync(project.Solution, cancellationToken);
        await VerifyResultAsync(fixedSolution, fixedSources, fixedExpected, "the fixed code", cancellationToken);

        if (CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllCheck))
        {
            return;
        }

        var batchState = BatchFixedState.Sources.Count > 0 ? InheritConfig(BatchFixedState) : InheritConfig(FixedState);
        var (batchSources, batchExpected) = Prepare(batchState);
        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
        {
            if (SkipScope(scope))
            {
                continue;
            }

            var batchFixed = await FixAllAsync(project.Solution, scope, cancellationToken);
            await VerifyResultAsync(batchFixed, batchSources, batchExpected, $"Fix All in {scope}", cancellationToken);
        }
    }

    private bool SkipScope(FixAllScope scope) => scope switch
    {
        FixAllScope.Document => CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllInDocumentCheck),
        FixAllScope.Project => CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllInProjectCheck),
        _ => CodeFixTestBehaviors.HasFlag(CodeFixTestBehaviors.SkipFixAllInSolutionCheck),
    };

    private SolutionState InheritConfig(SolutionState state)
    {
        if (state.AnalyzerConfigFiles.Count == 0)
        {
            state.AnalyzerConfigFiles.AddRange(TestState.AnalyzerConfigFiles);
        }

        return state;
    }

    private static bool SameText(List<(string Path, string Text)> a, List<(string Path, string Text)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Path == p.Second.Path && p.First.Text == p.Second.Text);

    private async Task<ImmutableArray<Diagnostic>> FixableDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var diagnostics = await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, Analyzers, cancellationToken);
        return diagnostics.Where(d => CodeFixProvider.FixableDiagnosticIds.Contains(d.Id) && d.Location.IsInSource).ToImmutableArray();
    }

    private async Task<ImmutableArray<CodeAction>> GetActionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        try
        {
            await CodeFixProvider.RegisterCodeFixesAsync(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{typeof(TCodeFix).Name}.RegisterCodeFixesAsync threw for {DiagnosticComparer.Describe(diagnostic)}", exception);
        }

        var result = actions.ToImmutable();
        VerifyActionHygiene(result, diagnostic);
        return result;
    }

    private static void VerifyActionHygiene(ImmutableArray<CodeAction> actions, Diagnostic diagnostic)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (string.IsNullOrWhiteSpace(action.Title))
            {
                throw new InvalidOperationException($"A code action for {diagnostic.Id} has no title.");
            }

            if (action.EquivalenceKey is null)
            {
                throw new InvalidOperationException($"The code action '{action.Title}' for {diagnostic.Id} has no equivalence key, so Fix All cannot find it.");
            }

            if (!keys.Add(action.EquivalenceKey))
            {
                throw new InvalidOperationException($"Two code actions for {diagnostic.Id} share the equivalence key '{action.EquivalenceKey}'.");
            }
        }
    }

    private CodeAction? Select(ImmutableArray<CodeAction> actions)
    {
        if (CodeActionEquivalenceKey is not null)
        {
            return actions.FirstOrDefault(a => a.EquivalenceKey == CodeActionEquivalenceKey);
        }

        var index = CodeActionIndex ?? 0;
        return index < actions.Length ? actions[index] : null;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution, CancellationToken cancellationToken)
    {
        ImmutableArray<CodeActionOperation> operations;
        try
        {
            operations = await action.GetOperationsAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new InvalidOperationException($"The code action '{action.Title}' threw while computing its change.", exception);
        }

        var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"The code action '{action.Title}' produced no ApplyChangesOperation.");
        return apply.ChangedSolution;
    }

    private async Task VerifyNoFixOfferedAsync(Project project, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in await FixableDiagnosticsAsync(project, cancellationToken))
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = await GetActionsAsync(document, diagnostic, cancellationToken);
            var action = CodeActionEquivalenceKey is null && CodeActionIndex is null ? actions.FirstOrDefault() : Select(actions);
            if (action is not null)
            {
                throw new InvalidOperationException(
                    $"Expected no code fix, but '{action.Title}' ({action.EquivalenceKey}) is offered for {DiagnosticComparer.Describe(diagnostic)}.");
            }
        }
    }

    private async Task<Solution> FixOneByOneAsync(Solution solution, CancellationToken cancellationToken)
    {
        var project = solution.Projects.Single();
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var applied = false;
            foreach (var diagnostic in await FixableDiagnosticsAsync(project, cancellationToken))
            {
                var document = project.GetDocument(diagnostic.Location.SourceTree)!;
                var action = Select(await GetActionsAsync(document, diagnostic, cancellationToken));
                if (action is null)
                {
                    continue;
                }

                var changed = await ApplyAsync(action, project.Solution, cancellationToken);
                if (!await HasTextChangesAsync(project.Solution, changed, cancellationToken))
                {
                    throw new InvalidOperationException($"The code action '{action.Title}' changed nothing for {DiagnosticComparer.Describe(diagnostic)}.");
                }

                project = changed.GetProject(project.Id)!;
                applied = true;
                break;
            }

            if (!applied)
            {
                return project.Solution;
            }
        }

        throw new InvalidOperationException($"The code fix did not converge after {MaxIterations} iterations.");
    }

    private async Task<Solution> FixAllAsync(Solution solution, FixAllScope scope, CancellationToken cancellationToken)
    {
        var fixAll = CodeFixProvider.GetFixAllProvider()
            ?? throw new InvalidOperationException($"{typeof(TCodeFix).Name} has no Fix All provider, so 'dotnet format' and Fix All do nothing.");
        if (!fixAll.GetSupportedFixAllScopes().Contains(scope))
        {
            throw new InvalidOperationException($"{typeof(TCodeFix).Name}'s Fix All provider does not support {scope}.");
        }

        var project = solution.Projects.Single();
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            CodeAction? first = null;
            Document? document = null;
            foreach (var diagnostic in await FixableDiagnosticsAsync(project, cancellationToken))
            {
                document = project.GetDocument(diagnostic.Location.SourceTree)!;
                first = Select(await GetActionsAsync(document, diagnostic, cancellationToken));
                if (first is not null)
                {
                    break;
                }
            }

            if (first is null || document is null)
            {
                return project.Solution;
            }

            var context = new FixAllContext(
                document,
                CodeFixProvider,
                scope,
                first.EquivalenceKey,
                CodeFixProvider.FixableDiagnosticIds,
                new TestFixAllDiagnosticProvider(Analyzers, CodeFixProvider.FixableDiagnosticIds),
                cancellationToken);
            CodeAction? action;
            try
            {
                action = await fixAll.GetFixAsync(context);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Fix All in {scope} threw.", exception);
            }

            if (action is null)
            {
                return project.Solution;
            }

            var changed = await ApplyAsync(action, project.Solution, cancellationToken);
            if (!await HasTextChangesAsync(project.Solution, changed, cancellationToken))
            {
                return project.Solution;
            }

            project = changed.GetProject(project.Id)!;
        }

        throw new InvalidOperationException($"Fix All in {scope} did not converge after {MaxIterations} iterations.");
    }

    private static async Task<bool> HasTextChangesAsync(Solution before, Solution after, CancellationToken cancellationToken)
    {
        foreach (var projectChanges in after.GetChanges(before).GetProjectChanges())
        {
            if (projectChanges.GetAddedDocuments().Any() || projectChanges.GetRemovedDocuments().Any())
            {
                return true;
            }

            foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
            {
                var oldText = await before.GetDocument(id)!.GetTextAsync(cancellationToken);
                var newText = await after.GetDocument(id)!.GetTextAsync(cancellationToken);
                if (!oldText.ContentEquals(newText))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Null when both trees have the same nodes and tokens (kinds, text, missing-ness) in the same order;
    /// otherwise the first difference. Trivia is not compared (the text comparison covers it).
    /// </summary>
    private static string? FirstShapeDifference(SyntaxNode built, SyntaxNode parsed)
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

    private async Task VerifyResultAsync(
        Solution solution,
        List<(string Path, string Text)> expectedSources,
        List<DiagnosticResult> expectedDiagnostics,
        string what,
        CancellationToken cancellationToken)
    {
        var project = solution.Projects.Single();
        var documents = project.Documents.OrderBy(d => d.FilePath, StringComparer.Ordinal).ToList();
        var expected = expectedSources.OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
        if (documents.Count != expected.Count)
        {
            throw new InvalidOperationException($"{what}: expected {expected.Count} documents, found {documents.Count}: {string.Join(", ", documents.Select(d => d.FilePath))}.");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var text = (await documents[i].GetTextAsync(cancellationToken)).ToString();
            if (text != expected[i].Text)
            {
                throw new FixedTextMismatchException(
                    $"{what}: {expected[i].Path} differs from the expected text.{Environment.NewLine}{TextDiff.Describe(expected[i].Text, text)}");
            }

            var tree = (await documents[i].GetSyntaxTreeAsync(cancellationToken))!;
            var reparsed = CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)tree.Options, cancellationToken: cancellationToken);
            if (FirstShapeDifference(tree.GetRoot(cancellationToken), reparsed.GetRoot(cancellationToken)) is { } difference)
            {
                throw new InvalidOperationException(
                    $"{what}: the tree the fix built for {expected[i].Path} does not re-parse to the same shape (missing trivia or parentheses?): {difference}");
            }
        }

        await VerifyDiagnosticsAsync(project, expectedDiagnostics, what, cancellationToken);
    }
}

public sealed class FixedTextMismatchException(string message) : Exception(message);

/// <summary>Gives Fix All the diagnostics of a document or project by running the analyzers on it.</summary>
internal sealed class TestFixAllDiagnosticProvider(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<string> ids)
    : FixAllContext.DiagnosticProvider
{
    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken);
        return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
    }

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        (await GetAllDiagnosticsAsync(project, cancellationToken)).Where(d => !d.Location.IsInSource);

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        (await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, analyzers, cancellationToken)).Where(d => ids.Contains(d.Id));
}
