using GracefulStop.Tests.Harness;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using SyntaxFactory = Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// What 'dotnet format' does to code nobody reads afterwards: over every compiling program of the corpus and the
/// realistic programs, every offered code action, one at a time and through Fix All, must give code that re-parses
/// to the tree the fix built, has no compiler error, and keeps every comment.
/// </summary>
public sealed class FixSafetyTests(ITestOutputHelper output)
{
    private const int MaxDiagnosticsPerProject = 40;
    private static readonly TimeSpan PerProjectLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public void The_realistic_programs_compile()
    {
        var broken = Corpus.Realistic.Select(f => Corpus.ProjectOf(f)).Where(p => !Corpus.Compiles(p)).Select(p =>
            p.Name + ": " + string.Join("; ", p.CreateCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assert.Empty(broken);
    }

    [Fact]
    public async Task Every_fix_and_every_Fix_All_keeps_the_code_compiling_parsable_and_commented()
    {
        var projects = Corpus.Compiling;
        Assert.NotEmpty(projects);
        var failures = new ConcurrentQueue<string>();
        int actions = 0, fixAlls = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            projects,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (corpusProject, _) =>
            {
                try
                {
                    var (a, f, problems) = await RuleRunner.WithTimeLimitAsync(PerProjectLimit, corpusProject.Name, ct => CheckAsync(corpusProject, RuleRunner.Analyzers, RuleRunner.Fixers, ct));
                    Interlocked.Add(ref actions, a);
                    Interlocked.Add(ref fixAlls, f);
                    foreach (var problem in problems)
                    {
                        failures.Enqueue($"{corpusProject.Name}: {problem}");
                    }
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{corpusProject.Name}: {exception}");
                }
            });

        output.WriteLine($"{projects.Length} compiling projects, {actions} code actions and {fixAlls} Fix All runs checked, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} unsafe fixes:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures.Take(15))}");
    }

    /// <summary>Applies every action and Fix All the fixers offer for the analyzers' diagnostics; returns what went wrong.</summary>
    internal static async Task<(int Actions, int FixAlls, List<string> Failures)> CheckAsync(
        CorpusProject corpusProject, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var project = corpusProject.CreateProject(analyzers);
        var before = await SnapshotAsync(project, cancellationToken);
        var diagnostics = (await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, analyzers, cancellationToken)).Take(MaxDiagnosticsPerProject).ToList();
        var offered = await RuleRunner.GetActionsAsync(project, diagnostics, failures, cancellationToken, fixers);

        foreach (var action in offered)
        {
            var what = action.Describe();
            if (await RuleRunner.ApplyAsync(action.Action, what, failures, cancellationToken) is { } changed)
            {
                await CompareAsync(before, project.Solution, changed, what, failures, cancellationToken);
            }
        }

        var fixAlls = 0;
        foreach (var group in offered.GroupBy(a => (a.Fixer, a.Action.EquivalenceKey)))
        {
            var (fixer, key) = group.Key;
            var first = group.First();
            if (fixer.GetFixAllProvider() is not { } provider)
            {
                continue;
            }

            foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Solution })
            {
                if (!provider.GetSupportedFixAllScopes().Contains(scope))
                {
                    continue;
                }

                var what = $"Fix All in {scope} of {fixer.GetType().Name} ({key}) from {DiagnosticText.Describe(first.Diagnostic)}";
                var context = new FixAllContext(
                    first.Document,
                    fixer,
                    scope,
                    key,
                    fixer.FixableDiagnosticIds,
                    new TestFixAllDiagnosticProvider(analyzers, fixer.FixableDiagnosticIds),
                    cancellationToken);
                Microsoft.CodeAnalysis.CodeActions.CodeAction? fixAll;
                try
                {
                    fixAll = await provider.GetFixAsync(context);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures.Add($"{what}: GetFixAsync threw: {exception}");
                    continue;
                }

                if (fixAll is not null && await RuleRunner.ApplyAsync(fixAll, what, failures, cancellationToken) is { } changed)
                {
                    fixAlls++;
                    await CompareAsync(before, project.Solution, changed, what, failures, cancellationToken);
                }
            }
        }

        return (offered.Length, fixAlls, failures);
    }

    [Fact]
    public async Task The_check_catches_lost_comments_new_errors_and_trees_that_do_not_reparse()
    {
        var program = new CorpusProject(
            "self-test",
            ImmutableArray.Create(("/0/Test0.cs", "// header\nclass BadA\n{\n    // keep me\n}\n\nclass Fine\n{\n}\n")),
            OutputKind.DynamicallyLinkedLibrary);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new VerifierTests.BadClassAnalyzer());

        var (actions, fixAlls, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new VerifierTests.RenameFix()), CancellationToken.None);
        Assert.Equal((1, 2), (actions, fixAlls));
        Assert.Empty(failures);

        (_, _, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new DropsCommentsFix()), CancellationToken.None);
        Assert.Contains(failures, f => f.Contains("comments lost: // keep me" + Environment.NewLine, StringComparison.Ordinal));

        (_, _, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new VerifierTests.IntroducesErrorFix()), CancellationToken.None);
        Assert.Contains(failures, f => f.Contains("new compiler errors: CS0101", StringComparison.Ordinal));

        (_, _, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new VerifierTests.DoesNotReparseFix()), CancellationToken.None);
        Assert.Contains(failures, f => f.Contains("does not re-parse", StringComparison.Ordinal));

        (_, _, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new VerifierTests.ThrowsWhileComputingFix()), CancellationToken.None);
        Assert.Contains(failures, f => f.Contains("threw while computing its change", StringComparison.Ordinal));

        (_, _, failures) = await CheckAsync(program, analyzers, ImmutableArray.Create<CodeFixProvider>(new VerifierTests.ThrowsInRegisterFix()), CancellationToken.None);
        Assert.Contains(failures, f => f.Contains("RegisterCodeFixesAsync threw", StringComparison.Ordinal));
    }

    /// <summary>Renames the class and throws away the trivia inside it.</summary>
    private sealed class DropsCommentsFix : VerifierTests.RenameFix
    {
        protected override Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax Rewrite(Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax declaration) =>
            base.Rewrite(declaration).WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(declaration.CloseBraceToken.TrailingTrivia));
    }

    private sealed record Snapshot(ImmutableArray<string> Errors, ImmutableDictionary<string, int> Comments);

    private static async Task<Snapshot> SnapshotAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var errors = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToImmutableArray();
        var comments = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var comment in Comments(await tree.GetRootAsync(cancellationToken)))
            {
                comments[comment] = comments.GetValueOrDefault(comment) + 1;
            }
        }

        return new Snapshot(errors, comments.ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>Every comment, with each line trimmed, so re-indentation by the formatter does not count as a loss.</summary>
    public static IEnumerable<string> Comments(SyntaxNode root) =>
        root.DescendantTrivia(descendIntoTrivia: false)
            .Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)
                || t.IsKind(SyntaxKind.MultiLineCommentTrivia)
                || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)
                || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            .Select(t => string.Join("\n", t.ToFullString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)));

    private static async Task CompareAsync(Snapshot before, Solution original, Solution changed, string what, List<string> failures, CancellationToken cancellationToken)
    {
        var project = changed.Projects.Single();
        var changedAnything = false;
        foreach (var document in project.Documents)
        {
            var tree = (await document.GetSyntaxTreeAsync(cancellationToken))!;
            var text = (await document.GetTextAsync(cancellationToken)).ToString();
            var originalText = original.GetDocument(document.Id) is { } o ? (await o.GetTextAsync(cancellationToken)).ToString() : null;
            changedAnything |= originalText != text;
            var reparsed = CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)tree.Options, cancellationToken: cancellationToken);
            if (SyntaxShape.FirstDifference(await tree.GetRootAsync(cancellationToken), reparsed.GetRoot(cancellationToken)) is { } difference)
            {
                failures.Add($"{what}: {document.FilePath} does not re-parse to the tree the fix built (missing parentheses or trivia?): {difference}{Environment.NewLine}{text}");
            }
        }

        if (!changedAnything)
        {
            failures.Add($"{what}: changed nothing.");
            return;
        }

        var after = await SnapshotAsync(project, cancellationToken);
        var newErrors = after.Errors.ToList();
        foreach (var error in before.Errors)
        {
            newErrors.Remove(error);
        }

        if (newErrors.Count > 0)
        {
            failures.Add($"{what}: new compiler errors: {string.Join("; ", newErrors)}{Environment.NewLine}{await ChangedTextAsync(original, changed, cancellationToken)}");
        }

        var lost = before.Comments.Where(c => after.Comments.GetValueOrDefault(c.Key) < c.Value).Select(c => c.Key).ToList();
        if (lost.Count > 0)
        {
            failures.Add($"{what}: comments lost: {string.Join(" | ", lost)}{Environment.NewLine}{await ChangedTextAsync(original, changed, cancellationToken)}");
        }
    }

    private static async Task<string> ChangedTextAsync(Solution original, Solution changed, CancellationToken cancellationToken)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var document in changed.Projects.Single().Documents)
        {
            var text = (await document.GetTextAsync(cancellationToken)).ToString();
            var old = original.GetDocument(document.Id) is { } o ? (await o.GetTextAsync(cancellationToken)).ToString() : string.Empty;
            if (old != text)
            {
                builder.AppendLine(document.FilePath).Append(TextDiff.Describe(old, text));
            }
        }

        return builder.ToString();
    }
}
