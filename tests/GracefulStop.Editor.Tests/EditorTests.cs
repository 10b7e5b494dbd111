using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using GracefulStop.EndToEnd.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace GracefulStop.Editor.Tests;

/// <summary>What the IDE shows and does with the packed package: squiggles, updates while typing, light bulb, Fix All.</summary>
[Collection(EditorCollection.Name)]
public sealed class EditorTests
{
    private const string HelpLinkBase = "https://github.com/gracefulstop/GracefulStop.Analyzers/blob/main/docs/rules/";

    private readonly EditorFixture _editor;
    private readonly ITestOutputHelper _output;

    public EditorTests(EditorFixture editor, ITestOutputHelper output)
    {
        _editor = editor;
        _output = output;
    }

    private Document Case(string rule) =>
        _editor.Project.Documents.Single(d => d.FilePath is { } path && Path.GetFileName(path) == rule + ".cs");

    private static string Where(Diagnostic d) =>
        $"{Path.GetFileName(d.Location.SourceTree?.FilePath)}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id}";

    [Fact]
    public async Task Workspace_shows_every_expected_diagnostic_with_position_severity_message_and_help_link()
    {
        _output.WriteLine($"MSBuildWorkspace opened the consumer in {_editor.OpenDuration.TotalSeconds:F1} s");
        Assert.DoesNotContain(_editor.WorkspaceFailures, f => f.StartsWith("Failure", StringComparison.Ordinal));
        Assert.NotEmpty(_editor.Analyzers);

        var diagnostics = await _editor.GetDiagnosticsAsync(_editor.Project);

        Assert.Equal(
            _editor.Expected.Select(e => $"{Path.GetFileName(e.File)}({e.Line}): {e.Id}").Order(StringComparer.Ordinal),
            diagnostics.Select(Where).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, d =>
        {
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
            Assert.Equal(HelpLinkBase + d.Id + ".md", d.Descriptor.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Fact]
    public async Task Typing_updates_the_diagnostics_of_the_edited_document()
    {
        var document = Case("GS0001");
        var text = await document.GetTextAsync();
        var abort = text.ToString().IndexOf("_worker.Abort();", StringComparison.Ordinal);
        Assert.True(abort >= 0);

        // Replace the abort by a join: the squiggle goes away.
        var edited = document.WithText(text.WithChanges(new TextChange(new TextSpan(abort, "_worker.Abort();".Length), "_worker.Join(); ")));
        var afterJoin = await _editor.GetDocumentDiagnosticsAsync(edited);
        Assert.DoesNotContain(afterJoin, d => d.Id == "GS0001");

        // Now nothing can stop the worker's endless loop, and GS0004 says so.
        Assert.Contains(afterJoin, d => d.Id == "GS0004");

        // Type an interrupt on the next line: a GS0002 squiggle appears there, while the text is half-typed too.
        var editedText = await edited.GetTextAsync();
        var line = editedText.Lines.GetLineFromPosition(abort);
        var halfTyped = edited.WithText(editedText.WithChanges(new TextChange(new TextSpan(line.End, 0), "\n        _worker.Interr")));
        Assert.DoesNotContain(await _editor.GetDocumentDiagnosticsAsync(halfTyped), d => d.Id is "GS0001" or "GS0002");

        var typed = edited.WithText(editedText.WithChanges(new TextChange(new TextSpan(line.End, 0), "\n        _worker.Interrupt();")));
        var diagnostic = Assert.Single(await _editor.GetDocumentDiagnosticsAsync(typed));
        Assert.Equal("GS0002", diagnostic.Id);
        Assert.Equal(line.LineNumber + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public async Task Light_bulb_offers_titled_actions_with_equivalence_keys_and_applying_one_removes_the_diagnostic()
    {
        foreach (var expected in _editor.Expected.Where(e => e.Fixable))
        {
            var document = _editor.Project.Documents.Single(d => d.FilePath!.EndsWith(expected.File, StringComparison.Ordinal));
            var diagnostic = Assert.Single(await _editor.GetDocumentDiagnosticsAsync(document), d => d.Id == expected.Id);
            var actions = await GetActionsAsync(document, diagnostic);

            Assert.NotEmpty(actions);
            foreach (var action in actions)
            {
                _output.WriteLine($"{expected}: '{action.Title}' ({action.EquivalenceKey})");
                Assert.False(string.IsNullOrWhiteSpace(action.Title));
                Assert.False(string.IsNullOrWhiteSpace(action.EquivalenceKey));
            }

            Assert.Equal(actions.Count, actions.Select(a => a.EquivalenceKey).Distinct().Count());

            var changed = await ApplyAsync(actions[0], document.Project.Solution);
            var project = changed.GetProject(document.Project.Id)!;
            await AssertCompilesAsync(project);
            var after = await _editor.GetDocumentDiagnosticsAsync(project.GetDocument(document.Id)!);
            Assert.DoesNotContain(after, d => d.Id == expected.Id);
        }
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Fix_all_leaves_no_fixable_diagnostic_in_its_scope_and_compiles(FixAllScope scope)
    {
        foreach (var rule in _editor.Expected.Where(e => e.Fixable).GroupBy(e => e.Id))
        {
            var first = rule.First();
            var document = _editor.Project.Documents.Single(d => d.FilePath!.EndsWith(first.File, StringComparison.Ordinal));
            var diagnostic = Assert.Single(await _editor.GetDocumentDiagnosticsAsync(document), d => d.Id == rule.Key);
            var fixer = _editor.Fixers.Single(f => f.FixableDiagnosticIds.Contains(rule.Key));
            var action = (await GetActionsAsync(document, diagnostic))[0];
            var fixAll = fixer.GetFixAllProvider();
            Assert.NotNull(fixAll);
            Assert.Contains(scope, fixAll!.GetSupportedFixAllScopes());

            var context = new FixAllContext(
                document, fixer, scope, action.EquivalenceKey, new[] { rule.Key }, new DiagnosticProvider(_editor), CancellationToken.None);
            var fix = await fixAll.GetFixAsync(context);
            Assert.NotNull(fix);

            var project = (await ApplyAsync(fix!, document.Project.Solution)).GetProject(document.Project.Id)!;
            await AssertCompilesAsync(project);
            var remaining = (await _editor.GetDiagnosticsAsync(project)).Where(d => d.Id == rule.Key);
            if (scope == FixAllScope.Document)
            {
                remaining = remaining.Where(d => d.Location.SourceTree?.FilePath == document.FilePath);
            }

            Assert.Empty(remaining.Select(Where));
        }
    }

    [Fact]
    public async Task Diagnostics_of_a_1000_line_file_follow_an_edit_quickly()
    {
        var source = new StringBuilder("namespace Consumer.Large;\n\n");
        var classes = 0;
        while (source.ToString().Split('\n').Length < 990)
        {
            source.Append($$"""
                public sealed class Worker{{classes}}
                {
                    private readonly Thread _worker = new(() => { while (true) { Thread.Sleep(10); } });
                    private int _count;

                    public void Start() => _worker.Start();

                    public int Count(int[] values)
                    {
                        var sum = 0;
                        foreach (var value in values)
                        {
                            sum += value;
                        }

                        _count += sum;
                        return _count;
                    }

                    public void Stop() => _worker.Abort();
                }


                """);
            classes++;
        }

        var lines = source.ToString().Split('\n').Length;
        var document = _editor.Project.AddDocument("Large.cs", SourceText.From(source.ToString()), filePath: Path.Combine(_editor.Directory, "Large.cs"));
        var cold = Stopwatch.StartNew();
        Assert.Equal(classes, (await _editor.GetDocumentDiagnosticsAsync(document)).Count(d => d.Id == "GS0001"));
        cold.Stop();

        var timings = new List<double>();
        var at = source.ToString().LastIndexOf("_worker.Abort();", StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            // Alternately replace the last abort by a join (of the same length) and type the abort back.
            var text = await document.GetTextAsync();
            document = document.WithText(text.WithChanges(new TextChange(new TextSpan(at, "_worker.Abort();".Length), i % 2 == 0 ? "_worker.Join(); " : "_worker.Abort();")));
            var warm = Stopwatch.StartNew();
            var count = (await _editor.GetDocumentDiagnosticsAsync(document)).Count(d => d.Id == "GS0001");
            timings.Add(warm.Elapsed.TotalMilliseconds);
            Assert.Equal(i % 2 == 0 ? classes - 1 : classes, count);
        }

        timings.Sort();
        _output.WriteLine($"{lines}-line file, {classes} types: first diagnostics {cold.Elapsed.TotalMilliseconds:F0} ms; after an edit median {timings[2]:F0} ms (min {timings[0]:F0}, max {timings[^1]:F0})");
        Assert.True(timings[2] < 5000, $"median {timings[2]:F0} ms from edit to diagnostics");
    }

    private async Task<List<CodeAction>> GetActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        foreach (var fixer in _editor.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    private static async Task AssertCompilesAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>Gives Fix All the package's diagnostics, as the IDE's diagnostic service does.</summary>
    private sealed class DiagnosticProvider(EditorFixture editor) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await editor.GetDocumentDiagnosticsAsync(document);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await editor.GetDiagnosticsAsync(project);
    }
}
