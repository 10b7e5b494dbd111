using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.Validate;

/// <summary>
/// What the tool reads from a <c>.csproj</c> and the <c>Directory.Build.props</c> files above it: target frameworks,
/// defined constants, implicit usings, nullable context and project references. Not MSBuild: properties are expanded
/// from plain definitions; a property group or property whose condition names a Debug configuration or another target
/// framework than the chosen one is skipped.
/// </summary>
public sealed class ProjectFile
{
    private ProjectFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public bool SdkStyle { get; private set; }

    public CompileTarget Target { get; private set; } = CompileTarget.Choose([]);

    public IReadOnlyList<string> DefineConstants { get; private set; } = [];

    /// <summary>
    /// The C# version the project compiles with: its <c>LangVersion</c> (<c>latest</c>, <c>preview</c>, <c>9.0</c>, ...),
    /// else the SDK's default for the chosen target (C# 7.3 for .NET Framework). Parsing an old project as the newest C#
    /// would make, for one, a local named <c>field</c> in a property accessor a keyword (C# 14).
    /// </summary>
    public LanguageVersion LanguageVersion { get; private set; } = LanguageVersion.Preview;

    public bool ImplicitUsings { get; private set; }

    public IReadOnlyList<string> Usings { get; private set; } = [];

    public bool Nullable { get; private set; }

    public IReadOnlyList<string> ProjectReferences { get; private set; } = [];

    /// <summary>The simple names of plain assembly references (old-style projects name their siblings' built DLLs so).</summary>
    public IReadOnlyList<string> AssemblyReferences { get; private set; } = [];

    public string AssemblyName { get; private set; } = string.Empty;

    /// <summary>
    /// The friend assemblies of <c>InternalsVisibleTo</c> items and of <c>AssemblyAttribute</c> items for
    /// <c>InternalsVisibleTo</c> (an SDK-style project's build turns each into an assembly attribute);
    /// <c>$(AssemblyName)</c> and <c>$(MSBuildProjectName)</c> expanded, others skipped.
    /// </summary>
    public IReadOnlyList<string> InternalsVisibleTo { get; private set; } = [];

    /// <summary>Package ids: <c>PackageReference</c>s, and old-style references whose hint path is in a <c>packages</c> folder.</summary>
    public IReadOnlyList<string> Packages { get; private set; } = [];

    /// <summary>
    /// The files of the shared projects (<c>.projitems</c>) the project imports: their <c>Compile</c> items, full paths
    /// of files that exist. A shared project is no project of its own: its files are compiled by those that import it.
    /// </summary>
    public IReadOnlyList<string> SharedItems { get; private set; } = [];

    /// <summary>An old-style project's <c>Compile</c> items (full paths), or null where the files are the folder's (SDK style, wildcards).</summary>
    public IReadOnlyList<string>? CompileItems { get; private set; }

