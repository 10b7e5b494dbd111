namespace GracefulStop.Validate;

/// <summary>
/// A repository's projects and the <c>.cs</c> files each one compiles: every file belongs to the nearest folder above it
/// that holds a project. Where a folder holds several projects (per-platform variants of one library) the one with the
/// shortest file name is taken (and other old-style projects there that share under a tenth of their files with it). An old-style project with a list of <c>Compile</c> items compiles those (linked files
/// too), and the other files of its folder belong to no project. The files of a shared project (<c>.projitems</c>) are
/// compiled by the first project that imports it. <c>bin</c>, <c>obj</c> and hidden folders are skipped.
/// </summary>
public sealed class RepositoryLayout
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "packages" };

    public RepositoryLayout(string root, bool preferFramework)
    {
        Root = Path.GetFullPath(root).TrimEnd('/');
        Name = Path.GetFileName(Root);
        var projects = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        var all = new List<ProjectFile>();
        foreach (var group in Enumerate(Root, "*.csproj").GroupBy(p => Path.GetDirectoryName(p)!))
        {
            var ordered = group.OrderBy(p => Path.GetFileName(p).Length).ThenBy(p => p, StringComparer.Ordinal).Select(p => ProjectFile.Read(p, Root, preferFramework)).ToList();
            projects[group.Key] = ordered[0];
            all.Add(ordered[0]);
            var taken = new HashSet<string>(ordered[0].CompileItems ?? [], StringComparer.Ordinal);
            foreach (var other in ordered.Skip(1))
            {
                // Old-style projects that share a folder but (nearly) no file, an application and its library, are all compiled.
                if (ordered[0].CompileItems is not null && other.CompileItems is { Count: > 0 } items && items.Count(taken.Contains) * 10 < items.Count)
                {
                    all.Add(other);
                    taken.UnionWith(items);
                }
            }
        }

        var files = all.Where(p => p.CompileItems is not null).ToDictionary(p => p, p => p.CompileItems!.ToList());
        var listed = all.SelectMany(p => p.CompileItems ?? []).ToHashSet(StringComparer.Ordinal);

        // A shared project's files go to the first project (by path) that imports it, so that each is reported once.
        var shared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in all.OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            foreach (var file in project.SharedItems.Where(f => !listed.Contains(f) && shared.Add(f)))
            {
                if (!files.TryGetValue(project, out var list))
                {
                    files[project] = list = [];
                }

                list.Add(file);
            }
        }
        foreach (var file in Enumerate(Root, "*.cs").Where(f => !shared.Contains(f)))
        {
            var owner = Owner(file, projects);
            if (owner?.CompileItems is not null)
            {
                if (!listed.Contains(file))
                {
                    FilesOutsideProjects++;
                }

                continue;
            }

            if (owner is null)
            {
                FilesOutsideProjects++;
                continue;
            }

            if (!files.TryGetValue(owner, out var list))
            {
                files[owner] = list = [];
            }

            list.Add(file);
        }

        Projects = all.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        Files = files;
    }

    public string Root { get; }

    public string Name { get; }

    public IReadOnlyList<ProjectFile> Projects { get; }

    public IReadOnlyDictionary<ProjectFile, List<string>> Files { get; }

    public int FilesOutsideProjects { get; }

    /// <summary>The project a project reference names: that file if it was chosen for its folder, else its folder's choice.</summary>
    public ProjectFile? Resolve(string referencedPath) =>
        Projects.FirstOrDefault(p => string.Equals(p.Path, referencedPath, StringComparison.Ordinal))
        ?? Projects.FirstOrDefault(p => string.Equals(p.Folder, Path.GetDirectoryName(referencedPath), StringComparison.Ordinal));

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static ProjectFile? Owner(string file, Dictionary<string, ProjectFile> projects)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (projects.TryGetValue(dir, out var project))
            {
                return project;
            }
        }

        return null;
    }

    private static IEnumerable<string> Enumerate(string root, string pattern)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(dir, pattern).Order(StringComparer.Ordinal))
            {
                yield return file;
            }

            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                if (!Skipped.Contains(name) && !name.StartsWith('.'))
                {
                    pending.Push(sub);
                }
            }
        }
    }
}
