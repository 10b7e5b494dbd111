using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Short waits whose bound the code states another way than a constant argument (session 15: fresh set 8, swan).</summary>
public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    /// <summary>
    /// swan's connection and worker delay: a wait given a readonly field of 5 ms that only its initializer sets, and a
    /// wait given a variable that the enclosing <c>if</c> has found below 15 ms, in loops that observe the token.
    /// </summary>
    [Fact]
    public Task Short_waits_bounded_by_a_readonly_field_or_a_guarding_if_are_not_reported_in_a_loop_over_the_token() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Reader
            {
                private const int Step = 15;
                private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(5);

                void Read(Task<int> read, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        if (read.Wait(_interval))
                        {
                            return;
                        }
                    }
                }

                void Delay(Task delay, int wanted, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var remaining = wanted - Environment.TickCount;
                        if (remaining <= 0)
                        {
                            break;
                        }

                        if (remaining >= Step)
                        {
                            Task.Delay(Step, token).Wait(token);
                        }
                        else
                        {
                            delay.Wait(remaining);
                        }
                    }
                }
            }
            """);

    /// <summary>
    /// The look-alikes: a readonly field a constructor may set, a long one, the branch the guard does not bound, and a
    /// variable changed after the guard.
    /// </summary>
    [Fact]
    public Task Waits_whose_field_or_guard_does_not_bound_them_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Reader
            {
                private const int Step = 15;
                private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(5);
                private readonly TimeSpan _long = TimeSpan.FromSeconds(5);

                public Reader(TimeSpan interval) => _interval = interval;

                void Read(Task<int> read, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        if (read.[|Wait|](_interval) || read.[|Wait|](_long))
                        {
                            return;
                        }
                    }
                }

                void Delay(Task delay, int wanted, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var remaining = wanted - Environment.TickCount;
                        if (remaining >= Step)
                        {
                            delay.[|Wait|](remaining);
                        }
                        else
                        {
                            remaining *= 100;
                            delay.[|Wait|](remaining);
                        }
                    }
                }
            }
            """);
}
