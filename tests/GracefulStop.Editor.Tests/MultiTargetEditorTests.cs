using GracefulStop.EndToEnd.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.MSBuild;
using Xunit.Abstractions;

namespace GracefulStop.Editor.Tests;

/// <summary>
/// A multi-targeted library (<c>net462;netstandard2.0;net8.0</c>) as the IDE loads it: one project per target, each
/// document linked into all three. The light bulb of the <c>net8.0</c> project offers a token overload only when the
/// older targets have it too.
/// </summary>
[Collection(EditorCollection.Name)]
public sealed class MultiTargetEditorTests
{
    private readonly EditorFixture _editor;
    private readonly ITestOutputHelper _output;

    public MultiTargetEditorTests(EditorFixture editor, ITestOutputHelper output)
    {
        _editor = editor;
        _output = output;
    }

    [Fact]
    public async Task Light_bulb_offers_a_token_overload_only_when_every_target_has_it()
    {
        var template = Path.Combine(AppContext.BaseDirectory, "MultiTarget");
        var sources = Directory.EnumerateFiles(template, "*.cs").ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        var directory = _editor.Package.CreateConsumer(
            "editor-multi-target",
            sources,
            includeCases: false,
            projectName: "Library",
            targetFrameworks: "net462;netstandard2.0;net8.0",
            extraProperties: "    <OutputType>Library</OutputType>\n    <ImplicitUsings>disable</ImplicitUsings>\n    <Nullable>disable</Nullable>");
        var restore = await DotNetCli.RunAsync(directory, new[] { "restore", "Library.csproj", "-nodeReuse:false", "-tl:off", "-v:m" });
        Assert.True(restore.ExitCode == 0, restore.ToString());

        using var workspace = MSBuildWorkspace.Create();
        await workspace.OpenProjectAsync(Path.Combine(directory, "Library.csproj"));
        var projects = workspace.CurrentSolution.Projects.ToList();
        _output.WriteLine(string.Join(", ", projects.Select(p => p.Name)));
        Assert.Equal(3, projects.Count);

        var net8 = Assert.Single(projects, p => p.Name.Contains("net8.0", StringComparison.Ordinal));
        var document = Assert.Single(net8.Documents, d => Path.GetFileName(d.FilePath) == "Workers.cs");
        Assert.Equal(2, document.GetLinkedDocumentIds().Length);

        var fixer = Assert.Single(_editor.Fixers, f => f.FixableDiagnosticIds.Contains("GS0005"));
        var offered = new List<string>();
        foreach (var diagnostic in (await _editor.GetDiagnosticsAsync(net8)).Where(d => d.Id == "GS0005"))
        {
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            var line = (await document.GetTextAsync()).Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start).ToString().Trim();
            offered.Add($"{line} -> {actions.Count} fix(es)");
        }

        _output.WriteLine(string.Join("\n", offered));
        Assert.Equal(
            new[]
            {
                "await writer.FlushAsync(); // expect(net8.0): GS0005 -> 0 fix(es)",
                "return await Dns.GetHostAddressesAsync(host); // expect(net8.0): GS0005 -> 0 fix(es)",
                "Thread.Sleep(1000); // expect: GS0005 -> 1 fix(es)",
            }.Order(StringComparer.Ordinal),
            offered.Order(StringComparer.Ordinal));
    }
}
