using GracefulStop.Tests.Harness;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpAnalyzerVerifier<GracefulStop.Analyzers.Rules.ForcibleThreadStopAnalyzer>;

namespace GracefulStop.Tests.Rules;

public sealed class ForcibleThreadStopAnalyzerTests
{
    [Fact]
    public Task Abort_on_net8_reports_that_the_thread_keeps_running() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void M(Thread worker)
                {
                    worker.{|#0:Abort|}();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(0).WithArguments("worker.Abort()"));

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net472")]
    public async Task Abort_of_the_current_thread_says_what_a_self_abort_does(string target)
    {
        var test = new CSharpAnalyzerVerifier<ForcibleThreadStopAnalyzer>.Test
        {
            TestCode = """
                using System.Threading;

                class Session
                {
                    void Fail()
                    {
                        Thread.CurrentThread.{|#0:Abort|}();
                    }

                    void Other(Thread worker) => worker.{|#1:Abort|}();
                }
                """,
        };
        var other = Verify.Diagnostic(Descriptors.AbortOnDotNet).WithArguments("worker.Abort()");
        if (target == "net472")
        {
            test.ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.Default;
            other = Verify.Diagnostic(Descriptors.AbortOnFramework).WithArguments(
                "worker.Abort()", "injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken");
        }

        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.AbortSelf).WithLocation(0).WithArguments("Thread.CurrentThread.Abort()"));
        test.ExpectedDiagnostics.Add(other.WithLocation(1));
        await test.RunAsync();
    }

