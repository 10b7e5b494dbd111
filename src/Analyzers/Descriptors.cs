using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers;

/// <summary>
/// Every diagnostic descriptor of the package, and the only place one is created.
/// A rule that reports different consequences on different targets has one descriptor per message.
/// A rule is a Warning by default only when its precision on repositories it was not tuned on is at least 90 %
/// (docs/validation.md); below that it ships as a suggestion (Info).
/// </summary>
public static class Descriptors
{
    public const string HelpLinkBase = "https://github.com/gracefulstop/GracefulStop.Analyzers/blob/main/docs/rules/";

    internal static class Categories
    {
        public const string Reliability = "Reliability";
    }

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private const string AbortTitle = "Do not abort or suspend threads";

    public static readonly DiagnosticDescriptor AbortOnDotNet = new(
        RuleIds.ThreadAbort,
        AbortTitle,
        "'{0}' throws PlatformNotSupportedException on .NET Core and .NET 5+ and does nothing to the thread; stop it with a CancellationToken",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Thread.Abort, ResetAbort, Suspend and Resume are not supported on .NET Core and .NET 5+: they throw PlatformNotSupportedException and the thread is not stopped.",
        helpLinkUri: HelpLink(RuleIds.ThreadAbort));

    public static readonly DiagnosticDescriptor AbortOnFramework = new(
        RuleIds.ThreadAbort,
        AbortTitle,
        "'{0}' {1}; stop the thread with a CancellationToken",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "On .NET Framework, Thread.Abort injects an exception at an arbitrary point of the target thread, and Suspend stops it wherever it is: cleanup is skipped, locks stay taken and shared state is left half-written.",
        helpLinkUri: HelpLink(RuleIds.ThreadAbort));

    public static readonly DiagnosticDescriptor AbortOnAnyTarget = new(
        RuleIds.ThreadAbort,
        AbortTitle,
        "'{0}' throws PlatformNotSupportedException on .NET Core and .NET 5+ and {1} on .NET Framework; stop the thread with a CancellationToken",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A library that runs on both .NET Framework and .NET cannot stop a thread with Abort or Suspend: one runtime refuses it, the other corrupts state.",
        helpLinkUri: HelpLink(RuleIds.ThreadAbort));

    public static readonly DiagnosticDescriptor AbortSelf = new(
        RuleIds.ThreadAbort,
        AbortTitle,
        "'{0}' aborts the calling thread: on .NET Core and .NET 5+ it throws PlatformNotSupportedException, and on .NET Framework it raises a ThreadAbortException that every catch block re-raises; end the thread by returning from its method, or throw an exception",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A thread that aborts itself does not stop another thread at an arbitrary point, but it still depends on Thread.Abort: .NET 5+ refuses it, and on .NET Framework the abort cannot be caught like an ordinary exception. Returning from the thread's method, or throwing, ends it on every runtime.",
        helpLinkUri: HelpLink(RuleIds.ThreadAbort));

    public static readonly DiagnosticDescriptor CatchThreadAbort = new(
        RuleIds.ThreadAbort,
        AbortTitle,
        "This 'catch ({0})' swallows thread aborts with Thread.ResetAbort: the code relies on Thread.Abort to stop the thread, which {1}; stop the thread with a CancellationToken",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Catching ThreadAbortException and calling Thread.ResetAbort means the code is built around Thread.Abort, which never stops a thread on .NET 5+ and corrupts state on .NET Framework.",
        helpLinkUri: HelpLink(RuleIds.ThreadAbort));

    public static readonly DiagnosticDescriptor Interrupt = new(
        RuleIds.ThreadInterrupt,
        "Do not interrupt threads",
        "'{0}' throws ThreadInterruptedException at whatever blocking point the thread reaches next, even inside locks, finally blocks and library code; stop the thread with a CancellationToken",
        Categories.Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Thread.Interrupt raises an exception at the next wait, sleep or join of the target thread, wherever that is: cleanup code and code you do not own are interrupted half-way.",
        helpLinkUri: HelpLink(RuleIds.ThreadInterrupt));

    public static readonly DiagnosticDescriptor LoopIgnoresToken = new(
        RuleIds.LoopIgnoresToken,
        "Loop does not observe the cancellation token in scope",
        "This '{0}' loop {1} but never observes '{2}': cancelling it does not stop the loop",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A loop that can run long (endless, blocking, sleeping, awaiting, doing I/O, or the main loop of a thread) with a cancellation token in scope should check that token, otherwise cancelling the operation leaves the loop running.",
        helpLinkUri: HelpLink(RuleIds.LoopIgnoresToken));

