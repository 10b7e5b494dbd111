using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// What <c>dotnet pack</c> puts in the nupkg: exactly the analyzers, the presets, the readme, the license and the
/// scripts Visual Studio runs for packages.config projects.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageContentsTests
{
    private readonly PackageFixture _package;

    public PackageContentsTests(PackageFixture package) => _package = package;

    [Fact]
    public void Package_contains_exactly_the_analyzers_presets_readme_license_and_packages_config_scripts()
    {
        _package.EnsurePacked();
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var files = archive.Entries
            .Select(e => Regex.Replace(e.FullName, @"^package/services/metadata/core-properties/[^/]+\.psmdcp$", "package/services/metadata/core-properties/*.psmdcp"))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            new[]
            {
                "GracefulStop.Analyzers.nuspec",
                "LICENSE",
                "README.md",
                "[Content_Types].xml",
                "_rels/.rels",
                "analyzers/dotnet/cs/GracefulStop.Analyzers.dll",
                "analyzers/dotnet/cs/GracefulStop.CodeFixes.dll",
                "build/GracefulStop.Analyzers.targets",
                "build/presets/gracefulstop.none.globalconfig",
                "build/presets/gracefulstop.recommended.globalconfig",
                "build/presets/gracefulstop.strict.globalconfig",
                "buildTransitive/GracefulStop.Analyzers.targets",
                "package/services/metadata/core-properties/*.psmdcp",
                "tools/install.ps1",
                "tools/uninstall.ps1",
            },
            files);
    }

    [Fact]
    public void Nuspec_is_a_development_dependency_with_no_dependencies_and_full_metadata()
    {
        _package.EnsurePacked();
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        using var stream = archive.GetEntry("GracefulStop.Analyzers.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(PackageFixture.PackageId, Value("id"));
        Assert.Equal(_package.Version, Value("version"));
        Assert.Equal("true", Value("developmentDependency"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("https://github.com/gracefulstop/GracefulStop.Analyzers", Value("projectUrl"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("analyzers", Value("tags") ?? string.Empty, StringComparison.Ordinal);
        // Nothing flows to the consumer's dependency graph.
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Analyzer_assembly_needs_neither_workspaces_nor_the_code_fix_assembly()
    {
        _package.EnsurePacked();
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var references = AssemblyReferences(archive, "analyzers/dotnet/cs/GracefulStop.Analyzers.dll");

        Assert.DoesNotContain(references, r => r.Name.StartsWith("Microsoft.CodeAnalysis.Workspaces", StringComparison.Ordinal) || r.Name.StartsWith("Microsoft.CodeAnalysis.CSharp.Workspaces", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.Name == "GracefulStop.CodeFixes");
        // Built against the Roslyn of the oldest supported SDK, so every supported compiler can load it.
        var roslyn = Assert.Single(references, r => r.Name == "Microsoft.CodeAnalysis");
        Assert.True(roslyn.Version <= new Version(4, 14, 0, 0), $"Microsoft.CodeAnalysis {roslyn.Version} is newer than 4.14");
    }

    private static List<(string Name, Version Version)> AssemblyReferences(ZipArchive archive, string entry)
    {
        using var memory = new MemoryStream();
        using (var stream = archive.GetEntry(entry)!.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        using var pe = new PEReader(memory);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences
            .Select(h => reader.GetAssemblyReference(h))
            .Select(r => (reader.GetString(r.Name), r.Version))
            .ToList();
    }
}
