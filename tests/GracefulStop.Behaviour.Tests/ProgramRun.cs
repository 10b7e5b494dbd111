using System.Diagnostics;
using System.Text;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.Behaviour.Tests;

/// <summary>How one run of one program ended: the runner's exit code (Programs/Runner.cs) and what it printed.</summary>
public sealed record ProgramRun(string Program, Outcome Outcome, string Output, TimeSpan Duration)
{
    /// <summary>The line the runner prints just before Main returns, for a program whose stop is the process exit (kept equal to Programs/Runner.cs).</summary>
    public const string MainReturns = "MAIN RETURNS";

    /// <summary>How long the process may live on after Main returned.</summary>
    public static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Loop methods are compiled optimised at their first call, as a long-running process runs them after tiering up:
    /// the JIT may then keep a plain field's value in a register for the whole loop (GS0007's hang).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> ChildEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_TC_QuickJitForLoops"] = "0",
    };

    public static async Task<ProgramRun> RunAsync(string directory, string assembly, string program)
    {
        var start = DotNetCli.StartInfo(directory, new[] { assembly, program });
        foreach (var (name, value) in ChildEnvironment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var gate = new object();
        var stopwatch = Stopwatch.StartNew();
        var mainReturned = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data == MainReturns)
            {
                mainReturned.TrySetResult(stopwatch.Elapsed);
            }

            lock (gate)
            {
                output.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The runner decides within about 1.5 s; the process start and a slow machine get the rest.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var exited = process.WaitForExitAsync(timeout.Token);
        Outcome? outcome = null;
        string? verdict = null;
        try
        {
            if (await Task.WhenAny(exited, mainReturned.Task) == mainReturned.Task && !exited.IsCompleted)
            {
                var returnedAt = await mainReturned.Task;
                var left = returnedAt + ExitLimit - stopwatch.Elapsed;
                if (left <= TimeSpan.Zero || await Task.WhenAny(exited, Task.Delay(left)) != exited)
                {
                    outcome = Outcome.ProcessDidNotExit;
                    verdict = $"the process was still running {ExitLimit.TotalMilliseconds:F0} ms after Main returned";
                }
            }

            if (outcome is null)
            {
                await exited;
                if (mainReturned.Task.IsCompleted)
                {
                    verdict = $"the process exited {(stopwatch.Elapsed - await mainReturned.Task).TotalMilliseconds:F0} ms after Main returned";
                }
            }
        }
        catch (OperationCanceledException)
        {
            outcome = Outcome.ProcessTimedOut;
            verdict = $"killed after {stopwatch.Elapsed.TotalSeconds:F0} s: timed out";
        }

        if (outcome is not null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // Let the asynchronous readers drain.
        process.WaitForExit();
        outcome ??= Enum.IsDefined(typeof(Outcome), process.ExitCode) ? (Outcome)process.ExitCode : Outcome.Crashed;
        lock (gate)
        {
            if (verdict is not null)
            {
                output.AppendLine($"*** {verdict}");
            }

            return new ProgramRun(program, outcome.Value, output.ToString(), stopwatch.Elapsed);
        }
    }

    public override string ToString() => $"{Program}: {Outcome} ({Duration.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>The runner's exit codes (kept equal to Programs/Runner.cs), plus what the test itself sees.</summary>
public enum Outcome
{
    Stopped = 0,
    Usage = 10,
    NoProgress = 11,
    StopTimedOut = 12,
    StopThrew = 13,
    UnhandledException = 14,
    WorkContinued = 15,
    UnobservedTaskException = 16,
    Crashed = 100,
    ProcessTimedOut = 101,

    /// <summary>A program whose stop is the process exit: the process still ran a second after Main returned.</summary>
    ProcessDidNotExit = 102,
}
