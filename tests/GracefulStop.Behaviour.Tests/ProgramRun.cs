using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.Behaviour.Tests;

/// <summary>How one run of one program ended: the runner's exit code (Programs/Runner.cs) and what it printed.</summary>
public sealed record ProgramRun(string Program, Outcome Outcome, string Output, TimeSpan Duration)
{
    public static async Task<ProgramRun> RunAsync(string directory, string assembly, string program)
    {
        // The runner decides within about 1.5 s; the process start and a slow machine get the rest.
        var result = await DotNetCli.RunAsync(directory, new[] { assembly, program }, TimeSpan.FromSeconds(20));
        var outcome = result.ExitCode == -1 ? Outcome.ProcessTimedOut
            : Enum.IsDefined(typeof(Outcome), result.ExitCode) ? (Outcome)result.ExitCode
            : Outcome.Crashed;
        return new ProgramRun(program, outcome, result.Output, result.Duration);
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
}
