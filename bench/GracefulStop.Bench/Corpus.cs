using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Bench;

/// <summary>A set of parsed files and the references they compile against; compiled afresh for each measured run.</summary>
public sealed class Corpus
{
    private static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithPreprocessorSymbols("NET", "NETCOREAPP", "NET8_0", "NET8_0_OR_GREATER", "NET7_0_OR_GREATER", "NET6_0_OR_GREATER", "NET5_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER", "NETSTANDARD2_0_OR_GREATER", "RELEASE");

    private Corpus? _warmup;

    private Corpus(string name, string description, ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, int lines)
    {
        Name = name;
        Description = description;
        Trees = trees;
        References = references;
        Lines = lines;
    }

    public string Name { get; }

    public string Description { get; }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public ImmutableArray<MetadataReference> References { get; }

    public int Lines { get; }

    /// <summary>A new compilation (no caches shared with earlier runs); single-threaded unless asked otherwise.</summary>
    public CSharpCompilation Compile(bool concurrent, ImmutableDictionary<string, ReportDiagnostic>? diagnosticOptions = null)
    {
        var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true,
                concurrentBuild: concurrent)
            .WithSpecificDiagnosticOptions(diagnosticOptions ?? ImmutableDictionary<string, ReportDiagnostic>.Empty);
        return CSharpCompilation.Create("Bench_" + Name, Trees, References, options);
    }

    /// <summary>
    /// What warm-up runs compile: the first files, up to about 20,000 lines. Warm-up exists to JIT the code paths, and
    /// caches never outlive a compilation, so the whole corpus is not needed.
    /// </summary>
    public Corpus Warmup
    {
        get
        {
            if (_warmup is not null)
            {
                return _warmup;
            }

            if (Lines <= 30_000)
            {
                return _warmup = this;
            }

            var trees = ImmutableArray.CreateBuilder<SyntaxTree>();
            var lines = 0;
            foreach (var tree in Trees)
            {
                if (lines >= 20_000 && !tree.FilePath.StartsWith("Common/", StringComparison.Ordinal))
                {
                    continue;
                }

                trees.Add(tree);
                lines += tree.GetText().Lines.Count;
            }

            return _warmup = new Corpus(Name + " (warm-up slice)", Description, trees.ToImmutable(), References, lines);
        }
    }

    public static ImmutableArray<MetadataReference> Net80 { get; } =
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().ToImmutableArray();

    public static Corpus Generated(int lines, int seed, string name)
    {
        var files = new CorpusGenerator(seed).Generate(lines);
        return FromTexts(name, $"generated, seed {seed}", files, Net80);
    }

    /// <summary>
    /// Every .cs file under <paramref name="folders"/> (several folders separated by commas make one compilation; bin/obj
    /// skipped), compiled against net8.0; errors are tolerated.
    /// </summary>
    public static Corpus Folder(string folders, string? name, ImmutableArray<MetadataReference> framework, ImmutableArray<MetadataReference> extraReferences, bool implicitUsings)
    {
        var roots = folders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath).ToArray();
        var files = new List<(string, string)>();
        foreach (var full in roots)
        {
            foreach (var path in Directory.EnumerateFiles(full, "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(full, path);
                var segments = relative.Split(Path.DirectorySeparatorChar);
                if (segments.Any(s => s is "bin" or "obj" or ".git" or "node_modules"))
                {
                    continue;
                }

                if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
                    && Regex.IsMatch(File.ReadAllText(path), @"<ImplicitUsings>\s*(?:enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
                {
                    implicitUsings = true;
                }

                if (path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                {
                    files.Add((Path.Combine(Path.GetFileName(full), relative), File.ReadAllText(path)));
                }
            }
        }

        if (implicitUsings)
        {
            files.Add(("__ImplicitUsings.g.cs", """
                // <auto-generated/>
                global using global::System;
                global using global::System.Collections.Generic;
                global using global::System.IO;
                global using global::System.Linq;
                global using global::System.Net.Http;
                global using global::System.Threading;
                global using global::System.Threading.Tasks;
                """));
        }

        var references = framework.AddRange(extraReferences);
        return FromTexts(name ?? Path.GetFileName(roots[0].TrimEnd(Path.DirectorySeparatorChar)), string.Join(", ", roots), files, references);
    }

    /// <summary>
    /// The project's own src/ (analyzers and fixers) as it is built: netstandard2.0 with Roslyn 4.14, the assemblies taken
    /// from the local package folder when restored there (else the Roslyn of this process, which costs some errors).
    /// </summary>
    public static Corpus OwnSources(string repoRoot, string? packagesRoot)
    {
        var references = new List<MetadataReference>();
        var packages = new[]
        {
            ("microsoft.codeanalysis.common", "4.14.0"),
            ("microsoft.codeanalysis.csharp", "4.14.0"),
            ("microsoft.codeanalysis.workspaces.common", "4.14.0"),
            ("microsoft.codeanalysis.csharp.workspaces", "4.14.0"),
            ("system.collections.immutable", null),
            ("system.reflection.metadata", null),
            ("system.composition.attributedmodel", null),
            ("system.memory", null),
        };
        foreach (var (id, version) in packages)
        {
            var folder = packagesRoot is null ? null : Path.Combine(packagesRoot, id);
            if (folder is null || !Directory.Exists(folder))
            {
                continue;
            }

            var chosen = version ?? Directory.GetDirectories(folder).Select(Path.GetFileName).OrderByDescending(v => v, StringComparer.Ordinal).FirstOrDefault();
            var lib = chosen is null ? null : Path.Combine(folder, chosen, "lib", "netstandard2.0");
            if (lib is not null && Directory.Exists(lib))
            {
                references.AddRange(Directory.GetFiles(lib, "*.dll").Order(StringComparer.Ordinal).Select(f => MetadataReference.CreateFromFile(f)));
            }
        }

        if (references.Count < 4)
        {
            references.AddRange(new[]
                {
                    typeof(Compilation).Assembly,
                    typeof(CSharpCompilation).Assembly,
                    typeof(Microsoft.CodeAnalysis.Workspace).Assembly,
                    typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions).Assembly,
                    typeof(System.Composition.SharedAttribute).Assembly,
                }
                .Select(a => a.Location)
                .Distinct()
                .Select(l => MetadataReference.CreateFromFile(l)));
            return Folder(Path.Combine(repoRoot, "src"), "src", Net80, references.ToImmutableArray(), implicitUsings: false);
        }

        var netStandard = Basic.Reference.Assemblies.NetStandard20.References.All.Cast<MetadataReference>().ToImmutableArray();
        return Folder(Path.Combine(repoRoot, "src"), "src", netStandard, references.ToImmutableArray(), implicitUsings: false);
    }

    private static Corpus FromTexts(string name, string description, IReadOnlyList<(string Path, string Text)> files, ImmutableArray<MetadataReference> references)
    {
        var trees = new SyntaxTree[files.Count];
        var lines = 0;
        Parallel.For(0, files.Count, i =>
        {
            var text = SourceText.From(files[i].Text, System.Text.Encoding.UTF8);
            trees[i] = CSharpSyntaxTree.ParseText(text, ParseOptions, files[i].Path);
            Interlocked.Add(ref lines, text.Lines.Count);
        });
        return new Corpus(name, description, trees.ToImmutableArray(), references, lines);
    }
}
