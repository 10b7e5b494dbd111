using System.Globalization;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs the package once per test run, with a version no earlier run used (restore never sees a stale copy),
/// into a temporary folder feed, and creates throwaway consumer projects that reference it by PackageReference.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string PackageId = "GracefulStop.Analyzers";

    /// <summary>The target framework of the consumer projects: the one the running SDK can also run.</summary>
    public const string ConsumerTargetFramework = "net10.0";

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gracefulstop-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string Version { get; } = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public string Feed => Path.Combine(Root, "feed");

    public string PackagePath => Path.Combine(Feed, $"{PackageId}.{Version}.nupkg");

    public CommandResult? PackResult { get; private set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<object>>> _shared = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="factory"/> once per test run and key: state that several tests look at.</summary>
    public async Task<T> Once<T>(string key, Func<Task<T>> factory)
        where T : class =>
        (T)await _shared.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await factory())).Value;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // Built into a private artifacts folder: the repository's bin/obj and concurrent builds are untouched.
        PackResult = await DotNetCli.RunAsync(
            RepositoryRoot,
            new[]
            {
                "pack", Path.Combine(RepositoryRoot, "src", "Package", "GracefulStop.Package.csproj"),
                "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "artifacts"),
                $"-p:PackageVersion={Version}", "-nodeReuse:false", "-tl:off", "-v:m",
            },
            TimeSpan.FromMinutes(4));
    }

    public void EnsurePacked()
    {
        Assert.True(PackResult is { ExitCode: 0 } && File.Exists(PackagePath), $"dotnet pack failed:\n{PackResult}");
    }

    /// <summary>
    /// A new consumer project in its own folder: <c>Consumer/</c> from this test's output (Program.cs and one case per
    /// rule) plus any <paramref name="extraFiles"/>, a nuget.config adding the feed to the default source, and a
    /// project file referencing the package.
    /// </summary>
    /// <param name="targetFrameworks">The consumer's target framework, or several separated by ';' (written as TargetFrameworks).</param>
    public string CreateConsumer(string name, IReadOnlyDictionary<string, string>? extraFiles = null, bool includeCases = true, string extraProperties = "", string projectName = "Consumer", string targetFrameworks = ConsumerTargetFramework)
    {
        EnsurePacked();
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        if (includeCases)
        {
            var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
            foreach (var source in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(directory, Path.GetRelativePath(template, source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
        }

        foreach (var (path, text) in extraFiles ?? new Dictionary<string, string>())
        {
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text);
        }

        WriteIsolation(directory);
        File.WriteAllText(Path.Combine(directory, projectName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                {TargetFrameworkElement(targetFrameworks)}
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <RootNamespace>Consumer</RootNamespace>
            {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        return directory;
    }

    private static string TargetFrameworkElement(string targetFrameworks) =>
        targetFrameworks.Contains(';', StringComparison.Ordinal)
            ? $"<TargetFrameworks>{targetFrameworks}</TargetFrameworks>"
            : $"<TargetFramework>{targetFrameworks}</TargetFramework>";

    /// <summary>
    /// A folder of several consumers (project files of distinct names) built by one <c>dotnet build</c> of <c>all.slnx</c>: one process, one restore.
    /// </summary>
    public string CreateSolution(string name, IEnumerable<string> projectFiles)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        WriteIsolation(directory);
        var projects = string.Concat(projectFiles.Select(p =>
            $"  <Project Path=\"{Path.GetRelativePath(directory, p).Replace('\\', '/')}\" />\n"));
        File.WriteAllText(Path.Combine(directory, "all.slnx"), $"<Solution>\n{projects}</Solution>\n");
        return directory;
    }

    /// <summary>
    /// A nuget.config that keeps the default package source (no &lt;clear /&gt;) and adds the local feed, and empty
    /// Directory.Build/Packages files so that nothing above the folder leaks into the consumer's build.
    /// </summary>
    public void WriteIsolation(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="gracefulstop-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
    }

    /// <summary><c>dotnet build --no-incremental</c> of a consumer, as CI runs it.</summary>
    public static Task<CommandResult> BuildAsync(string directory, params string[] extraArguments) =>
        BuildFileAsync(directory, "Consumer.csproj", extraArguments);

    /// <summary><c>dotnet build --no-incremental</c> of a project or solution file in <paramref name="directory"/>.</summary>
    public static Task<CommandResult> BuildFileAsync(string directory, string file, params string[] extraArguments) =>
        DotNetCli.RunAsync(
            directory,
            new[] { "build", file, "--no-incremental", "-nodeReuse:false", "-tl:off", "-v:m" }.Concat(extraArguments).ToArray());

    public Task DisposeAsync()
    {
        TryDelete(Root);
        // The unique version is of no use to anyone after this run.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(globalPackages, PackageId.ToLowerInvariant(), Version));
        return Task.CompletedTask;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packed package";
}
