using System.Diagnostics;
using System.Text;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>The result of one <c>dotnet</c> command: its exit code and everything it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Duration)
{
    /// <summary>One line for the test log: the command, its exit code and how long it took.</summary>
    public string Summary => $"{Command} -> exit {ExitCode} in {Duration.TotalSeconds:F1} s";

    public override string ToString() => $"> {Command}\n(exit {ExitCode}, {Duration.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>Runs the .NET CLI the way a user does, isolated from the test host's own MSBuild environment.</summary>
public static class DotNetCli
{
    /// <summary>Variables that <c>dotnet test</c> sets for itself and that would redirect a nested build.</summary>
    private static readonly string[] InheritedVariablesToDrop =
    {
        "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "MSBuildCacheEnabled", "VSTEST_HOST_DEBUG", "_MSBUILDTLENABLED",
    };

    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// How to start <paramref name="fileName"/> (the .NET CLI by default) with redirected standard streams and an
    /// environment without the test host's MSBuild variables, no telemetry and no build node that outlives it.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyList<string> arguments, string? fileName = null)
    {
        var start = new ProcessStartInfo(fileName ?? Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedVariablesToDrop)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No MSBuild worker node or build server outlives the command.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        return start;
    }

    public static async Task<CommandResult> RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? fileName = null)
    {
        var start = StartInfo(workingDirectory, arguments, fileName);
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        var gate = new object();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };

        var command = (fileName ?? "dotnet") + " " + string.Join(" ", arguments);
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (gate)
            {
                output.AppendLine($"*** killed after {stopwatch.Elapsed.TotalSeconds:F0} s: timed out");
            }

            return new CommandResult(command, -1, output.ToString(), stopwatch.Elapsed);
        }

        // Let the asynchronous readers drain.
        process.WaitForExit();
        lock (gate)
        {
            return new CommandResult(command, process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }
}
