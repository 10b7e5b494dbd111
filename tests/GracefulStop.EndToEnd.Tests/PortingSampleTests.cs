using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// docs/porting.md, step by step, on a copy of samples/Porting (net472;net8.0) that uses the packed package: the
/// findings per rule and target, the fixes applied in bulk in the guide's order, both targets built, and the .NET 8
/// program run (it stops; before the fixes it failed with PlatformNotSupportedException). The .NET Framework program
/// is only compiled: running it needs Windows or Mono.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PortingSampleTests
{
    /// <summary>The guide's fix steps, in its order; each is run as written there.</summary>
    public static readonly string[][] FixSteps =
    {
        new[] { "format", "analyzers", "--diagnostics", "GS0007", "--severity", "warn" },
        new[] { "format", "analyzers", "--diagnostics", "GS0001", "GS0002", "GS0004", "--severity", "warn" },
        new[] { "format", "analyzers", "--diagnostics", "GS0006", "--severity", "warn" },
        new[] { "format", "analyzers", "--diagnostics", "GS0003", "GS0005", "GS0008", "GS0009", "--severity", "warn" },
    };

    private static readonly string[] Before =
    {
        "net472 GS0001 x3", "net472 GS0002 x1", "net472 GS0006 x1", "net472 GS0007 x1",
        "net8.0 GS0001 x3", "net8.0 GS0002 x1", "net8.0 GS0005 x1", "net8.0 GS0006 x1", "net8.0 GS0007 x1",
    };

    /// <summary>What has no fix: Suspend/Resume, FlushAsync(token) (net8.0 only), a 100 ms wait in an 'if'.</summary>
    private static readonly string[] After =
    {
        "net472 GS0001 x2", "net472 GS0005 x1",
        "net8.0 GS0001 x2", "net8.0 GS0005 x2",
    };

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public PortingSampleTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    private sealed record Walk(string Directory, CommandResult BuildBefore, CommandResult RunBefore, IReadOnlyList<CommandResult> Fixes, CommandResult BuildAfter, CommandResult RunAfter);

    private Task<Walk> WalkAsync() => _package.Once("porting-sample", async () =>
    {
        var sample = Path.Combine(_package.RepositoryRoot, "samples", "Porting");
        var directory = Path.Combine(_package.Root, "porting");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(sample).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".editorconfig", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        _package.WriteIsolation(directory);
        // The sample uses the package when GracefulStopVersion is set (in the repository it uses the projects).
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <GracefulStopVersion>{_package.Version}</GracefulStopVersion>
              </PropertyGroup>
            </Project>
            """);

        var rollForward = new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" };
        var program = Path.Combine(directory, "bin", "Debug", "net8.0", "Porting.dll");
        var buildBefore = await PackageFixture.BuildFileAsync(directory, "Porting.csproj");
        var runBefore = await DotNetCli.RunAsync(directory, new[] { program }, TimeSpan.FromSeconds(30), rollForward);
        var fixes = new List<CommandResult>();
        foreach (var step in FixSteps)
        {
            fixes.Add(await DotNetCli.RunAsync(directory, step, TimeSpan.FromMinutes(4)));
        }

        var buildAfter = await PackageFixture.BuildFileAsync(directory, "Porting.csproj");
        var runAfter = await DotNetCli.RunAsync(directory, new[] { program }, TimeSpan.FromSeconds(30), rollForward);
        foreach (var result in new[] { buildBefore, runBefore }.Concat(fixes).Concat(new[] { buildAfter, runAfter }))
        {
            _output.WriteLine(result.Summary);
        }

        return new Walk(directory, buildBefore, runBefore, fixes, buildAfter, runAfter);
    });

    [Fact]
    public async Task Findings_per_rule_and_target_are_the_guides()
    {
        var walk = await WalkAsync();
        Assert.True(walk.BuildBefore.ExitCode == 0, walk.BuildBefore.ToString());
        Assert.Equal(Before, Counts(walk.BuildBefore, walk.Directory));

        // On .NET 8 the unported server cannot stop: Abort throws.
        Assert.Equal(1, walk.RunBefore.ExitCode);
        Assert.Contains("Stop failed: PlatformNotSupportedException", walk.RunBefore.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_guides_fix_steps_both_targets_build_and_the_NET_8_program_stops()
    {
        var walk = await WalkAsync();
        Assert.All(walk.Fixes, f => Assert.True(f.ExitCode == 0, f.ToString()));
        Assert.True(walk.BuildAfter.ExitCode == 0, walk.BuildAfter.ToString());
        Assert.True(File.Exists(Path.Combine(walk.Directory, "bin", "Debug", "net472", "Porting.exe")), walk.BuildAfter.ToString());
        Assert.Equal(After, Counts(walk.BuildAfter, walk.Directory));

        _output.WriteLine(walk.RunAfter.Output);
        Assert.True(walk.RunAfter.ExitCode == 0, walk.RunAfter.ToString());
        Assert.Contains("stopped in", walk.RunAfter.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_guide_shows_every_fix_step_the_test_runs()
    {
        var guide = File.ReadAllText(Path.Combine(_package.RepositoryRoot, "docs", "porting.md"));
        foreach (var step in FixSteps)
        {
            Assert.Contains("dotnet " + string.Join(' ', step), guide, StringComparison.Ordinal);
        }
    }

    private static string[] Counts(CommandResult build, string directory) =>
        TargetedDiagnostic.ParseAll(TargetedDiagnostic.BeforeSummary(build.Output), directory)
            .GroupBy(d => $"{d.TargetFramework} {d.Id}")
            .Select(g => $"{g.Key} x{g.Count()}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
