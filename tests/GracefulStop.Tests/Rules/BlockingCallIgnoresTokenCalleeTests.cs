using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Tokens that can never be cancelled because no caller passes one (fresh set 7, Papercut-SMTP).</summary>
public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    [Fact]
    public Task Optional_token_of_a_private_method_that_no_caller_passes_is_not_a_token_to_pass() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Coordinator
            {
                public void Started()
                {
                    Exchange();
                    Exchange(attempts: 2);
                }

                private void Exchange(int attempts = 1, CancellationToken token = default)
                {
                    Thread.Sleep(1000);
                    if (attempts > 1)
                    {
                        Exchange(attempts - 1, token);
                    }
                }
            }
            """);

    /// <summary>The look-alikes: a caller passes a token, the method is public, or it is handed out as a delegate.</summary>
    [Fact]
    public Task Optional_token_that_a_caller_passes_or_may_pass_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Coordinator
            {
                public Action<CancellationToken>? Handler;

                public void Started(CancellationToken stopping)
                {
                    Exchange(stopping);
                    Handler = Delegated;
                }

                private void Exchange(CancellationToken token = default)
                {
                    Thread.{|#0:Sleep|}(1000);
                }

                public void Public(CancellationToken token = default)
                {
                    Thread.{|#1:Sleep|}(1000);
                }

                private void Delegated(CancellationToken token = default)
                {
                    Thread.{|#2:Sleep|}(1000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(2)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task Short_pause_whose_length_every_caller_of_the_private_method_gives_is_not_reported_in_a_loop_over_the_token() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Sender
            {
                public void Start(CancellationToken token)
                {
                    Task.Factory.StartNew(() => SendContinuous(10, token));
                    Task.Factory.StartNew(() => SendContinuous(delay: 20, token: token));
                }

                private static void SendContinuous(int delay, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Send();
                        Thread.Sleep(delay);
                    }
                }

                private static void Send() { }
            }
            """);

    /// <summary>The look-alikes: a caller passes a long pause, or the method lengthens the pause it was given.</summary>
    [Fact]
    public Task Pause_through_a_parameter_that_a_caller_makes_long_or_the_method_changes_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Sender
            {
                public void Start(CancellationToken token)
                {
                    Task.Factory.StartNew(() => SendContinuous(10, token));
                    Task.Factory.StartNew(() => SendContinuous(1000, token));
                    Task.Factory.StartNew(() => Backoff(10, token));
                }

                private static void SendContinuous(int delay, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Thread.{|#0:Sleep|}(delay);
                    }
                }

                private static void Backoff(int delay, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Thread.{|#1:Sleep|}(delay);
                        delay *= 2;
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task Call_of_a_source_async_method_that_awaits_nothing_and_ignores_its_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class IpServer
            {
                private Socket? _listener;

                public async Task StopAsync(CancellationToken token = default)
                {
                    await Task.CompletedTask;
                    _listener?.Close();
                }

                public async Task StartAsync(int port, CancellationToken token = default)
                {
                    await Task.CompletedTask;
                    CreateListener(port, token);
                }

                private void CreateListener(int port, CancellationToken token = default)
                {
                    _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                }
            }

            class TrayServer
            {
                private readonly IpServer _server = new();

                public async Task RestartAsync(CancellationToken token)
                {
                    await _server.StopAsync();
                    await _server.StartAsync(37402);
                }
            }
            """);

    /// <summary>The look-alikes: the callee awaits a real wait, reads its token, or may be overridden.</summary>
    [Fact]
    public Task Call_of_a_source_method_that_waits_reads_its_token_or_is_virtual_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class IpServer
            {
                public async Task StopAsync(CancellationToken token = default)
                {
                    await Task.Delay(1000, token);
                }

                public async Task StartAsync(CancellationToken token = default)
                {
                    await Task.CompletedTask;
                    token.ThrowIfCancellationRequested();
                }

                public virtual async Task ResetAsync(CancellationToken token = default)
                {
                    await Task.CompletedTask;
                }
            }

            class TrayServer
            {
                private readonly IpServer _server = new();

                public async Task RestartAsync(CancellationToken token)
                {
                    await _server.{|#0:StopAsync|}();
                    await _server.{|#1:StartAsync|}();
                    await _server.{|#2:ResetAsync|}();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("_server.StopAsync()", "token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("_server.StartAsync()", "token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(2)
                .WithArguments("_server.ResetAsync()", "token", "pass it to the overload that takes a CancellationToken"));
}
