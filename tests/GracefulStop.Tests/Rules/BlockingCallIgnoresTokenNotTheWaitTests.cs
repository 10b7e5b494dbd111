using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Calls that look like waits but wait on nobody (session 15: fresh sets 2 and 9).</summary>
public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    /// <summary>
    /// sipsorcery's logging handler and Telegram.Bot's test handler (fresh sets 2 and 9): the body of the request the
    /// handler is sending was made by the caller, so reading it (or copying it into memory) waits on no other party.
    /// </summary>
    [Fact]
    public Task Reading_the_body_of_the_request_a_client_handler_sends_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class LoggingHandler : DelegatingHandler
            {
                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    if (request.Content != null)
                    {
                        var copy = new MemoryStream();
                        await request.Content.CopyToAsync(copy);
                    }

                    return await SendWithLoggingAsync(request, cancellationToken);
                }

                private async Task<HttpResponseMessage> SendWithLoggingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    var body = await request.Content!.ReadAsStringAsync();
                    return await base.SendAsync(request, cancellationToken);
                }
            }
            """);

    /// <summary>
    /// The look-alikes: the response's body (it comes from the server), a request body copied into a stream that may be a
    /// socket, and a request that is not the handler's own (a parameter of another method).
    /// </summary>
    [Fact]
    public Task Reading_a_response_body_or_copying_a_request_body_to_a_given_stream_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class LoggingHandler : DelegatingHandler
            {
                private readonly Stream _mirror;

                public LoggingHandler(Stream mirror) => _mirror = mirror;

                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    await request.Content!.[|CopyToAsync|](_mirror);
                    var response = await base.SendAsync(request, cancellationToken);
                    var text = await response.Content.[|ReadAsStringAsync|]();
                    return response;
                }
            }

            class Inbound
            {
                async Task<string> ReadAsync(HttpRequestMessage request, CancellationToken token) =>
                    await request.Content!.[|ReadAsStringAsync|]();
            }
            """);

    /// <summary>
    /// sentry-dotnet's profiler test (fresh set 9): <c>tcs.TrySetResult(x); tcs.Task.Wait();</c> in a <c>finally</c>: the
    /// task is complete by the time of the wait, so it returns at once.
    /// </summary>
    [Fact]
    public Task A_wait_for_a_completion_source_the_function_has_just_completed_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Profiler
            {
                private readonly TaskCompletionSource _stopped = new();

                void Run(CancellationToken token)
                {
                    var done = new TaskCompletionSource<string>();
                    try
                    {
                        Collect(token);
                    }
                    finally
                    {
                        done.TrySetResult("");
                        done.Task.Wait();
                    }
                }

                void Stop(CancellationToken token)
                {
                    _ = _stopped.TrySetResult();
                    _stopped.Task.Wait();
                }

                void Collect(CancellationToken token)
                {
                }
            }
            """);

    /// <summary>
    /// The look-alikes: the source completed in only one branch before the wait, completed after it, or another source
    /// completed.
    /// </summary>
    [Fact]
    public Task A_wait_for_a_completion_source_completed_on_one_path_or_later_or_another_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Profiler
            {
                void Run(CancellationToken token, bool early)
                {
                    var done = new TaskCompletionSource<string>();
                    var other = new TaskCompletionSource<string>();
                    if (early)
                    {
                        done.TrySetResult("");
                    }

                    done.Task.[|Wait|]();
                    other.TrySetResult("");
                    done.Task.[|Wait|]();
                }

                void Later(CancellationToken token)
                {
                    var done = new TaskCompletionSource<string>();
                    done.Task.[|Wait|]();
                    done.TrySetResult("");
                }
            }
            """);

    /// <summary>
    /// Discord.Net's UDP receive loop (fresh set 9): the receive is one arm of a <c>Task.WhenAny</c> whose other arm is
    /// <c>Task.Delay(-1, token)</c>; the function waits for the race, and cancelling ends it.
    /// </summary>
    [Fact]
    public Task A_call_raced_against_a_task_that_ends_on_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Receiver
            {
                async Task RunAsync(UdpClient udp, CancellationToken token)
                {
                    var close = Task.Delay(-1, token);
                    while (!token.IsCancellationRequested)
                    {
                        var receive = udp.ReceiveAsync();
                        if (await Task.WhenAny(close, receive) == close)
                        {
                            break;
                        }
                    }
                }

                async Task OnceAsync(UdpClient udp, CancellationTokenSource source)
                {
                    await Task.WhenAny(udp.ReceiveAsync(), Task.Delay(-1, source.Token));
                }
            }
            """);

    /// <summary>The look-alikes: a race against a plain timeout, or against other work not given the token.</summary>
    [Fact]
    public Task A_call_raced_against_a_timeout_or_other_work_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Receiver
            {
                async Task RunAsync(UdpClient udp, TcpClient tcp, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var receive = udp.[|ReceiveAsync|]();
                        await Task.WhenAny(receive, Task.Delay(1000));
                        var other = tcp.GetStream().[|ReadAsync|](new byte[1], 0, 1);
                        await Task.WhenAny(other, udp.[|ReceiveAsync|]());
                    }
                }
            }
            """);

    /// <summary>
    /// nats.net's consumer (fresh set 2): the drain starts in the <c>catch (OperationCanceledException)</c> of a read
    /// given the token; the handler runs because the token fired, and the token would end the drain at once.
    /// </summary>
    [Fact]
    public Task A_call_in_the_catch_of_the_tokens_own_cancellation_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class Consumer
            {
                async Task ConsumeAsync(ChannelReader<int> reader, bool draining, CancellationToken token)
                {
                    try
                    {
                        await reader.WaitToReadAsync(draining ? CancellationToken.None : token);
                    }
                    catch (OperationCanceledException)
                    {
                        await DrainAsync();
                        await Task.Delay(100);
                    }
                }

                Task DrainAsync(CancellationToken token = default) => Task.Delay(1, token);
            }
            """);

    /// <summary>
    /// The look-alikes: a catch filtered on the token not being cancelled, a try that awaits work given another token
    /// (a timeout's), and a catch of any exception.
    /// </summary>
    [Fact]
    public Task A_call_in_a_catch_that_is_not_the_tokens_cancellation_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class Consumer
            {
                async Task ConsumeAsync(ChannelReader<int> reader, CancellationToken token)
                {
                    try
                    {
                        await reader.WaitToReadAsync(token);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        await Task.[|Delay|](100);
                    }

                    using var timeout = new CancellationTokenSource(5000);
                    try
                    {
                        await reader.WaitToReadAsync(timeout.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        await Task.[|Delay|](100);
                    }

                    try
                    {
                        await reader.WaitToReadAsync(token);
                    }
                    catch (Exception)
                    {
                        await Task.[|Delay|](100);
                    }
                }
            }
            """);

    /// <summary>
    /// nats.net's connect (fresh set 2): the wait for the server's greeting is bounded by the connect timeout, whose
    /// expiry the function catches; the only token in scope is the connection's dispose source.
    /// </summary>
    [Fact]
    public Task A_one_shot_wait_with_a_handled_timeout_under_the_objects_own_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private readonly CancellationTokenSource _disposed = new();
                private readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(2);

                public async Task<bool> ConnectAsync(TaskCompletionSource greeting)
                {
                    try
                    {
                        await greeting.Task.WaitAsync(_connectTimeout);
                        return !_disposed.IsCancellationRequested;
                    }
                    catch (TimeoutException)
                    {
                        return false;
                    }
                }

                public async Task<bool> RetryAsync(TaskCompletionSource greeting)
                {
                    try
                    {
                        await greeting.Task.WaitAsync(_connectTimeout);
                        return !_disposed.IsCancellationRequested;
                    }
                    catch (Exception)
                    {
                        return false;
                    }
                }
            }
            """);

    /// <summary>The look-alikes: a caller's token, a wait in a loop, and an expiry nobody catches.</summary>
    [Fact]
    public Task A_timed_wait_under_a_callers_token_in_a_loop_or_with_an_uncaught_expiry_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private readonly CancellationTokenSource _disposed = new();

                public async Task<bool> ConnectAsync(TaskCompletionSource greeting, CancellationToken token)
                {
                    try
                    {
                        await greeting.Task.[|WaitAsync|](TimeSpan.FromSeconds(2));
                        return true;
                    }
                    catch (TimeoutException)
                    {
                        return false;
                    }
                }

                public async Task PollAsync(Func<Task> next)
                {
                    while (!_disposed.IsCancellationRequested)
                    {
                        try
                        {
                            await next().[|WaitAsync|](TimeSpan.FromSeconds(2));
                        }
                        catch (TimeoutException)
                        {
                        }
                    }
                }

                public async Task OnceAsync(TaskCompletionSource greeting)
                {
                    await greeting.Task.[|WaitAsync|](TimeSpan.FromSeconds(2));
                    _disposed.Token.ThrowIfCancellationRequested();
                }
            }
            """);
}
