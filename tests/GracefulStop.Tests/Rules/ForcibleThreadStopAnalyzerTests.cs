using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.Tests.Verification;
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
        var test = new AnalyzerTest<ForcibleThreadStopAnalyzer>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net472,
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
}
