using System.Globalization;
using GracefulStop.Validate;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
    usage: GracefulStop.Validate --repo FOLDER [--repo FOLDER ...] [--framework-repo FOLDER ...] --out FOLDER
                                 [--packages FOLDER] [--judgements FILE]
      --repo        a repository's folder (its name is the folder's name); repeat for more. A project with several
                    target frameworks is compiled for the newest .NET one, else .NET Standard, else .NET Framework
      --framework-repo  the same, but such a project is compiled for its .NET Framework target when it has one
      --out         where reports.md, reports.tsv (and comparison.md with --judgements) are written
      --packages    a local package folder where package references are looked up (default: the user's NuGet
                    folder); nothing is restored, a package not there is left out and its uses do not compile
      --judgements  a judgements file (site<TAB>correct|false-positive<TAB>reason): prints precision per rule over the
                    judged sites, and the sites that are new (unjudged) or gone
    """;

var repos = new List<(string Path, bool PreferFramework)>();
string? output = null;
string? judgementsPath = null;
var packagesFolder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--repo" when value is not null:
            repos.Add((value, false));
            i++;
            break;
        case "--framework-repo" when value is not null:
            repos.Add((value, true));
            i++;
            break;
        case "--out" when value is not null:
            output = value;
            i++;
            break;
        case "--packages" when value is not null:
            packagesFolder = value;
            i++;
            break;
        case "--judgements" when value is not null:
            judgementsPath = value;
            i++;
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

if (repos.Count == 0 || output is null || repos.Any(r => !Directory.Exists(r.Path)))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var log = Console.Error;
log.WriteLine($"Analyzers: {string.Join(", ", RepositoryAnalysis.Analyzers.Select(a => a.GetType().Name))}");
var sites = new List<Site>();
var projects = new List<ProjectResult>();
var exceptions = new List<string>();
var packages = new PackageCache(Directory.Exists(packagesFolder) ? packagesFolder : null);
foreach (var (repo, preferFramework) in repos)
{
    var layout = new RepositoryLayout(repo, preferFramework);
    log.WriteLine($"{layout.Name}: {layout.Projects.Count} projects, {layout.Files.Values.Sum(f => f.Count)} files ({layout.FilesOutsideProjects} outside any project, not compiled)");
    var (repoSites, repoProjects, repoExceptions) = await RepositoryAnalysis.RunAsync(layout, packages, log);
    sites.AddRange(repoSites);
    projects.AddRange(repoProjects);
    exceptions.AddRange(repoExceptions);
}

// The same diagnostic twice at one place (a file compiled twice would do it) counts once.
var numbered = Site.Number(sites.DistinctBy(s => (s.Repo, s.Path, s.Line, s.Rule, s.Message)));
ReportWriter.Write(output, numbered, projects, exceptions);
Console.WriteLine($"{numbered.Count} reports, {exceptions.Count} analyzer exceptions; written to {Path.GetFullPath(output)}");
foreach (var group in numbered.GroupBy(s => s.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"  {group.Key}: {group.Count()}");
}

if (judgementsPath is not null)
{
    var names = repos.Select(r => Path.GetFileName(Path.GetFullPath(r.Path).TrimEnd('/')) + "/").ToList();
    var judgements = Judgements.Read(judgementsPath)
        .Where(j => names.Any(n => j.Key.StartsWith(n, StringComparison.Ordinal)))
        .ToDictionary(j => j.Key, j => j.Value, StringComparer.Ordinal);
    var comparison = Judgements.Compare(numbered, judgements);
    File.WriteAllText(Path.Combine(output, "comparison.md"), comparison);
    Console.WriteLine();
    Console.WriteLine(comparison);
}

foreach (var exception in exceptions)
{
    Console.Error.WriteLine("analyzer exception: " + exception);
}

return exceptions.Count == 0 ? 0 : 1;
