using GracefulStop.Tests.Harness;
using System.Collections.Immutable;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Meta;

/// <summary>A code action offered by a fixer for one diagnostic (nested actions flattened).</summary>
public sealed record OfferedAction(CodeFixProvider Fixer, Diagnostic Diagnostic, Document Document, CodeAction Action)
{
    public string Describe() => $"{Fixer.GetType().Name} '{Action.Title}' ({Action.EquivalenceKey}) for {DiagnosticText.Describe(Diagnostic)}";
}

/// <summary>
/// Runs every analyzer and every code fix of the package over a project and turns any exception, or a run longer
/// than the time limit, into a failure message instead of an exception, so one run can collect all failures.
/// </summary>
public static class RuleRunner
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = AllRules.CreateAnalyzers();

    public static ImmutableArray<CodeFixProvider> Fixers { get; } = AllRules.CreateCodeFixes();

    /// <summary>Runs <paramref name="work"/> with a time limit that also holds when the work ignores its token.</summary>
    public static async Task<T> WithTimeLimitAsync<T>(TimeSpan limit, string what, Func<CancellationToken, Task<T>> work)
    {
        using var cancellation = new CancellationTokenSource(limit);
        var task = Task.Run(() => work(cancellation.Token));
        var finished = await Task.WhenAny(task, Task.Delay(limit + TimeSpan.FromSeconds(10)));
        if (finished != task)
        {
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds} s (ignores cancellation): an analyzer or fixer hangs.");
        }

        try
        {
            return await task;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds} s: an analyzer or fixer hangs.");
        }
    }

    /// <summary>The analyzer diagnostics of the project; throws <see cref="AnalyzerThrewException"/> on AD0001.</summary>
    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken) =>
        DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, Analyzers, cancellationToken);

    /// <summary>
    /// Every action every fixer offers for the diagnostics; a fixer that throws in RegisterCodeFixesAsync adds a
    /// failure and offers nothing.
    /// </summary>
    public static async Task<ImmutableArray<OfferedAction>> GetActionsAsync(
        Project project, IEnumerable<Diagnostic> diagnostics, List<string> failures, CancellationToken cancellationToken, ImmutableArray<CodeFixProvider> fixers = default)
    {
        fixers = fixers.IsDefault ? Fixers : fixers;
        var result = ImmutableArray.CreateBuilder<OfferedAction>();
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Location.IsInSource || project.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            foreach (var fixer in fixers)
            {
                if (!fixer.FixableDiagnosticIds.Contains(diagnostic.Id))
                {
                    continue;
                }

                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                try
                {
                    await fixer.RegisterCodeFixesAsync(context);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures.Add($"{fixer.GetType().Name}.RegisterCodeFixesAsync threw for {DiagnosticText.Describe(diagnostic)}: {exception}");
                    continue;
                }

                foreach (var action in Flatten(actions))
                {
                    result.Add(new OfferedAction(fixer, diagnostic, document, action));
                }
            }
        }

        return result.ToImmutable();
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.NestedActions.IsDefaultOrEmpty)
            {
                yield return action;
            }
            else
            {
                foreach (var nested in Flatten(action.NestedActions))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The solution the action produces, or null (and a failure) when computing it throws.</summary>
    public static async Task<Solution?> ApplyAsync(CodeAction action, string what, List<string> failures, CancellationToken cancellationToken)
    {
        try
        {
            var operations = await action.GetOperationsAsync(cancellationToken);
            var apply = operations.OfType<ApplyChangesOperation>().ToList();
            if (apply.Count != 1)
            {
                failures.Add($"{what}: produced {apply.Count} ApplyChangesOperations instead of one.");
                return null;
            }

            // Make the text of every changed document, as applying it would.
            var solution = apply[0].ChangedSolution;
            foreach (var projectChanges in solution.GetChanges(solution.Workspace.CurrentSolution).GetProjectChanges())
            {
                foreach (var id in projectChanges.GetChangedDocuments())
                {
                    await solution.GetDocument(id)!.GetTextAsync(cancellationToken);
                }
            }

            return solution;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failures.Add($"{what}: threw while computing its change: {exception}");
            return null;
        }
    }
}
