using System.Globalization;

namespace GracefulStop.Bench.RealBuild;

/// <summary>
/// Packs the GracefulStop package and the floor package into a folder feed, each with a version no earlier run used
/// (restore never takes a stale copy from the global packages folder), and writes the MSBuild file that adds one of
/// them to a project without editing it.
/// </summary>
public sealed class PackageFeed
{
    private PackageFeed(string folder, string version)
    {
        Folder = folder;
        Version = version;
        InjectTargets = Path.Combine(folder, "add-package.targets");
    }

    public string Folder { get; }

    public string Version { get; }

    /// <summary>
    /// Imported through <c>CustomAfterMicrosoftCommonTargets</c>: adds <c>$(BenchPackageId)</c> as a private
    /// PackageReference, with <c>VersionOverride</c> where the repository manages versions centrally.
    /// </summary>
    public string InjectTargets { get; }

    public BuildArm Package => new("with GracefulStop", "GracefulStop.Analyzers", Version, "GracefulStop.Analyzers");

    public BuildArm Floor => new("with floor", "GracefulStop.Bench.Floor", Version, "GracefulStop.Bench.Floor");

    public static async Task<PackageFeed> CreateAsync(string repoRoot, string workRoot, bool floor, TextWriter log)
    {
        var folder = Path.Combine(workRoot, "feed");
        Directory.CreateDirectory(folder);
        var version = "0.0.0-realbuild." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var feed = new PackageFeed(folder, version);
        await feed.PackAsync(Path.Combine(repoRoot, "src", "Package", "GracefulStop.Package.csproj"), workRoot, log);
        if (floor)
        {
            await feed.PackAsync(Path.Combine(repoRoot, "bench", "GracefulStop.Bench.Floor", "GracefulStop.Bench.Floor.csproj"), workRoot, log);
        }

        File.WriteAllText(feed.InjectTargets, """
            <Project>
              <ItemGroup Condition="'$(BenchPackageId)' != ''">
                <PackageReference Include="$(BenchPackageId)" Version="$(BenchPackageVersion)" PrivateAssets="all" Condition="'$(ManagePackageVersionsCentrally)' != 'true'" />
                <PackageReference Include="$(BenchPackageId)" VersionOverride="$(BenchPackageVersion)" PrivateAssets="all" Condition="'$(ManagePackageVersionsCentrally)' == 'true'" />
              </ItemGroup>
            </Project>
            """);
        return feed;
    }

    private async Task PackAsync(string project, string workRoot, TextWriter log)
    {
        log.WriteLine($"Packing {Path.GetFileNameWithoutExtension(project)} {Version}...");
        var result = await DotNet.RunAsync(
            Path.GetDirectoryName(project)!,
            new[]
            {
                "pack", project, "-c", "Release", "-o", Folder, "--artifacts-path", Path.Combine(workRoot, "pack-artifacts"),
                $"-p:PackageVersion={Version}", "-nodeReuse:false", "-tl:off", "-v:m",
            },
            TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack {project} failed:\n{result.Output}");
        }
    }
}
