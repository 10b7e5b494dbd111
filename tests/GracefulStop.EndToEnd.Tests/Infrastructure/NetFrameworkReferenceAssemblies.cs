using System.Text.Json;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The .NET Framework 4.7.2 reference assemblies, restored as the NuGet package an old-style project on a machine
/// without the targeting pack would use (Microsoft.NETFramework.ReferenceAssemblies 1.0.3, from the configured source).
/// </summary>
public static class NetFrameworkReferenceAssemblies
{
    public const string Version = "1.0.3";

    /// <summary>The package's <c>.targets</c> file, which points the .NET Framework build at its assemblies.</summary>
    public static Task<string> Net472TargetsAsync(PackageFixture package) => package.Once("net472-reference-assemblies", async () =>
    {
        var directory = Path.Combine(package.Root, "net472-refs");
        Directory.CreateDirectory(directory);
        package.WriteIsolation(directory);
        File.WriteAllText(Path.Combine(directory, "Refs.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net472</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NETFramework.ReferenceAssemblies" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        var restore = await DotNetCli.RunAsync(directory, new[] { "restore", "Refs.csproj", "-nodeReuse:false", "-tl:off", "-v:m" });
        Assert.True(restore.ExitCode == 0, restore.ToString());

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json")));
        foreach (var folder in assets.RootElement.GetProperty("packageFolders").EnumerateObject())
        {
            var targets = Path.Combine(folder.Name, "microsoft.netframework.referenceassemblies.net472", Version, "build", "Microsoft.NETFramework.ReferenceAssemblies.net472.targets");
            if (File.Exists(targets))
            {
                return targets;
            }
        }

        throw new InvalidOperationException("Microsoft.NETFramework.ReferenceAssemblies.net472 not found after restore\n" + restore);
    });
}
