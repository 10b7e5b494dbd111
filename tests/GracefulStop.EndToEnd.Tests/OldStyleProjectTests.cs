using System.IO.Compression;
using System.Text.RegularExpressions;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// Old-style projects with packages.config. NuGet does not apply the package's analyzers/ folder to them: Visual Studio
/// runs tools/install.ps1, which adds one &lt;Analyzer Include="..."&gt; item per assembly (and uninstall.ps1 removes
/// them). Neither Visual Studio nor PowerShell runs here, so these tests check what the scripts name, then build the
/// project the scripts leave behind: the package extracted under packages/ as packages.config restore lays it out, the
/// items Visual Studio writes for <c>AnalyzerReferences.Add</c> (paths relative to the project), and the import of
/// build/*.targets that NuGet adds to a packages.config project. It builds with <c>dotnet msbuild</c> against the
/// .NET Framework reference assemblies package.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class OldStyleProjectTests
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    private const string Worker = """
        using System.Threading;

        namespace LegacyApp
        {
            public class Worker
            {
                private readonly Thread _worker;

                public Worker()
                {
                    _worker = new Thread(Run);
                }

                public void Stop()
                {
                    _worker.Abort(); // expect: GS0001
                }

                public void Pause()
                {
                    _worker.Suspend(); // expect: GS0001
                }

                public void Wake()
                {
                    _worker.Interrupt(); // expect: GS0002
                }

                private void Run()
                {
                    try
                    {
                        Thread.Sleep(Timeout.Infinite);
                    }
                    catch (ThreadAbortException) // expect: GS0001
                    {
                        Thread.ResetAbort();
                    }
                }
            }
        }

        """;

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public OldStyleProjectTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public void Scripts_add_and_remove_exactly_the_csharp_analyzer_and_code_fix_assemblies()
    {
        var (install, uninstall, analyzers) = ReadPackage();

        Assert.Equal(new[] { "GracefulStop.Analyzers.dll", "GracefulStop.CodeFixes.dll" }, analyzers);
        foreach (var script in new[] { install, uninstall })
        {
            Assert.Equal(analyzers, ScriptAssemblies(script));
            Assert.Contains("\"analyzers\\dotnet\\cs\"", script, StringComparison.Ordinal);
            // PackageReference projects get the analyzers from NuGet: the scripts leave them alone.
            Assert.Contains("SupportsPackageDependencyResolution()", script, StringComparison.Ordinal);
            Assert.Contains("$project.Type -ne \"C#\"", script, StringComparison.Ordinal);
        }

        // Idempotent: install removes the item before it adds it, so running it twice leaves one item.
        var remove = install.IndexOf("AnalyzerReferences.Remove($assemblyPath)", StringComparison.Ordinal);
        var add = install.IndexOf("AnalyzerReferences.Add($assemblyPath)", StringComparison.Ordinal);
        Assert.True(remove >= 0 && add > remove, install);
        Assert.DoesNotContain("AnalyzerReferences.Add", uninstall, StringComparison.Ordinal);
        Assert.Contains("AnalyzerReferences.Remove($assemblyPath)", uninstall, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_project_reports_the_rules_with_the_NET_Framework_wording()
    {
        var (directory, build) = await BuildAsync(installed: true);
        Assert.True(build.ExitCode == 0, build.ToString());

        var expected = ExpectedDiagnostic.Read(directory);
        var actual = BuildDiagnostic.ParseRules(build.Output, directory);
        Assert.Equal(
            expected.Select(e => $"{e.File}({e.Line}): {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            actual.Select(d => $"{d.File}({d.Line}): {d.Id}").Order(StringComparer.Ordinal).ToArray());

        // GS0001 speaks of what Abort, Suspend and ResetAbort do on .NET Framework, not of PlatformNotSupportedException.
        var abort = Assert.Single(actual, d => d.Message.StartsWith("'_worker.Abort()'", StringComparison.Ordinal));
        Assert.Equal(
            "'_worker.Abort()' injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken; stop the thread with a CancellationToken (https://github.com/gracefulstop/GracefulStop.Analyzers/blob/main/docs/rules/GS0001.md)",
            abort.Message);
        Assert.All(actual.Where(d => d.Id == "GS0001"), d => Assert.DoesNotContain("PlatformNotSupportedException", d.Message, StringComparison.Ordinal));
        Assert.Contains(actual, d => d.Id == "GS0001" && d.Message.Contains("on .NET Framework", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uninstalled_project_builds_with_no_rule_reported()
    {
        var (_, build) = await BuildAsync(installed: false);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(BuildDiagnostic.Parse(build.Output), d => BuildDiagnostic.IsRuleId(d.Id));
    }

    private (string Install, string Uninstall, string[] Analyzers) ReadPackage()
    {
        _package.EnsurePacked();
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        string Read(string entry)
        {
            using var reader = new StreamReader(archive.GetEntry(entry)?.Open() ?? throw new InvalidOperationException("No " + entry + " in the package"));
            return reader.ReadToEnd();
        }

        var analyzers = archive.Entries
            .Where(e => e.FullName.StartsWith(AnalyzerFolder, StringComparison.Ordinal))
            .Select(e => e.FullName[AnalyzerFolder.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();
        return (Read("tools/install.ps1"), Read("tools/uninstall.ps1"), analyzers);
    }

    /// <summary>The assembly names in the script's <c>foreach ($assembly in @("...", "..."))</c>.</summary>
    private static string[] ScriptAssemblies(string script)
    {
        var list = Regex.Match(script, @"foreach \(\$assembly in @\((?<list>[^)]*)\)\)");
        Assert.True(list.Success, script);
        return Regex.Matches(list.Groups["list"].Value, "\"(?<name>[^\"]+)\"").Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The solution folder with packages/ and the project, before (uninstalled) or after install.ps1.</summary>
    private async Task<(string Directory, CommandResult Build)> BuildAsync(bool installed)
    {
        var referenceAssemblies = await NetFrameworkReferenceAssemblies.Net472TargetsAsync(_package);
        var solution = Path.Combine(_package.Root, installed ? "old-style-installed" : "old-style-uninstalled");
        var packageFolder = $"{PackageFixture.PackageId}.{_package.Version}";
        ZipFile.ExtractToDirectory(_package.PackagePath, Path.Combine(solution, "packages", packageFolder));
        _package.WriteIsolation(solution);

        var (_, _, analyzers) = ReadPackage();
        var project = Path.Combine(solution, "LegacyApp");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Worker.cs"), Worker);
        File.WriteAllText(Path.Combine(project, "packages.config"), installed ? $"""
            <?xml version="1.0" encoding="utf-8"?>
            <packages>
              <package id="{PackageFixture.PackageId}" version="{_package.Version}" targetFramework="net472" developmentDependency="true" />
            </packages>
            """ : "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n</packages>\n");
        var analyzerItems = installed
            ? string.Concat(analyzers.Select(a => $"    <Analyzer Include=\"..\\packages\\{packageFolder}\\analyzers\\dotnet\\cs\\{a}\" />\n"))
            : string.Empty;
        var targets = $"..\\packages\\{packageFolder}\\build\\{PackageFixture.PackageId}.targets";
        var buildImport = installed ? $"  <Import Project=\"{targets}\" Condition=\"Exists('{targets}')\" />\n" : string.Empty;
        File.WriteAllText(Path.Combine(project, "LegacyApp.csproj"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <Import Project="$(MSBuildExtensionsPath)\$(MSBuildToolsVersion)\Microsoft.Common.props" Condition="Exists('$(MSBuildExtensionsPath)\$(MSBuildToolsVersion)\Microsoft.Common.props')" />
              <PropertyGroup>
                <Configuration Condition=" '$(Configuration)' == '' ">Debug</Configuration>
                <Platform Condition=" '$(Platform)' == '' ">AnyCPU</Platform>
                <ProjectGuid>{"{"}6F1C2B0E-3C55-4D0B-9A4B-2F61A5D9C001{"}"}</ProjectGuid>
                <OutputType>Library</OutputType>
                <RootNamespace>LegacyApp</RootNamespace>
                <AssemblyName>LegacyApp</AssemblyName>
                <TargetFrameworkVersion>v4.7.2</TargetFrameworkVersion>
                <FileAlignment>512</FileAlignment>
                <OutputPath>bin\$(Configuration)\</OutputPath>
                <DefineConstants>DEBUG;TRACE</DefineConstants>
                <WarningLevel>4</WarningLevel>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="System" />
                <Reference Include="System.Core" />
              </ItemGroup>
              <ItemGroup>
                <Compile Include="Worker.cs" />
              </ItemGroup>
              <ItemGroup>
                <None Include="packages.config" />
              </ItemGroup>
              <ItemGroup>
            {analyzerItems}  </ItemGroup>
              <Import Project="$(MSBuildToolsPath)\Microsoft.CSharp.targets" />
              <!-- The reference assemblies package, from the global packages folder (no .NET Framework targeting pack here). -->
              <Import Project="{referenceAssemblies}" />
            {buildImport}</Project>
            """);

        var build = await DotNetCli.RunAsync(project, new[] { "msbuild", "LegacyApp.csproj", "-t:Rebuild", "-nodeReuse:false", "-tl:off", "-v:m" });
        _output.WriteLine(build.Summary);
        _output.WriteLine(build.Output);
        return (project, build);
    }
}
