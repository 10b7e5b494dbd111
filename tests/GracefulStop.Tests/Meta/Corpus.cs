using GracefulStop.Tests.Harness;
using System.Collections.Immutable;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Tests.Meta;

/// <summary>One C# file of the robustness corpus: where it came from, and its text.</summary>
public sealed record CorpusFile(string Name, string Text)
{
    public override string ToString() => Name;
}

/// <summary>
/// The real C# the robustness tests run the rules over: every test input of every rule (the string literals in
/// tests/**/*.cs that parse as a compilation unit with a class, markup removed), the samples, the project's own
/// src/, and the realistic programs of <see cref="RealisticPrograms"/>. Found from the repository on disk, so every
/// rule and test added later is covered without a change here.
/// </summary>
public static class Corpus
{
    private static readonly Lazy<ImmutableArray<CorpusFile>> LazyTestInputs = new(LoadTestInputs);
    private static readonly Lazy<ImmutableArray<CorpusProject>> LazyCompiling = new(LoadCompiling);

    public static string RepositoryRoot => RepositoryFiles.Root;

    /// <summary>The string literals of the test sources that are C# programs, markup removed, without duplicates.</summary>
    public static ImmutableArray<CorpusFile> TestInputs => LazyTestInputs.Value;

    public static ImmutableArray<CorpusFile> Samples => Files("samples");

    public static ImmutableArray<CorpusFile> ProjectSources => Files("src");

    public static ImmutableArray<CorpusFile> Realistic => RealisticPrograms.All;

    /// <summary>Everything: test inputs, realistic programs, samples and src, in a stable order.</summary>
    public static ImmutableArray<CorpusFile> All => TestInputs.AddRange(Realistic).AddRange(Samples).AddRange(ProjectSources);

    /// <summary>
    /// The projects of the corpus that compile against .NET 8 with no compiler error: each test input and realistic
    /// program on its own, and each folder under samples/ as one console app with implicit usings. src/ needs Roslyn
    /// and is left out.
    /// </summary>
    public static ImmutableArray<CorpusProject> Compiling => LazyCompiling.Value;

    /// <summary>The global usings of an SDK project with ImplicitUsings enabled.</summary>
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public const string ImplicitUsingsPath = "/0/ImplicitUsings.g.cs";

    /// <summary>A file on its own, with the implicit usings when it is a sample.</summary>
    public static CorpusProject ProjectOf(CorpusFile file, string? text = null)
    {
        text ??= file.Text;
        var sources = ImmutableArray.Create((PathOf(file), text));
        if (file.Name.StartsWith("samples/", StringComparison.Ordinal))
        {
            sources = sources.Add((ImplicitUsingsPath, ImplicitUsings));
        }

        return new CorpusProject(file.Name, sources, OutputKindOf(sources));
    }

    /// <summary>Each folder under samples/ as one project.</summary>
    public static ImmutableArray<CorpusProject> SampleProjects =>
        Samples.GroupBy(f => string.Join('/', f.Name.Split('/').Take(2)), StringComparer.Ordinal)
            .Select(g =>
            {
                var sources = g.Select(f => (PathOf(f), f.Text)).Append((ImplicitUsingsPath, ImplicitUsings)).ToImmutableArray();
                return new CorpusProject(g.Key, sources, OutputKindOf(sources));
            })
            .ToImmutableArray();

    public static string PathOf(CorpusFile file) => "/0/" + SafeName(file.Name) + ".cs";

    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
        return new string(chars);
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        var directory = Path.Combine(RepositoryRoot, folder);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<string>();
        }

        return Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(p))
            .OrderBy(p => p, StringComparer.Ordinal);
    }

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');

    private static ImmutableArray<CorpusFile> Files(string folder) =>
        SourceFiles(folder).Select(p => new CorpusFile(Relative(p), File.ReadAllText(p))).ToImmutableArray();

    private static ImmutableArray<CorpusFile> LoadTestInputs()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<CorpusFile>();
        foreach (var path in SourceFiles("tests"))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            var index = 0;
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.StringLiteralToken)
                    && !token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken)
                    && !token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
                {
                    continue;
                }

                var text = StripMarkup(token.ValueText);
                if (text is null || !IsProgram(text) || !seen.Add(text) || RealisticPrograms.All.Any(r => r.Text == text))
                {
                    continue;
                }

                var line = token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                result.Add(new CorpusFile($"{Relative(path)}:{line}#{index++}", text));
            }
        }

        return result.ToImmutable();
    }

    private static string? StripMarkup(string text)
    {
        try
        {
            return MarkupText.HasMarkup(text) ? MarkupText.Strip(text) : text;
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A compilation unit that declares a class (and is not, say, an .editorconfig or a message).</summary>
    private static bool IsProgram(string text)
    {
        if (text.Length < 10 || !text.Contains("class", StringComparison.Ordinal))
        {
            return false;
        }

        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        return root.DescendantNodes().OfType<ClassDeclarationSyntax>().Any();
    }

    private static ImmutableArray<CorpusProject> LoadCompiling()
    {
        var candidates = TestInputs.AddRange(Realistic).Select(f => ProjectOf(f)).Concat(SampleProjects);
        return candidates.Where(Compiles).ToImmutableArray();
    }

    public static bool Compiles(CorpusProject project) =>
        !project.CreateCompilation().GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>Top-level statements need an executable; everything else is a library.</summary>
    public static OutputKind OutputKindOf(IEnumerable<(string Path, string Text)> sources) =>
        sources.Any(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any())
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
}

/// <summary>Sources compiled together, as in one project of the user.</summary>
public sealed record CorpusProject(string Name, ImmutableArray<(string Path, string Text)> Sources, OutputKind OutputKind)
{
    public override string ToString() => Name;

    public TestProjectOptions Options(ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> analyzers) =>
        new(TestReferences.Net80, LanguageVersion.Latest, OutputKind, analyzers, ImmutableArray<string>.Empty);

    public Project CreateProject(ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> analyzers) =>
        TestProjectBuilder.Create(Options(analyzers), Sources, Array.Empty<(string, string)>());

    public CSharpCompilation CreateCompilation() => CSharpCompilation.Create(
        "Corpus",
        Sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, Corpus.ParseOptions, s.Path)),
        TestReferences.Net80.References,
        new CSharpCompilationOptions(OutputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
}
