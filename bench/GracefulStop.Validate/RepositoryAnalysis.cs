using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Validate;

/// <summary>One project's compile: its target, how many files and compiler errors (how much of it bound), and the commonest error.</summary>
public sealed record ProjectResult(string Repo, string Project, string Target, bool SdkStyle, int Files, int Errors, int Reports, string CommonestError);

/// <summary>
/// Compiles every project of a repository in memory, in one <see cref="AdhocWorkspace"/> where project references are
/// real references, and runs every GracefulStop analyzer at its default enablement and severity with concurrent
/// execution. Analyzer exceptions are collected, never swallowed.
/// </summary>
public static class RepositoryAnalysis
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = LoadAnalyzers();

    public static async Task<(List<Site> Sites, List<ProjectResult> Projects, List<string> Exceptions)> RunAsync(RepositoryLayout layout, PackageCache packages, TextWriter log)
    {
        using var workspace = new AdhocWorkspace();
        var ids = layout.Projects.ToDictionary(p => p, _ => ProjectId.CreateNewId());
        var solution = workspace.CurrentSolution;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in layout.Projects)
        {
            var assemblyName = project.Name;
            for (var i = 2; !names.Add(assemblyName); i++)
            {
                assemblyName = project.Name + "_" + i;
            }

            var files = layout.Files.TryGetValue(project, out var list) ? list : [];
            var documents = files.Select(f => DocumentInfo.Create(
                DocumentId.CreateNewId(ids[project]), Path.GetFileName(f), loader: null, filePath: f).WithTextLoader(TextLoader.From(TextAndVersion.Create(Read(f), VersionStamp.Default, f)))).ToList();
            if (project.SdkStyle && project.ImplicitUsings)
            {
                documents.Add(Generated(ids[project], "ImplicitUsings.g.cs", ImplicitUsings.Concat(project.Usings)));
            }
            else if (project.Usings.Count > 0)
            {
                documents.Add(Generated(ids[project], "Usings.g.cs", project.Usings));
            }

            if (project.SdkStyle && project.InternalsVisibleTo.Count > 0)
            {
                documents.Add(GeneratedText(ids[project], "InternalsVisibleTo.g.cs", string.Concat(project.InternalsVisibleTo.Select(
                    friend => $"[assembly: global::System.Runtime.CompilerServices.InternalsVisibleTo(\"{friend.Replace("\"", "\\\"", StringComparison.Ordinal)}\")]\n"))));
            }

            var symbols = project.Target.Symbols.Concat(project.DefineConstants);
            if (project.SdkStyle)
            {
                symbols = symbols.Concat(["TRACE", "RELEASE"]);
            }

            solution = solution.AddProject(ProjectInfo.Create(
                ids[project], VersionStamp.Default, project.Name, assemblyName, LanguageNames.CSharp, filePath: project.Path,
                compilationOptions: new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    allowUnsafe: true,
                    nullableContextOptions: project.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable),
                parseOptions: new CSharpParseOptions(project.LanguageVersion, preprocessorSymbols: symbols.Distinct(StringComparer.Ordinal)),
                documents: documents,
                metadataReferences: project.Target.References.AddRange(packages.Resolve(project.Packages, project.Target.Pack))));
        }

        foreach (var (project, target) in AcyclicReferences(layout))
        {
            solution = solution.AddProjectReference(ids[project], new ProjectReference(ids[target]));
        }

        var sites = new List<Site>();
        var results = new List<ProjectResult>();
        var exceptions = new ConcurrentBag<string>();
        foreach (var project in layout.Projects)
        {
            var compilation = (await solution.GetProject(ids[project])!.GetCompilationAsync().ConfigureAwait(false))!;
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                onAnalyzerException: (e, analyzer, diagnostic) => exceptions.Add($"{layout.Name}/{layout.Relative(project.Path)}: {analyzer.GetType().Name}: {e.GetType().Name}: {e.Message} ({diagnostic.Location.GetLineSpan()})"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false);
            var all = await compilation.WithAnalyzers(Analyzers, options).GetAllDiagnosticsAsync().ConfigureAwait(false);
            var errors = 0;
            var reports = 0;
            var errorIds = new Dictionary<string, (int Count, string Example)>(StringComparer.Ordinal);
            foreach (var diagnostic in all)
            {
                if (diagnostic.Id == "AD0001")
                {
                    exceptions.Add($"{layout.Name}/{layout.Relative(project.Path)}: {diagnostic.GetMessage()}");
                }
                else if (diagnostic.Id.StartsWith("GS", StringComparison.Ordinal) && diagnostic.Location.IsInSource)
                {
                    sites.Add(Site.From(layout, project, diagnostic));
                    reports++;
                }
                else if (diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.Id.StartsWith("GS", StringComparison.Ordinal))
                {
                    errors++;
                    var (count, example) = errorIds.GetValueOrDefault(diagnostic.Id, (0, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
                    errorIds[diagnostic.Id] = (count + 1, example);
                }
            }

            var fileCount = layout.Files.TryGetValue(project, out var files) ? files.Count : 0;
            var commonest = errorIds.OrderByDescending(e => e.Value.Count).Select(e => $"{e.Key} ×{e.Value.Count}, e.g. {e.Value.Example}").FirstOrDefault() ?? string.Empty;
            results.Add(new ProjectResult(layout.Name, layout.Relative(project.Path), project.Target.Moniker, project.SdkStyle, fileCount, errors, reports, commonest));
            log.WriteLine($"  {layout.Relative(project.Path)} [{project.Target.Moniker}{(project.SdkStyle ? string.Empty : ", old-style")}]: {fileCount} files, {errors} errors, {reports} reports{(errors > 0 ? "; " + commonest : string.Empty)}");
        }

        return (sites, results, exceptions.ToList());
    }

    /// <summary>
    /// Project references that resolve to a project of the repository, and assembly references named like one of its
    /// projects' assemblies, leaving out any that would close a cycle.
    /// </summary>
    private static List<(ProjectFile From, ProjectFile To)> AcyclicReferences(RepositoryLayout layout)
    {
        var edges = new List<(ProjectFile, ProjectFile)>();
        var state = new Dictionary<ProjectFile, int>();
        void Visit(ProjectFile project)
        {
            state[project] = 1;
            var byAssembly = project.AssemblyReferences.Select(a => layout.Projects.FirstOrDefault(p => string.Equals(p.AssemblyName, a, StringComparison.OrdinalIgnoreCase)));
            foreach (var target in project.ProjectReferences.Select(layout.Resolve).Concat(byAssembly))
            {
                if (target is null || target == project || state.GetValueOrDefault(target) == 1 || edges.Contains((project, target)))
                {
                    continue;
                }

                if (state.GetValueOrDefault(target) == 0)
                {
                    Visit(target);
                }

                edges.Add((project, target));
            }

            state[project] = 2;
        }

        foreach (var project in layout.Projects.Where(p => state.GetValueOrDefault(p) == 0))
        {
            Visit(project);
        }

        return edges;
    }

    private static DocumentInfo Generated(ProjectId project, string name, IEnumerable<string> namespaces) =>
        GeneratedText(project, name, string.Concat(namespaces.Distinct(StringComparer.Ordinal).Select(n => $"global using global::{n};\n")));

    private static DocumentInfo GeneratedText(ProjectId project, string name, string code)
    {
        var text = "// <auto-generated/>\n" + code;
        return DocumentInfo.Create(DocumentId.CreateNewId(project), name, filePath: "/__generated__/" + name)
            .WithTextLoader(TextLoader.From(TextAndVersion.Create(SourceText.From(text, Encoding.UTF8), VersionStamp.Default)));
    }

    private static SourceText Read(string path)
    {
        using var stream = File.OpenRead(path);
        return SourceText.From(stream, Encoding.UTF8);
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers() =>
        typeof(GracefulStop.Analyzers.RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
