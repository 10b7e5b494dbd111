namespace GracefulStop.Bench.RealBuild;

/// <summary>
/// Builds one project for one arm: <c>dotnet build --no-incremental</c> (restore included, as a user's build), into an
/// artifacts folder of that arm's own, so that the arms never share obj/, bin/ or a restore result.
/// </summary>
public sealed class ArmBuilder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly RealBuildTarget _target;
    private readonly PackageFeed _feed;
    private readonly string _workRoot;

    public ArmBuilder(RealBuildTarget target, PackageFeed feed, string workRoot)
    {
        _target = target;
        _feed = feed;
        _workRoot = workRoot;
    }

    public Task<CommandResult> BuildAsync(BuildArm arm, CompilerMode mode) =>
        RunAsync(arm, mode, "-v:m");

    /// <summary>An untimed build that prints the compiler's analyzer report and MSBuild's task summary.</summary>
    public async Task<AnalyzerReport> ProfileAsync(BuildArm arm, CompilerMode mode)
    {
        var result = await RunAsync(arm, mode, "-v:d", "-p:ReportAnalyzer=true", "-clp:PerformanceSummary");
        EnsureSucceeded(arm, result);
        return AnalyzerReport.Parse(result.Output, arm.AssemblyName);
    }

    public void EnsureSucceeded(BuildArm arm, CommandResult result)
    {
        if (result.ExitCode != 0)
        {
            var tail = string.Join('\n', result.Output.Split('\n').TakeLast(40));
            throw new InvalidOperationException($"[{_target.Name}] the build {arm.Name} failed (exit {result.ExitCode}):\n{tail}");
        }
    }

    private Task<CommandResult> RunAsync(BuildArm arm, CompilerMode mode, params string[] extra)
    {
        var project = Path.GetFullPath(_target.Project);
        var arguments = new List<string>
        {
            "build", project, "--no-incremental", "-c", "Release", "-tl:off", "-nologo",
            "--artifacts-path", Path.Combine(_workRoot, Safe(_target.Name), Safe(arm.Name)),
            // This machine's environment may say UseSharedCompilation=false; the mode is always explicit.
            "-p:UseSharedCompilation=" + (mode == CompilerMode.WarmServer ? "true" : "false"),
            "-p:CustomAfterMicrosoftCommonTargets=" + _feed.InjectTargets,
            "-p:RestoreAdditionalProjectSources=" + _feed.Folder,
        };
        if (arm.PackageId is not null)
        {
            arguments.Add("-p:BenchPackageId=" + arm.PackageId);
            arguments.Add("-p:BenchPackageVersion=" + arm.PackageVersion);
        }

        arguments.AddRange(_target.BuildArguments);
        arguments.AddRange(extra);
        var folder = Directory.Exists(project) ? project : Path.GetDirectoryName(project)!;
        return DotNet.RunAsync(folder, arguments, Timeout);
    }

    private static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
}
