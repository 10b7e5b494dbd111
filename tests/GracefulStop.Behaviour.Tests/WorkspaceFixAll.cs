using System.Collections.Immutable;
using System.Reflection;
using GracefulStop.EndToEnd.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace GracefulStop.Behaviour.Tests;

/// <summary>Which of a diagnostic's actions the user picks in the light bulb.</summary>
public enum ActionChoice
{
    /// <summary>The first (preferred) action.</summary>
    Preferred,

    /// <summary>The second action where there is one (the first otherwise).</summary>
    Second,

    /// <summary>The last action (the first where there is only one).</summary>
    Last,
}

/// <summary>
/// The IDE path: the project opened in an <see cref="MSBuildWorkspace"/> with the package's analyzers and fixers, and
/// for each rule, an action of a diagnostic (the first, or with <see cref="ActionChoice"/> a secondary one, taken from a
/// diagnostic that has one) applied with Fix All in solution, rule after rule, until nothing changes. The fixed texts
/// are written back to the project's files.
/// </summary>
public static class WorkspaceFixAll
{
    public static async Task<IReadOnlyList<string>> FixAsync(string directory, string projectFile, IReadOnlyList<string> ruleIds, int maxPasses, ActionChoice choice)
    {
        var log = new List<string>();
        var restore = await DotNetCli.RunAsync(directory, new[] { "restore", projectFile, "-nodeReuse:false", "-tl:off", "-v:m" });
        if (restore.ExitCode != 0)
        {
            log.Add(restore.ToString());
            return log;
        }

        using var workspace = MSBuildWorkspace.Create();
        var project = await workspace.OpenProjectAsync(Path.Combine(directory, projectFile));
        var analyzers = project.AnalyzerReferences
            .SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp))
            .Where(a => a.GetType().Assembly.GetName().Name == "GracefulStop.Analyzers")
            .ToImmutableArray();
        // An IDE finds code fixes by MEF export in the analyzer assemblies; do the same by reflection.
        var fixers = project.AnalyzerReferences
            .OfType<AnalyzerFileReference>()
            .Where(r => Path.GetFileName(r.FullPath) == "GracefulStop.CodeFixes.dll")
            .SelectMany(r => r.GetAssembly().GetTypes())
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        log.Add($"{analyzers.Length} analyzers, {fixers.Length} fixers");

        var solution = project.Solution;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var changed = false;
            foreach (var id in ruleIds)
            {
                var fixer = fixers.FirstOrDefault(f => f.FixableDiagnosticIds.Contains(id));
                if (fixer?.GetFixAllProvider() is not { } fixAll)
                {
                    continue;
                }

                var current = solution.GetProject(project.Id)!;
                var diagnostics = (await DiagnosticsAsync(current, analyzers))
                    .Where(d => d.Id == id && d.Location.IsInSource)
                    .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                    .ThenBy(d => d.Location.SourceSpan.Start)
                    .ToArray();
                // The light bulb on a squiggle: the chosen action, then "Fix all occurrences in: Solution".
                if (await ChooseAsync(current, fixer, diagnostics, choice) is not var (document, key))
                {
                    continue;
                }

                var context = new FixAllContext(document, fixer, FixAllScope.Solution, key, new[] { id }, new Provider(analyzers), CancellationToken.None);
                if (await fixAll.GetFixAsync(context) is { } action)
                {
                    foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
                    {
                        if (operation is ApplyChangesOperation apply && apply.ChangedSolution != solution)
                        {
                            solution = apply.ChangedSolution;
                            changed = true;
                            log.Add($"pass {pass + 1}: {id} with {key} from {Path.GetFileName(document.FilePath)}");
                        }
                    }
                }
            }

            if (!changed)
            {
                break;
            }
        }

        foreach (var document in solution.GetProject(project.Id)!.Documents)
        {
            if (document.FilePath is { } path && path.StartsWith(directory, StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            {
                var text = (await document.GetTextAsync()).ToString();
                if (text != await File.ReadAllTextAsync(path))
                {
                    await File.WriteAllTextAsync(path, text);
                }
            }
        }

        return log;
    }

    /// <summary>
    /// The first diagnostic with an action; for a secondary choice, the first diagnostic that has more than one action
    /// is taken before it. Returns the diagnostic's document and the chosen action's equivalence key.
    /// </summary>
    private static async Task<(Document Document, string? Key)?> ChooseAsync(Project project, CodeFixProvider fixer, IEnumerable<Diagnostic> diagnostics, ActionChoice choice)
    {
        (Document, string?)? first = null;
        foreach (var diagnostic in diagnostics)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            if (actions.Count > 1 && choice != ActionChoice.Preferred)
            {
                return (document, actions[choice == ActionChoice.Second ? 1 : actions.Count - 1].EquivalenceKey);
            }

            if (actions.Count > 0 && first is null)
            {
                first = (document, actions[0].EquivalenceKey);
                if (choice == ActionChoice.Preferred)
                {
                    break;
                }
            }
        }

        return first;
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = (await project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>The diagnostics Fix All is asked to fix, as the IDE's diagnostic service gives them.</summary>
    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;

        public Provider(ImmutableArray<DiagnosticAnalyzer> analyzers) => _analyzers = analyzers;

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await DiagnosticsAsync(project, _analyzers);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await DiagnosticsAsync(document.Project, _analyzers)).Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await DiagnosticsAsync(project, _analyzers)).Where(d => !d.Location.IsInSource);
    }
}
