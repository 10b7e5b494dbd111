namespace GracefulStop.Bench.RealBuild;

/// <summary>A project of a real repository, built as a user builds it, with the extra arguments it needs here.</summary>
/// <param name="Name">The label in the report.</param>
/// <param name="Project">The project file (or a folder holding one).</param>
/// <param name="BuildArguments">Passed to every <c>dotnet build</c> of both arms, e.g. <c>-p:TargetFrameworks=net8.0</c>.</param>
public sealed record RealBuildTarget(string Name, string Project, IReadOnlyList<string> BuildArguments);

/// <summary>How the compiler runs: the warm compiler server, or a new compiler process per build.</summary>
public enum CompilerMode
{
    /// <summary><c>-p:UseSharedCompilation=true</c>: the compiler server, warmed by the warm-up builds.</summary>
    WarmServer,

    /// <summary><c>-p:UseSharedCompilation=false</c>: csc starts, loads the analyzers and JITs them in every build.</summary>
    NoServer,
}

/// <summary>One side of the comparison: the project as it is, or with one analyzer package added.</summary>
/// <param name="Name">The label in the report.</param>
/// <param name="PackageId">The package added to the project, or null for the project as it is.</param>
/// <param name="PackageVersion">Its version in the benchmark's feed.</param>
/// <param name="AssemblyName">The analyzer assembly whose time the compiler's <c>-p:ReportAnalyzer=true</c> report lists.</param>
public sealed record BuildArm(string Name, string? PackageId, string? PackageVersion, string? AssemblyName)
{
    public static BuildArm Without { get; } = new("without", null, null, null);
}