    public static ProjectFile Read(string path, string repoRoot, bool preferFramework)
    {
        var project = new ProjectFile(System.IO.Path.GetFullPath(path));
        var documents = PropsAbove(project.Folder, repoRoot).Select(Load).Where(d => d is not null).Select(d => d!).ToList();
        var own = Load(project.Path);
        if (own is null)
        {
            return project;
        }

        documents.Add(own);
        project.SdkStyle = own.Root?.Attribute("Sdk") is not null || own.Root?.Elements().Any(e => e.Name.LocalName == "Sdk") == true;

        // First pass without a target to find the target frameworks, then again with the chosen one for the rest.
        var properties = Evaluate(documents, target: null);
        var monikers = Split(Get(properties, "TargetFrameworks") ?? Get(properties, "TargetFramework") ?? string.Empty);
        if (!project.SdkStyle && Get(properties, "TargetFrameworkVersion") is { } oldVersion)
        {
            monikers = ["net" + oldVersion.TrimStart('v', 'V').Replace(".", string.Empty, StringComparison.Ordinal)];
        }

        project.Target = CompileTarget.Choose(monikers, preferFramework, project.SdkStyle);
        properties = Evaluate(documents, project.Target.Moniker);
        // A symbol built by a property function (NETFX_$(TargetFrameworkVersion.Replace("v", ""))) is not evaluated here:
        // it is left out rather than passed on as an invalid symbol.
        project.DefineConstants = Split(Get(properties, "DefineConstants") ?? string.Empty)
            .Where(s => Regex.IsMatch(s, "^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.None, RegexTimeout.Value)).ToList();
        project.LanguageVersion = Get(properties, "LangVersion") is { } declared && !declared.Contains("$(", StringComparison.Ordinal)
            && LanguageVersionFacts.TryParse(declared.Trim(), out var parsed)
            ? parsed.MapSpecifiedToEffectiveVersion()
            : project.Target.DefaultLanguage;
        project.ImplicitUsings = Get(properties, "ImplicitUsings") is "enable" or "true";
        project.Nullable = Get(properties, "Nullable") is "enable" or "annotations" or "warnings";
        project.Usings = documents.SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "Using"))
            .Select(e => e.Attribute("Include")?.Value).Where(v => !string.IsNullOrWhiteSpace(v) && !v.Contains("$(", StringComparison.Ordinal))
            .Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
        project.AssemblyName = Get(properties, "AssemblyName") ?? project.Name;
        project.InternalsVisibleTo = documents.SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "InternalsVisibleTo"))
            .Select(e => e.Attribute("Include")?.Value)
            .Concat(documents.SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "AssemblyAttribute"
                    && e.Attribute("Include")?.Value is "System.Runtime.CompilerServices.InternalsVisibleTo" or "System.Runtime.CompilerServices.InternalsVisibleToAttribute"))
                .Select(e => e.Elements().FirstOrDefault(c => c.Name.LocalName == "_Parameter1")?.Value))
            .Select(v => v?
                .Replace("$(AssemblyName)", project.AssemblyName, StringComparison.Ordinal)
                .Replace("$(MSBuildProjectName)", project.Name, StringComparison.Ordinal))
            .Where(v => !string.IsNullOrWhiteSpace(v) && !v.Contains("$(", StringComparison.Ordinal))
            .Select(v => v!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        project.AssemblyReferences = own.Descendants().Where(e => e.Name.LocalName == "Reference")
            .Select(e => e.Attribute("Include")?.Value.Split(',')[0].Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        project.Packages = documents.SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "PackageReference"))
            .Select(e => e.Attribute("Include")?.Value)
            .Concat(own.Descendants().Where(e => e.Name.LocalName == "HintPath")
                .Select(e => Regex.Match(e.Value, @"packages[\\/]([^\\/]+?)\.\d+(?:\.\d+)*(?:-[^\\/]*)?[\\/]", RegexOptions.IgnoreCase, RegexTimeout.Value))
                .Where(m => m.Success).Select(m => m.Groups[1].Value))
            .Where(v => !string.IsNullOrWhiteSpace(v) && !v.Contains("$(", StringComparison.Ordinal)).Select(v => v!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        project.ProjectReferences = own.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => e.Attribute("Include")?.Value).Where(v => !string.IsNullOrWhiteSpace(v) && !v.Contains("$(", StringComparison.Ordinal))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(project.Folder, v!.Replace('\\', '/'))))
            .ToList();
        project.SharedItems = own.Descendants().Where(e => e.Name.LocalName == "Import")
            .Select(e => e.Attribute("Project")?.Value)
            .Where(v => v is not null && v.EndsWith(".projitems", StringComparison.OrdinalIgnoreCase))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(project.Folder, v!.Replace("$(MSBuildThisFileDirectory)", string.Empty, StringComparison.Ordinal).Replace('\\', '/'))))
            .SelectMany(SharedProjectItems).Distinct(StringComparer.Ordinal).ToList();
        var compile = own.Descendants().Where(e => e.Name.LocalName == "Compile").Select(e => e.Attribute("Include")?.Value).ToList();
        if (!project.SdkStyle && compile.Count > 0 && compile.All(v => v is not null && !v.Contains('*', StringComparison.Ordinal) && !v.Contains("$(", StringComparison.Ordinal)))
        {
            project.CompileItems = compile.Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(project.Folder, v!.Replace('\\', '/'))))
                .Where(File.Exists).Distinct(StringComparer.Ordinal).ToList();
        }

        return project;
    }

    private static IEnumerable<string> SharedProjectItems(string projitems)
    {
        if (Load(projitems) is not { } document)
        {
            return [];
        }

        var folder = System.IO.Path.GetDirectoryName(projitems)!;
        return document.Descendants().Where(e => e.Name.LocalName == "Compile").Select(e => e.Attribute("Include")?.Value)
            .Where(v => v is not null && !v.Contains('*', StringComparison.Ordinal))
            .Select(v => v!.Replace("$(MSBuildThisFileDirectory)", string.Empty, StringComparison.Ordinal).Replace('\\', '/'))
            .Where(v => !v.Contains("$(", StringComparison.Ordinal))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, v)))
            .Where(File.Exists)
            .ToList();
    }

    private static IEnumerable<string> PropsAbove(string folder, string repoRoot)
    {
        var found = new List<string>();
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var props = System.IO.Path.Combine(dir.FullName, "Directory.Build.props");
            if (File.Exists(props))
            {
                found.Add(props);
            }

            if (string.Equals(dir.FullName.TrimEnd('/'), repoRoot.TrimEnd('/'), StringComparison.Ordinal))
            {
                break;
            }
        }

        found.Reverse();
        return found;
    }

    private static XDocument? Load(string path)
    {
        try
        {
            return XDocument.Load(path);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> Evaluate(IEnumerable<XDocument> documents, string? target)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Configuration"] = "Release",
            ["TargetFramework"] = target ?? string.Empty,
        };
        foreach (var group in documents.SelectMany(d => d.Descendants().Where(e => e.Name.LocalName == "PropertyGroup")))
        {
            if (!Applies(group.Attribute("Condition")?.Value, target))
            {
                continue;
            }

            foreach (var property in group.Elements())
            {
                if (Applies(property.Attribute("Condition")?.Value, target))
                {
                    properties[property.Name.LocalName] = Expand(property.Value.Trim(), properties);
                }
            }
        }

        return properties;
    }

    private static bool Applies(string? condition, string? target)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return true;
        }

        if (condition.Contains("Debug", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (condition.Contains("TargetFramework", StringComparison.OrdinalIgnoreCase) && !condition.Contains("TargetFrameworkIdentifier", StringComparison.OrdinalIgnoreCase))
        {
            var named = target is not null && Regex.IsMatch(condition, $@"'{Regex.Escape(target)}'", RegexOptions.IgnoreCase, RegexTimeout.Value);
            return target is not null && (condition.Contains("!=", StringComparison.Ordinal) ? !named : named);
        }

        // Conditions on other properties (platform, OS, a version switch): taken, as the plain build would mostly take them.
        return !condition.Contains("!=", StringComparison.Ordinal) || condition.Contains("''", StringComparison.Ordinal);
    }

    private static string Expand(string value, Dictionary<string, string> properties) =>
        Regex.Replace(value, @"\$\(([A-Za-z_][A-Za-z0-9_.]*)\)", m => properties.TryGetValue(m.Groups[1].Value, out var v) ? v : string.Empty, RegexOptions.None, RegexTimeout.Value);

    private static string? Get(Dictionary<string, string> properties, string name) =>
        properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static List<string> Split(string value) =>
        value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
}
