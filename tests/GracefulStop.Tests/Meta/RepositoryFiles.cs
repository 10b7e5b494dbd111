namespace GracefulStop.Tests.Meta;

/// <summary>Files of the repository that the meta-tests check against the shipped descriptors.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(params string[] relativePath) =>
        File.ReadAllText(Path.Combine(new[] { Root }.Concat(relativePath).ToArray()));

    private static string FindRoot()
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
