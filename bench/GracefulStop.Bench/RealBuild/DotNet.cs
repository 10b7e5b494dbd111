using System.Diagnostics;
using System.Text;

namespace GracefulStop.Bench.RealBuild;

/// <summary>A finished <c>dotnet</c> command: exit code, everything it printed, and its wall time.</summary>
public sealed record CommandResult(int ExitCode, string Output, TimeSpan Elapsed);

/// <summary>Runs the <c>dotnet</c> CLI as a user does, in a working folder, and times the whole process.</summary>
public static class DotNet
{
    public static async Task<CommandResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, $"(killed after {timeout.TotalSeconds:F0} s)");
        }

        clock.Stop();
        lock (output)
        {
            return new CommandResult(process.ExitCode, output.ToString(), clock.Elapsed);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
