using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.Behaviour.Tests;

/// <summary>
/// Packs the package once, and for each variant (the original programs; fixed by <c>dotnet format</c> with the files
/// in one order, then in the reverse order) makes one project of every program, builds it once and runs each
/// program in its own process.
/// </summary>
public sealed class BehaviourFixture : IAsyncLifetime
{
    public const string ProjectName = "Behaviour";

    /// <summary>The rules whose fixes are applied, at every severity (GS0006 is Info by default).</summary>
    public static readonly string[] RuleIds = Enumerable.Range(1, 9).Select(i => $"GS{i:D4}").ToArray();

    /// <summary><c>dotnet format</c> is repeated until it changes nothing, at most this many times.</summary>
    public const int MaxFormatPasses = 6;

    /// <summary>
    /// The programs are compiled optimised, as they ship: in unoptimised code the JIT re-reads a plain bool flag at each
    /// iteration, so a stop flag that an optimised build never sees again would seem to work (GS0007).
    /// </summary>
    private const string OptimizeProperty = "    <Optimize>true</Optimize>";

    private static readonly string ProgramsFolder = Path.Combine(AppContext.BaseDirectory, "Programs");

    public PackageFixture Package { get; } = new();

    /// <summary>Every program's class name (its file name), in ordinal order.</summary>
    public static IReadOnlyList<string> ProgramNames { get; } = Directory.EnumerateFiles(ProgramsFolder, "*.cs")
        .Select(Path.GetFileNameWithoutExtension)
        .Where(n => n != "Runner")
        .Select(n => n!)
        .Order(StringComparer.Ordinal)
        .ToArray();

    public Task InitializeAsync() => Package.InitializeAsync();

    /// <summary>Keeps the projects (and the fixed sources) for a look after the run when GRACEFULSTOP_KEEP is set.</summary>
    public Task DisposeAsync() =>
        Environment.GetEnvironmentVariable("GRACEFULSTOP_KEEP") is { Length: > 0 } ? Task.CompletedTask : Package.DisposeAsync();

    public Task<Variant> OriginalAsync() => Package.Once("original", async () =>
    {
        var directory = CreateProject("original", reverseOrder: false);
        return await BuildAndRunAsync("original", directory, Array.Empty<CommandResult>());
    });

    public Task<Variant> FormattedAsync(bool reverseOrder) => Package.Once(reverseOrder ? "format-b" : "format-a", async () =>
    {
        var name = reverseOrder ? "format-b" : "format-a";
        var directory = CreateProject(name, reverseOrder);
        var passes = new List<CommandResult>();
        for (var pass = 0; pass < MaxFormatPasses; pass++)
        {
            var before = Sources(directory);
            var arguments = new List<string> { "format", "analyzers", ProjectName + ".csproj", "--diagnostics" };
            arguments.AddRange(RuleIds);
            arguments.AddRange(new[] { "--severity", "info", "-v", "q" });
            if (pass > 0)
            {
                arguments.Add("--no-restore");
            }

            passes.Add(await DotNetCli.RunAsync(directory, arguments, TimeSpan.FromMinutes(4)));
            if (Sources(directory).SequenceEqual(before))
            {
                break;
            }
        }

        return await BuildAndRunAsync(name, directory, passes);
    });

    /// <summary>
    /// The IDE path: Fix All in solution from an action of a diagnostic, rule after rule (see <see cref="WorkspaceFixAll"/>).
    /// With a secondary <paramref name="choice"/>, only the programs whose fixed text differs from the preferred fixes'
    /// are run (the others were run with the preferred fixes).
    /// </summary>
    public Task<Variant> FixedInWorkspaceAsync(ActionChoice choice = ActionChoice.Preferred) => Package.Once("ide-" + choice, async () =>
    {
        var name = choice == ActionChoice.Preferred ? "ide" : "ide-" + choice.ToString().ToLowerInvariant();
        var preferred = choice == ActionChoice.Preferred ? null : await FixedInWorkspaceAsync();
        var directory = CreateProject(name, reverseOrder: false);
        var log = await WorkspaceFixAll.FixAsync(directory, ProjectName + ".csproj", RuleIds, MaxFormatPasses, choice);
        var summary = new CommandResult($"Fix All in solution (MSBuildWorkspace), {choice} action", 0, string.Join("\n", log), TimeSpan.Zero);
        return await BuildAndRunAsync(name, directory, new[] { summary }, preferred?.Sources);
    });

    /// <summary>Each program's source text, by file name.</summary>
    public static IReadOnlyDictionary<string, string> Sources(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs")
            .Order(StringComparer.Ordinal)
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);

    private string CreateProject(string name, bool reverseOrder)
    {
        var files = Directory.EnumerateFiles(ProgramsFolder, "*.cs")
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        var directory = Package.CreateConsumer(
            name,
            files,
            includeCases: false,
            extraProperties: OptimizeProperty + (reverseOrder ? "\n    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>" : string.Empty),
            projectName: ProjectName);
        if (reverseOrder)
        {
            // The same files, listed in the reverse order: the order in which dotnet format meets the diagnostics.
            var items = string.Concat(files.Keys.Order(StringComparer.Ordinal).Reverse().Select(f => $"    <Compile Include=\"{f}\" />\n"));
            File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), $"<Project>\n  <ItemGroup>\n{items}  </ItemGroup>\n</Project>\n");
        }

        return directory;
    }

    private static async Task<Variant> BuildAndRunAsync(
        string name, string directory, IReadOnlyList<CommandResult> format, IReadOnlyDictionary<string, string>? runOnlyWhereNotSameAs = null)
    {
        var sources = Sources(directory);
        var build = await PackageFixture.BuildFileAsync(directory, ProjectName + ".csproj");
        var runs = new Dictionary<string, ProgramRun>(StringComparer.Ordinal);
        if (build.ExitCode == 0)
        {
            var program = Path.Combine(directory, "bin", "Debug", PackageFixture.ConsumerTargetFramework, ProjectName + ".dll");
            // Two at a time: the machine's cores are shared, and a program's timing must not suffer from its neighbours.
            using var slots = new SemaphoreSlim(2);
            var tasks = ProgramNames.Where(p => runOnlyWhereNotSameAs is null || runOnlyWhereNotSameAs[p + ".cs"] != sources[p + ".cs"]).Select(async p =>
            {
                await slots.WaitAsync();
                try
                {
                    return (p, await ProgramRun.RunAsync(directory, program, p));
                }
                finally
                {
                    slots.Release();
                }
            }).ToArray();
            foreach (var (p, run) in await Task.WhenAll(tasks))
            {
                runs[p] = run;
            }
        }

        return new Variant(name, directory, format, build, sources, runs);
    }
}

/// <summary>One project of every program, as fixed (or not) by one variant, its build, and each program's run.</summary>
public sealed record Variant(
    string Name,
    string Directory,
    IReadOnlyList<CommandResult> Format,
    CommandResult Build,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyDictionary<string, ProgramRun> Runs);

[CollectionDefinition(Name)]
public sealed class BehaviourCollection : ICollectionFixture<BehaviourFixture>
{
    public const string Name = "Behaviour programs";
}