    [Fact]
    public Task Abort_with_state_and_suspend_resume_reset_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void M(Thread worker)
                {
                    worker.{|GS0001:Abort|}("stop");
                    worker.{|GS0001:Suspend|}();
                    worker.{|GS0001:Resume|}();
                    Thread.{|GS0001:ResetAbort|}();
                }
            }
            """);

    [Fact]
    public async Task Abort_on_net472_reports_skipped_cleanup()
    {
        var test = new CSharpAnalyzerVerifier<ForcibleThreadStopAnalyzer>.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.Default,
            TestCode = """
                using System.Threading;

                class C
                {
                    Thread _worker = new Thread(() => { });

                    void Stop() => _worker.{|#0:Abort|}();
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.AbortOnFramework).WithLocation(0).WithArguments(
            "_worker.Abort()",
            "injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken"));
        await test.RunAsync();
    }

    [Fact]
    public Task Interrupt_is_reported_with_its_consequence() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                private readonly Thread _poller = new Thread(() => { });

                void Stop() => _poller.{|#0:Interrupt|}();
            }
            """,
            Verify.Diagnostic(Descriptors.Interrupt).WithLocation(0).WithArguments("_poller.Interrupt()"));

    [Fact]
    public Task Conditional_access_and_long_receivers_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;

            class C
            {
                Dictionary<string, Thread> _threadsByVeryLongDescriptiveName = new();

                void Stop(Thread? worker)
                {
                    worker?.{|#0:Abort|}();
                    _threadsByVeryLongDescriptiveName["a worker thread name"].{|#1:Interrupt|}();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(0).WithArguments("worker.Abort()"),
            Verify.Diagnostic(Descriptors.Interrupt).WithLocation(1).WithArguments("Thread.Interrupt()"));

    [Fact]
    public Task Look_alike_methods_on_other_types_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Transaction { public void Abort() { } public void Suspend() { } }
            class Session { public void Interrupt() { } public void Resume() { } }
            class Thread { public void Abort() { } public void Interrupt() { } }

            class C
            {
                void M(Transaction t, Session s, Thread own, System.Threading.Thread real)
                {
                    t.Abort();
                    t.Suspend();
                    s.Interrupt();
                    s.Resume();
                    own.Abort();
                    own.Interrupt();
                    real.Join();
                    real.Start();
                    _ = real.IsAlive;
                }
            }
            """);

    [Fact]
    public Task Catch_of_thread_abort_that_resets_it_is_reported_once_and_other_catches_are_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void Work() { }

                void Swallow()
                {
                    try { Work(); }
                    catch ({|#0:ThreadAbortException|} e) { Console.WriteLine(e.Message); Thread.ResetAbort(); }
                }

                void LogOnly()
                {
                    // The runtime raises the abort again at the end of this handler: nothing is swallowed.
                    try { Work(); }
                    catch (ThreadAbortException) { Console.WriteLine("unloading"); }
                }

                void Rethrow()
                {
                    try { Work(); }
                    catch (ThreadAbortException) { Console.WriteLine("cleanup"); throw; }
                }

                void ResetElsewhere()
                {
                    try { Work(); }
                    catch (Exception) { Thread.{|#1:ResetAbort|}(); }
                }

                void Other()
                {
                    try { Work(); }
                    catch (ThreadInterruptedException) { }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CatchThreadAbort).WithLocation(0).WithArguments("ThreadAbortException", "is not supported on .NET Core and .NET 5+"),
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(1).WithArguments("Thread.ResetAbort()"));

    [Fact]
    public Task Catch_around_the_methods_own_abort_is_the_same_cause_as_the_abort() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Worker
            {
                private Thread _thread = new Thread(() => { });

                public void Stop(TimeSpan timeout)
                {
                    if (!_thread.Join(timeout))
                    {
                        // Reported once, on the Abort: the catch goes away with it.
                        try { _thread.{|#0:Abort|}(); }
                        catch (ThreadAbortException) { Thread.ResetAbort(); }
                    }
                }

                public void StopLater()
                {
                    // The abort inside the lambda runs later, elsewhere: this catch still swallows an abort of this thread.
                    try { ThreadPool.QueueUserWorkItem(_ => _thread.{|#1:Abort|}()); Work(); }
                    catch ({|#2:ThreadAbortException|}) { Thread.ResetAbort(); }
                }

                public void Run()
                {
                    // The look-alike with no abort in the try: the worker swallows an abort of itself.
                    try { Work(); }
                    catch ({|#3:ThreadAbortException|}) { Thread.ResetAbort(); }
                }

                private void Work() { }
            }
            """,
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(0).WithArguments("_thread.Abort()"),
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(1).WithArguments("_thread.Abort()"),
            Verify.Diagnostic(Descriptors.CatchThreadAbort).WithLocation(2).WithArguments("ThreadAbortException", "is not supported on .NET Core and .NET 5+"),
            Verify.Diagnostic(Descriptors.CatchThreadAbort).WithLocation(3).WithArguments("ThreadAbortException", "is not supported on .NET Core and .NET 5+"));

    [Fact]
    public async Task NetStandard_library_is_told_both_consequences()
    {
        var test = new CSharpAnalyzerVerifier<ForcibleThreadStopAnalyzer>.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20,
            TestCode = """
                using System.Threading;

                public class C
                {
                    public void M(Thread t) => t.{|#0:Abort|}();
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.AbortOnAnyTarget).WithLocation(0).WithArguments(
            "t.Abort()",
            "injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Suspend_on_net472_names_the_deadlock()
    {
        var test = new CSharpAnalyzerVerifier<ForcibleThreadStopAnalyzer>.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.Default,
            TestCode = """
                using System.Threading;

                class C
                {
                    void M(Thread t)
                    {
                    #pragma warning disable CS0618 // Suspend is obsolete on .NET Framework
                        t.{|#0:Suspend|}();
                    #pragma warning restore CS0618
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.AbortOnFramework).WithLocation(0).WithArguments(
            "t.Suspend()",
            "freezes the thread wherever it is, possibly holding a lock that every other thread then waits for"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("worker.Abort(")]
    [InlineData("worker.Abort(;")]
    [InlineData("worker.")]
    [InlineData("Thread.Abort();")]
    [InlineData("missing.Abort();")]
    [InlineData("worker.Abort(1, 2, 3);")]
    public async Task Half_typed_code_gets_no_exception_and_no_report(string statement)
    {
        var source = $$"""
            using System.Threading;

            class C
            {
                void M(Thread worker)
                {
                    {{statement}}
                }
            }
            """;
        var diagnostics = await AllRules.RunAllAnalyzersAsync(source);
        Assert.DoesNotContain(diagnostics, d => d.Id is RuleIds.ThreadAbort or RuleIds.ThreadInterrupt);
    }

    // Fresh set 4: a stop method that aborts a thread field the type never assigns aborts nothing (the field is null).
    [Fact]
    public Task Abort_of_a_private_field_nothing_assigns_is_not_reported_but_one_assigned_anywhere_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class NeverKept
            {
                private Thread clientConnectionThread;
                private Thread listener;

                public void Start()
                {
                    listener = new Thread(() => { });
                    listener.Start();
                }

                public void Stop()
                {
                    try
                    {
                        clientConnectionThread.Abort();
                    }
                    catch (Exception)
                    {
                    }

                    listener.{|#0:Abort|}();
                }
            }

            class KeptThroughAProperty
            {
                private Thread worker;

                public Thread Worker { set => this.worker = value; }

                public void Stop() => worker.{|#1:Abort|}();
            }
            """,
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(0).WithArguments("listener.Abort()"),
            Verify.Diagnostic(Descriptors.AbortOnDotNet).WithLocation(1).WithArguments("worker.Abort()"));
}
