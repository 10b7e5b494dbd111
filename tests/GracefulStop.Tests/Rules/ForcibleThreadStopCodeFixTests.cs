using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.ForcibleThreadStopAnalyzer,
    GracefulStop.CodeFixes.Rules.ForcibleThreadStopCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class ForcibleThreadStopCodeFixTests
{
    [Fact]
    public Task Field_thread_with_method_group_gets_a_token_source_and_a_bounded_join() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Poller
            {
                private Thread _worker;

                public void Start()
                {
                    _worker = new Thread(Run);
                    _worker.Start();
                }

                private void Run()
                {
                    // Poll forever.
                    while (true)
                    {
                        Poll();
                        Thread.Sleep(100);
                    }
                }

                private void Poll() { }

                public void Stop()
                {
                    _worker.{|GS0001:Abort|}(); // stop now
                }
            }
            """,
            """
            using System.Threading;

            class Poller
            {
                private Thread _worker;
                private CancellationTokenSource _workerCancellation = new CancellationTokenSource();

                public void Start()
                {
                    _workerCancellation = new CancellationTokenSource();
                    _worker = new Thread(Run);
                    _worker.Start();
                }

                private void Run()
                {
                    // Poll forever.
                    while (!_workerCancellation.IsCancellationRequested)
                    {
                        Poll();
                        _workerCancellation.Token.WaitHandle.WaitOne(100);
                    }
                }

                private void Poll() { }

                public void Stop()
                {
                    _workerCancellation.Cancel();
                    _worker.Join(System.TimeSpan.FromSeconds(30)); // stop now
                }
            }
            """);
}
