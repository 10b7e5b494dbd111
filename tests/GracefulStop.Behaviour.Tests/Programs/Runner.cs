// Runs one program by name: starts it, checks that its work gets done while nobody stops it, calls Stop() and
// times it, and reports the outcome as the exit code (see Outcome). Every program is a class implementing IStoppable,
// or IRunsUntilProcessExit: then the stop is the end of Main, and the test times the process exit from the marker line.
using System.Diagnostics;
using Behaviour;

if (args.Length != 1 || Type.GetType("Behaviour.Programs." + args[0]) is not { } type)
{
    Console.WriteLine("usage: Behaviour <program>");
    return (int)Outcome.Usage;
}

AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Interlocked.Exchange(ref UnhandledExceptions.Seen, 1);
    Console.WriteLine($"OUTCOME {Outcome.UnhandledException}: {e.ExceptionObject}");
    Console.Out.Flush();
    Environment.Exit((int)Outcome.UnhandledException);
};
var unobserved = 0;
TaskScheduler.UnobservedTaskException += (_, e) =>
{
    Interlocked.Increment(ref unobserved);
    Console.WriteLine($"unobserved task exception: {e.Exception}");
};

Backlog.Begin();
var instance = Activator.CreateInstance(type)!;
if (instance is IRunsUntilProcessExit resident)
{
    resident.Start();
    if (!MakesProgress(() => resident.Progress, out var residentProgress))
    {
        return Report(Outcome.NoProgress, residentProgress);
    }

    Thread.Sleep(300);
    // What keeps the process alive from here on is what the test measures: it must exit within 1 s of this line.
    Console.WriteLine(IRunsUntilProcessExit.MainReturns);
    Console.Out.Flush();
    return (int)Outcome.Stopped;
}

var program = (IStoppable)instance;
program.Start();
if (!MakesProgress(() => program.Progress, out var progress))
{
    return Report(Outcome.NoProgress, progress);
}

// Stopped once the backlog is done (Backlog.Busy), when a worker may be in its longest wait.
Thread.Sleep(300);

Exception? error = null;
var stopwatch = Stopwatch.StartNew();
var stopper = new Thread(() =>
{
    try
    {
        program.Stop();
    }
    catch (Exception e)
    {
        error = e;
    }
})
{ IsBackground = true };
stopper.Start();
if (!stopper.Join(TimeSpan.FromSeconds(1)))
{
    return Report(Outcome.StopTimedOut, "Stop() did not return within 1000 ms");
}

var stopped = stopwatch.ElapsedMilliseconds;
if (error is not null)
{
    return Report(Outcome.StopThrew, error.ToString());
}

// Nothing runs after Stop(): the work's progress is frozen, no thread dies later, no task fault goes unobserved.
var after = program.Progress;
Thread.Sleep(200);
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
if (program.Progress != after)
{
    return Report(Outcome.WorkContinued, $"progress {after} then {program.Progress} after Stop()");
}

if (Volatile.Read(ref unobserved) != 0)
{
    return Report(Outcome.UnobservedTaskException, "a task's exception went unobserved");
}

return Report(Outcome.Stopped, $"stopped in {stopped} ms");

// The self-check: the work makes progress while nobody stops it. At least 150 ms to each reading, as long as 3 s when
// the work has not moved yet: on a loaded machine a worker may not be scheduled for a while, which is not a failure
// to work (an idle machine takes the 150 ms).
static bool MakesProgress(Func<long> progress, out string detail)
{
    var early = ReadAfter(progress, 0);
    var late = ReadAfter(progress, early);
    detail = $"progress {early} then {late}";
    return early > 0 && late > early;
}

static long ReadAfter(Func<long> progress, long moreThan)
{
    var watch = Stopwatch.StartNew();
    Thread.Sleep(150);
    var value = progress();
    while (value <= moreThan && watch.ElapsedMilliseconds < 3_000)
    {
        Thread.Sleep(25);
        value = progress();
    }

    return value;
}

static int Report(Outcome outcome, string detail)
{
    if (outcome != Outcome.UnhandledException && Volatile.Read(ref UnhandledExceptions.Seen) != 0)
    {
        // A thread died while the outcome was being decided: that is the outcome, whichever exit runs first (under
        // load the handler's Environment.Exit and this one raced, and the exit code said Stopped).
        outcome = Outcome.UnhandledException;
        detail = "a thread died of an unhandled exception (above)";
    }

    Console.WriteLine($"OUTCOME {outcome}: {detail}");
    Console.Out.Flush();
    // Exit even if a foreground thread is still running: the outcome is already known.
    Environment.Exit((int)outcome);
    return (int)outcome;
}

namespace Behaviour
{
    /// <summary>A program: <see cref="Start"/> starts its work, <see cref="Stop"/> asks it to stop and waits for it.</summary>
    public interface IStoppable
    {
        /// <summary>A count the work increases while it runs.</summary>
        long Progress { get; }

        void Start();

        void Stop();
    }

    /// <summary>
    /// A program whose work has no stop but the end of the process (a console app's helper thread): <see cref="Start"/>
    /// starts it, and returning from Main must end the process.
    /// </summary>
    public interface IRunsUntilProcessExit
    {
        /// <summary>The line printed just before Main returns.</summary>
        const string MainReturns = "MAIN RETURNS";

        /// <summary>A count the work increases while it runs.</summary>
        long Progress { get; }

        void Start();
    }

    /// <summary>The programs' work has a backlog for the first 400 ms of the process, and then waits longer between rounds.</summary>
    public static class Backlog
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        public static bool Busy => Clock.ElapsedMilliseconds < 400;

        public static void Begin() => Clock.Restart();
    }

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
    }
}

/// <summary>Set by the unhandled-exception handler before it exits the process.</summary>
internal static class UnhandledExceptions
{
    public static int Seen;
}
