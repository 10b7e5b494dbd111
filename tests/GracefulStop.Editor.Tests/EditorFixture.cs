using System.Collections.Immutable;
using System.Reflection;
using GracefulStop.EndToEnd.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace GracefulStop.Editor.Tests;

/// <summary>
/// Packs the package, creates the end-to-end consumer (one case per rule) referencing it, restores it, and opens it
/// in an <see cref="MSBuildWorkspace"/> the way an IDE loads a project. The analyzers and fixers are those the
/// workspace loads from the package's <c>analyzers/dotnet/cs</c> folder.
/// </summary>
public sealed class EditorFixture : IAsyncLifetime
{
    private readonly PackageFixture _package = new();

    /// <summary>The packed package, for tests that create a consumer of their own.</summary>
    public PackageFixture Package => _package;

    public MSBuildWorkspace Workspace { get; private set; } = null!;

    public Project Project { get; private set; } = null!;

    public string Directory { get; private set; } = string.Empty;

    public IReadOnlyList<ExpectedDiagnostic> Expected { get; private set; } = Array.Empty<ExpectedDiagnostic>();

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; private set; }

    public ImmutableArray<CodeFixProvider> Fixers { get; private set; }

    public List<string> WorkspaceFailures { get; } = new();

    public TimeSpan OpenDuration { get; private set; }

    public async Task InitializeAsync()
    {
        await _package.InitializeAsync();
        Directory = _package.CreateConsumer("editor");
        Expected = ExpectedDiagnostic.Read(Directory);
        var restore = await DotNetCli.RunAsync(Directory, new[] { "restore", "Consumer.csproj", "-nodeReuse:false", "-tl:off", "-v:m" });
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Workspace = MSBuildWorkspace.Create();
        Workspace.WorkspaceFailed += (_, e) => WorkspaceFailures.Add($"{e.Diagnostic.Kind}: {e.Diagnostic.Message}");
        Project = await Workspace.OpenProjectAsync(Path.Combine(Directory, "Consumer.csproj"));
        OpenDuration = stopwatch.Elapsed;

        Analyzers = Project.AnalyzerReferences
            .SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp))
            .Where(a => a.GetType().Assembly.GetName().Name == "GracefulStop.Analyzers")
            .ToImmutableArray();
        // An IDE finds code fixes by MEF export in the analyzer assemblies; do the same by reflection.
        Fixers = Project.AnalyzerReferences
            .OfType<AnalyzerFileReference>()
            .Where(r => Path.GetFileName(r.FullPath) == "GracefulStop.CodeFixes.dll")
            .SelectMany(r => r.GetAssembly().GetTypes())
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    /// <summary>The package's diagnostics in a project, as the IDE's analyzer host computes them.</summary>
    public async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(Analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>The diagnostics of one document, the way the IDE refreshes an open file after an edit.</summary>
    public async Task<ImmutableArray<Diagnostic>> GetDocumentDiagnosticsAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var model = (await document.GetSemanticModelAsync())!;
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, document.Project.AnalyzerOptions);
        var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(model.SyntaxTree, CancellationToken.None);
        var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);
        return syntax.AddRange(semantic);
    }

    public async Task DisposeAsync()
    {
        Workspace?.Dispose();
        await _package.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EditorCollection : ICollectionFixture<EditorFixture>
{
    public const string Name = "Editor workspace";
}