    public static readonly DiagnosticDescriptor WorkerLoopCannotStop = new(
        RuleIds.WorkerLoopCannotStop,
        "Worker loop has no way to stop",
        "This endless '{0}' loop runs on its own thread ({1}) and nothing can stop it: it has no exit and no cancellation token, so it runs until the process ends",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "An endless loop with no break, return or throw, running on a thread or task of its own with no cancellation token, can only be stopped by killing the process (or by Thread.Abort, which .NET 5+ no longer supports).",
        helpLinkUri: HelpLink(RuleIds.WorkerLoopCannotStop));
    private const string StopFlagTitle = "Stop flag is not synchronized";

    private const string StopFlagMessage = "'{0}' is read by the loop in '{1}' and written in '{2}' without synchronization: the JIT may hoist the read out of the loop, which then never sees the write and never stops";

    private const string StopFlagDescription = "A bool field or captured local that a loop polls to know when to stop, written by another method, lambda or thread, must be read with acquire semantics: otherwise the compiler or JIT may read it once before the loop and the loop never ends. Use a CancellationTokenSource, a ManualResetEventSlim or, at least, a volatile field.";

    public static readonly DiagnosticDescriptor StopFlag = new(
        RuleIds.StopFlag,
        StopFlagTitle,
        StopFlagMessage,
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: StopFlagDescription,
        helpLinkUri: HelpLink(RuleIds.StopFlag));

    /// <summary>GS0007 for a field visible outside its type whose only writes are in other types: found at compilation end.</summary>
    public static readonly DiagnosticDescriptor StopFlagWrittenOutsideType = new(
        RuleIds.StopFlag,
        StopFlagTitle,
        StopFlagMessage,
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: StopFlagDescription,
        helpLinkUri: HelpLink(RuleIds.StopFlag),
        customTags: WellKnownDiagnosticTags.CompilationEnd);
    public static readonly DiagnosticDescriptor TokenNotObservedByWork = new(
        RuleIds.TokenNotObservedByWork,
        "Token given to Task.Run / StartNew is not observed by the work",
        "The work given to '{0}' never observes '{1}': cancelling it can only keep {2} from starting, and once running the work ignores it",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A token passed to Task.Run, Task.Factory.StartNew, new Task or ParallelOptions is only checked before the work starts. Work that loops or blocks without observing the token cannot be stopped by cancelling it.",
        helpLinkUri: HelpLink(RuleIds.TokenNotObservedByWork));

    private const string SwallowedTitle = "Cancellation is swallowed inside a loop";

    public static readonly DiagnosticDescriptor CancellationSwallowed = new(
        RuleIds.CancellationSwallowed,
        SwallowedTitle,
        "'{0}' swallows the cancellation of '{1}' in a loop that does not check it: the loop goes on after cancellation, often spinning because every later wait throws at once",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A catch that handles OperationCanceledException (directly, through a base type, a bare catch, or wrapped in an AggregateException) without rethrowing or leaving the loop keeps a loop running after its token is cancelled.",
        helpLinkUri: HelpLink(RuleIds.CancellationSwallowed));

    public static readonly DiagnosticDescriptor InterruptSwallowed = new(
        RuleIds.CancellationSwallowed,
        SwallowedTitle,
        "'{0}' swallows ThreadInterruptedException in a loop that waits on '{1}' but does not check it: the loop goes on after it is asked to stop",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A catch of ThreadInterruptedException that neither rethrows nor leaves the loop ignores the stop request that woke the thread; when the token is cancelled too, the loop should end.",
        helpLinkUri: HelpLink(RuleIds.CancellationSwallowed));
    public static readonly DiagnosticDescriptor BlockingCallIgnoresToken = new(
        RuleIds.BlockingCallIgnoresToken,
        "Blocking call ignores the cancellation token in scope",
        "'{0}' ignores the cancellation token '{1}', so cancelling does not end this wait; {2}",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A call that blocks or waits while a CancellationToken is in scope, but neither takes the token nor returns early on it, keeps the thread waiting after cancellation: shutdown is delayed until the wait ends on its own, or forever.",
        helpLinkUri: HelpLink(RuleIds.BlockingCallIgnoresToken));

    public static readonly DiagnosticDescriptor BlockingCallCanWaitForever = new(
        RuleIds.BlockingCallCanWaitForever,
        "Blocking call can wait forever",
        "'{0}' can wait forever and no cancellation token is in scope, so this {1} cannot be stopped while it waits; pass a CancellationToken or wait with a timeout",
        Categories.Reliability,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "An infinite wait in work that runs on its own thread or in a loop, with no CancellationToken in scope: nothing can end the wait except the event it waits for, so the thread or loop cannot be stopped.",
        helpLinkUri: HelpLink(RuleIds.BlockingCallCanWaitForever));
}
