using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    // ---- Detection: one positive per table row ----

    [Fact]
    public Task Sleep_with_a_token_parameter_is_reported_with_the_token_and_the_advice() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token)
                {
                    Thread.{|#0:Sleep|}(1000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "token", "wait on 'token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task Ctrl_C_handler_that_cancels_later_does_not_hide_the_console_loop() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    using var cts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
                    while (true)
                    {
                        Console.WriteLine("tick");
                        Thread.{|#0:Sleep|}(1000);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "cts.Token", "wait on 'cts.Token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task A_cancel_that_only_leaves_the_loop_does_not_hide_a_retry_wait_when_another_method_cancels_too() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            // The Kafka client's rebalance retry (fresh set 12): Stop() cancels the source the loop runs on; the loop's own
            // Cancel() is only its way out.
            class Rebalancer
            {
                private readonly CancellationTokenSource _cts = new CancellationTokenSource();

                void SyncedRebalance()
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        try
                        {
                            Rebalance();
                            return;
                        }
                        catch (ObjectDisposedException)
                        {
                            _cts.Cancel();
                        }
                        catch (Exception)
                        {
                            Thread.{|#0:Sleep|}(1000);
                        }
                    }
                }

                void Rebalance() { }

                public void Stop() => _cts.Cancel();
            }

            // Nobody else cancels: the function's own cancel is the only one, and no wait can be cut short by it.
            class LoneRetry
            {
                private readonly CancellationTokenSource _cts = new CancellationTokenSource();

                void Retry(Func<bool> attempt)
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        if (attempt()) _cts.Cancel();
                        else Thread.Sleep(1000);
                    }
                }
            }

            // A cancel the wait can follow (the loop does not end on it) still makes the function the canceller.
            class Driver
            {
                private readonly CancellationTokenSource _cts = new CancellationTokenSource();

                void Drive()
                {
                    while (true)
                    {
                        _cts.Cancel();
                        Thread.Sleep(1000);
                    }
                }

                public void Stop() => _cts.Cancel();
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "_cts.Token", "wait on '_cts.Token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task A_local_source_nobody_can_cancel_is_not_a_token_to_pass() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Downloader
            {
                void Never(Task download)
                {
                    using var cts = new CancellationTokenSource();
                    if (cts.IsCancellationRequested) return;
                    download.Wait();
                }

                void Later(Task download)
                {
                    var cts = new CancellationTokenSource();
                    Task.Run(() => cts.Cancel());
                    download.{|#0:Wait|}();
                }

                void Handed(Task download)
                {
                    var cts = new CancellationTokenSource();
                    Register(cts);
                    download.{|#1:Wait|}();
                }

                static void Register(CancellationTokenSource source) { }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0).WithArguments("download.Wait()", "cts.Token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1).WithArguments("download.Wait()", "cts.Token", "pass it to the overload that takes a CancellationToken"));

    [Fact]
    public Task Waiting_on_a_call_that_ignores_the_token_is_one_report_on_the_call() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Sender
            {
                void Send(Stream stream, byte[] data, CancellationToken token)
                {
                    stream.{|#0:WriteAsync|}(data, 0, data.Length).Wait();
                    Task.Delay(100, token).Wait();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0).WithArguments("stream.WriteAsync()", "token", "pass it to the overload that takes a CancellationToken"));

    [Fact]
    public Task Reading_content_that_the_client_call_already_buffered_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Api
            {
                async Task<string> Buffered(HttpClient client, CancellationToken token)
                {
                    var response = await client.GetAsync("/items", token);
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> Streamed(HttpClient client, CancellationToken token)
                {
                    using var response = await client.GetAsync("/items", HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    return await response.Content.{|#0:ReadAsStringAsync|}();
                }

                async Task<string> Given(HttpResponseMessage response, CancellationToken token) =>
                    await response.Content.{|#1:ReadAsStringAsync|}();

                async Task<string?> DeclaredNullThenBuffered(HttpClient client, CancellationToken token)
                {
                    HttpResponseMessage? response = null;
                    while (!token.IsCancellationRequested)
                    {
                        response = await client.GetAsync("/items", token).ConfigureAwait(false);
                        if (response.IsSuccessStatusCode) break;
                    }

                    return response is null ? null : await response.Content.ReadAsStringAsync();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0).WithArguments("response.Content.ReadAsStringAsync()", "token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1).WithArguments("response.Content.ReadAsStringAsync()", "token", "pass it to the overload that takes a CancellationToken"));

    [Fact]
    public Task Every_table_row_is_reported_in_sync_code() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(CancellationToken token, ManualResetEvent handle, Task<int> task, Task[] tasks,
                    BlockingCollection<string> queue, SemaphoreSlim semaphore, ManualResetEventSlim slim,
                    CountdownEvent countdown, Barrier barrier)
                {
                    Thread.{|GS0005:Sleep|}(TimeSpan.FromSeconds(1));
                    handle.{|GS0005:WaitOne|}();
                    handle.{|GS0005:WaitOne|}(500);
                    task.{|GS0005:Wait|}();
                    task.{|GS0005:Wait|}(1000);
                    Task.{|GS0005:WaitAll|}(tasks);
                    Task.{|GS0005:WaitAny|}(tasks);
                    var item = queue.{|GS0005:Take|}();
                    queue.{|GS0005:Add|}(item);
                    foreach (var each in queue.{|GS0005:GetConsumingEnumerable|}())
                    {
                    }

                    semaphore.{|GS0005:Wait|}();
                    slim.{|GS0005:Wait|}();
                    countdown.{|GS0005:Wait|}();
                    barrier.{|GS0005:SignalAndWait|}();
                }
            }
            """);

    [Fact]
    public Task Awaited_waits_and_channels_are_reported_in_async_code() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, SemaphoreSlim semaphore, Channel<int> channel)
                {
                    await semaphore.{|GS0005:WaitAsync|}();
                    await Task.{|GS0005:Delay|}(1000);
                    var x = await channel.Reader.{|GS0005:ReadAsync|}();
                    await channel.Reader.{|GS0005:WaitToReadAsync|}();
                    await foreach (var y in channel.Reader.{|GS0005:ReadAllAsync|}())
                    {
                    }

                    await channel.Writer.{|GS0005:WriteAsync|}(x);
                    Thread.{|GS0005:Sleep|}(200);
                }
            }
            """);

    [Fact]
    public Task Socket_listener_and_process_waits_are_reported_in_async_and_sync_code() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, TcpListener listener, Socket socket, Process process)
                {
                    using var client = listener.{|GS0005:AcceptTcpClient|}();
                    using var accepted = listener.{|GS0005:AcceptSocket|}();
                    using var other = socket.{|GS0005:Accept|}();
                    process.{|GS0005:WaitForExit|}();
                    await Task.Yield();
                }

                void Sync(CancellationToken token, TcpListener listener)
                {
                    using var client = listener.{|#0:AcceptTcpClient|}();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0).WithArguments(
                "listener.AcceptTcpClient()", "token", "register a callback on the token that ends the wait, or call 'AcceptTcpClientAsync' with the token from async code"));

    [Fact]
    public Task Any_method_with_a_token_overload_is_reported_for_instance_and_extension_calls() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Store
            {
                public void Flush() { }
                public void Flush(CancellationToken token) { }
            }

            static class StoreExtensions
            {
                public static void Compact(this Store store) { }
                public static void Compact(this Store store, CancellationToken token) { }
            }

            class C
            {
                void M(CancellationToken token, Store store)
                {
                    store.{|GS0005:Flush|}();
                    store.{|GS0005:Compact|}();
                    StoreExtensions.{|GS0005:Compact|}(store);
                }
            }
            """);

    [Fact]
    public Task Token_sources_fields_and_captured_tokens_count_as_in_scope() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                void Field(Task task)
                {
                    if (_cts.IsCancellationRequested)
                    {
                        return;
                    }

                    task.{|#0:Wait|}();
                }

                void FieldNotUsedHere(Task task) => task.Wait();

                void Captured(CancellationToken token, Task task)
                {
                    var thread = new Thread(() => task.{|#1:Wait|}());
                    thread.Start();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0).WithArguments("task.Wait()", "_cts.Token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1).WithArguments("task.Wait()", "token", "pass it to the overload that takes a CancellationToken"));

    // ---- Negatives ----

    [Fact]
    public Task Calls_that_already_take_the_token_or_wait_on_it_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, ManualResetEvent handle, Task task, SemaphoreSlim semaphore)
                {
                    task.Wait(token);
                    task.Wait(CancellationToken.None);
                    semaphore.Wait(100, token);
                    await Task.Delay(100, token);
                    token.WaitHandle.WaitOne(100);
                    WaitHandle.WaitAny(new[] { handle, token.WaitHandle });
                    Thread.Sleep(0);
                }
            }
            """);

    [Fact]
    public Task Zero_waits_starting_work_and_handles_built_from_the_token_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class CancellationEvent : IDisposable
            {
                public CancellationEvent(CancellationToken token) { }
                public WaitHandle WaitHandle => null!;
                public void Dispose() { }
            }

            class C
            {
                void M(CancellationToken token, ManualResetEvent handle, Task task, TaskCompletionSource<int> source)
                {
                    handle.WaitOne(TimeSpan.Zero);
                    Task.Run(() => { });
                    task.ContinueWith(t => { });
                    source.TrySetCanceled();
                    using var cancellationEvent = new CancellationEvent(token);
                    cancellationEvent.WaitHandle.WaitOne(1000);
                }
            }
            """);

    [Fact]
    public Task A_token_overload_that_forwards_to_the_overload_without_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Channel
            {
                public Task CloseAsync(bool abort) => Task.CompletedTask;

                // Passing the token here would make this method call itself.
                public Task CloseAsync(bool abort, CancellationToken cancellationToken) => CloseAsync(abort);

                public Task CloseAsync(int code, CancellationToken cancellationToken) => {|GS0005:CloseAsync|}(code > 0);
            }
            """);

    [Fact]
    public Task Short_waits_inside_a_loop_that_observes_the_token_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void M(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Thread.Sleep(50);
                        Thread.Sleep(TimeSpan.FromMilliseconds(10));
                        Thread.{|GS0005:Sleep|}(100);
                    }
                }

                void N(CancellationToken token)
                {
                    for (var i = 0; i < 10; i++)
                    {
                        Thread.{|GS0005:Sleep|}(50);
                    }
                }
            }
            """);

    [Fact]
    public Task No_token_in_scope_means_no_report() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(Task task, ManualResetEvent handle)
                {
                    Thread.Sleep(1000);
                    task.Wait();
                    handle.WaitOne();
                }
            }
            """);

    [Fact]
    public Task Methods_named_like_the_api_on_unrelated_types_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Sleeper
            {
                public static void Sleep(int ms) { }
                public void WaitOne() { }
                public int Take() => 0;
                public void Wait() { }
                public void Wait(bool extra, CancellationToken token) { }
            }

            class C
            {
                void M(CancellationToken token, Sleeper sleeper)
                {
                    Sleeper.Sleep(1000);
                    sleeper.WaitOne();
                    sleeper.Take();
                    sleeper.Wait();
                }
            }
            """);

    [Fact]
    public Task Invalid_code_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token)
                {
                    Thread.Sleep({|CS0103:missing|});
                }
            }
            """);

    [Theory]
    [InlineData("gracefulstop.GS0005.short_wait_threshold_ms = 500", false)]
    [InlineData("gracefulstop.GS0005.short_wait_threshold_ms = 0", true)]
    [InlineData("gracefulstop.GS0005.short_wait_threshold_ms = soon", true)]
    [InlineData("gracefulstop.GS0005.short_wait_threshold_ms = -1", true)]
    public async Task The_short_wait_threshold_comes_from_editorconfig_and_invalid_values_keep_100_ms(string option, bool reported)
    {
        var test = new CSharpAnalyzerVerifier<BlockingCallIgnoresTokenAnalyzer>.Test
        {
            TestCode = $$"""
                using System.Threading;

                class C
                {
                    void M(CancellationToken token)
                    {
                        while (!token.IsCancellationRequested)
                        {
                            Thread.{{(reported ? "[|Sleep|]" : "Sleep")}}(200);
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/0/.editorconfig", "root = true\n[*.cs]\n" + option + "\n"));
        await test.RunAsync();
    }

    // ---- Fixes ----

    [Fact]
    public Task Sleep_outside_a_loop_waits_on_the_token_and_keeps_comments() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token)
                {
                    // pause
                    Thread.[|Sleep|](1000); // one second
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token)
                {
                    // pause
                    token.WaitHandle.WaitOne(1000); // one second
                }
            }
            """);

    [Fact]
    public Task Sleep_inside_a_loop_leaves_the_loop_when_cancelled() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                int M()
                {
                    var n = 0;
                    while (!_cts.IsCancellationRequested)
                    {
                        n++;
                        Thread.[|Sleep|](TimeSpan.FromSeconds(5)); // poll
                    }

                    return n;
                }
            }
            """,
            """
            using System;
            using System.Threading;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                int M()
                {
                    var n = 0;
                    while (!_cts.IsCancellationRequested)
                    {
                        n++;
                        if (_cts.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)))
                            break; // poll
                    }

                    return n;
                }
            }
            """);

    [Fact]
    public Task Sleep_in_a_switch_inside_a_loop_returns_from_a_void_method() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, int mode)
                {
                    for (;;)
                    {
                        switch (mode)
                        {
                            case 1:
                                Thread.[|Sleep|](1000);
                                break;
                        }
                    }
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, int mode)
                {
                    for (;;)
                    {
                        switch (mode)
                        {
                            case 1:
                                if (token.WaitHandle.WaitOne(1000))
                                    return;
                                break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task A_delay_waited_for_synchronously_becomes_a_wait_on_the_token_that_leaves_the_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Retry(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        Task.[|Delay|](5000).Wait(); // back off
                    }
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Retry(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        if (token.WaitHandle.WaitOne(5000))
                            break; // back off
                    }
                }
            }
            """);

    [Fact]
    public Task Sleep_in_an_async_method_becomes_an_awaited_delay_with_the_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token)
                {
                    while (true)
                    {
                        await Task.Yield();
                        Thread.[|Sleep|](250); // back off
                    }
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token)
                {
                    while (true)
                    {
                        await Task.Yield();
                        try
                        {
                            await Task.Delay(250, token); // back off
                        }
                        catch (System.OperationCanceledException)
                        {
                            break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Sleep_in_an_async_lambda_inside_lock_is_not_awaited_but_waits_on_the_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly object _gate = new();

                async Task M(CancellationToken token)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        Thread.[|Sleep|](1000);
                    }
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly object _gate = new();

                async Task M(CancellationToken token)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        token.WaitHandle.WaitOne(1000);
                    }
                }
            }
            """);

    [Fact]
    public Task WaitOne_in_a_loop_waits_on_the_handle_and_the_token_and_breaks_on_cancel() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, AutoResetEvent signal)
                {
                    while (true)
                    {
                        // wait for work
                        signal.[|WaitOne|]();
                        Work();
                    }
                }

                void Work() { }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, AutoResetEvent signal)
                {
                    while (true)
                    {
                        // wait for work
                        if (WaitHandle.WaitAny(new[] { signal, token.WaitHandle }) == 1)
                            break;
                        Work();
                    }
                }

                void Work() { }
            }
            """);

    [Fact]
    public Task WaitOne_with_a_timeout_outside_a_loop_throws_when_cancelled_in_a_method_returning_a_value() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                int M(CancellationToken token, ManualResetEvent ready)
                {
                    ready.[|WaitOne|](5000);
                    return 1;
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                int M(CancellationToken token, ManualResetEvent ready)
                {
                    if (WaitHandle.WaitAny(new[] { ready, token.WaitHandle }, 5000) == 1)
                        throw new System.OperationCanceledException(token);
                    return 1;
                }
            }
            """);

    [Fact]
    public Task WaitOne_whose_result_is_used_gets_no_fix() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, ManualResetEvent ready)
                {
                    if (ready.[|WaitOne|](5000))
                    {
                    }
                }
            }
            """,
            """
            using System.Threading;

            class C
            {
                void M(CancellationToken token, ManualResetEvent ready)
                {
                    if (ready.[|WaitOne|](5000))
                    {
                    }
                }
            }
            """);

    [Fact]
    public Task Token_overload_of_another_return_type_is_used_where_the_value_is_awaited() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                private readonly TcpListener _listener = new TcpListener(System.Net.IPAddress.Loopback, 0);

                async Task<TcpClient> Accept(CancellationToken token) => await _listener.[|AcceptTcpClientAsync|]().ConfigureAwait(false);
            }
            """,
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                private readonly TcpListener _listener = new TcpListener(System.Net.IPAddress.Loopback, 0);

                async Task<TcpClient> Accept(CancellationToken token) => await _listener.AcceptTcpClientAsync(token).ConfigureAwait(false);
            }
            """);

    [Fact]
    public Task Token_overload_of_another_return_type_gets_no_fix_where_the_value_is_returned() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                private readonly TcpListener _listener = new TcpListener(System.Net.IPAddress.Loopback, 0);

                // AcceptTcpClientAsync(token) returns ValueTask<TcpClient>, which no Task.Run overload takes.
                Task<TcpClient> AcceptLater(CancellationToken token) => Task.Run(() => _listener.[|AcceptTcpClientAsync|](), token);
            }
            """,
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                private readonly TcpListener _listener = new TcpListener(System.Net.IPAddress.Loopback, 0);

                // AcceptTcpClientAsync(token) returns ValueTask<TcpClient>, which no Task.Run overload takes.
                Task<TcpClient> AcceptLater(CancellationToken token) => Task.Run(() => _listener.[|AcceptTcpClientAsync|](), token);
            }
            """);

    [Fact]
    public Task Token_overloads_are_used_for_tasks_collections_and_primitives() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(CancellationToken token, Task<int> task, Task first, Task second, Task[] tasks,
                    BlockingCollection<string> queue, SemaphoreSlim semaphore, ManualResetEventSlim slim,
                    CountdownEvent countdown, Barrier barrier)
                {
                    task.[|Wait|]();
                    task.[|Wait|](1000 /* ms */);
                    Task.[|WaitAll|](tasks);
                    Task.[|WaitAny|](first, second);
                    var item = queue.[|Take|]();
                    queue.[|Add|](item);
                    foreach (var each in queue.[|GetConsumingEnumerable|]())
                    {
                    }

                    semaphore.[|Wait|]();
                    slim.[|Wait|](100);
                    countdown.[|Wait|]();
                    barrier.[|SignalAndWait|]();
                }
            }
            """,
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void M(CancellationToken token, Task<int> task, Task first, Task second, Task[] tasks,
                    BlockingCollection<string> queue, SemaphoreSlim semaphore, ManualResetEventSlim slim,
                    CountdownEvent countdown, Barrier barrier)
                {
                    task.Wait(token);
                    task.Wait(1000 /* ms */, token);
                    Task.WaitAll(tasks, token);
                    Task.WaitAny(new Task[] { first, second }, token);
                    var item = queue.Take(token);
                    queue.Add(item, token);
                    foreach (var each in queue.GetConsumingEnumerable(token))
                    {
                    }

                    semaphore.Wait(token);
                    slim.Wait(100, token);
                    countdown.Wait(token);
                    barrier.SignalAndWait(token);
                }
            }
            """);

    [Fact]
    public Task Async_waits_and_channels_get_the_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, SemaphoreSlim semaphore, Channel<int> channel)
                {
                    await semaphore.[|WaitAsync|]();
                    await Task.[|Delay|](1000);
                    var x = await channel.Reader.[|ReadAsync|]();
                    await channel.Reader.[|WaitToReadAsync|]();
                    await foreach (var y in channel.Reader.[|ReadAllAsync|]())
                    {
                    }

                    await channel.Writer.[|WriteAsync|](x);
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, SemaphoreSlim semaphore, Channel<int> channel)
                {
                    await semaphore.WaitAsync(token);
                    await Task.Delay(1000, token);
                    var x = await channel.Reader.ReadAsync(token);
                    await channel.Reader.WaitToReadAsync(token);
                    await foreach (var y in channel.Reader.ReadAllAsync(token))
                    {
                    }

                    await channel.Writer.WriteAsync(x, token);
                }
            }
            """);

    [Fact]
    public Task Socket_listener_and_process_waits_in_async_code_are_awaited_with_the_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Diagnostics;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, TcpListener listener, Socket socket, Process process)
                {
                    await Task.Yield();
                    using var client = listener.[|AcceptTcpClient|]();
                    listener.[|AcceptSocket|]().Close();
                    using var other = socket.[|Accept|]();
                    process.[|WaitForExit|](); // until done
                }
            }
            """,
            """
            using System.Diagnostics;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken token, TcpListener listener, Socket socket, Process process)
                {
                    await Task.Yield();
                    using var client = await listener.AcceptTcpClientAsync(token);
                    (await listener.AcceptSocketAsync(token)).Close();
                    using var other = await socket.AcceptAsync(token);
                    await process.WaitForExitAsync(token); // until done
                }
            }
            """);

    [Fact]
    public Task Socket_accept_in_sync_code_is_reported_without_a_fix() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void M(CancellationToken token, TcpListener listener)
                {
                    using var client = listener.[|AcceptTcpClient|]();
                }
            }
            """,
            """
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void M(CancellationToken token, TcpListener listener)
                {
                    using var client = listener.[|AcceptTcpClient|]();
                }
            }
            """);

    [Fact]
    public Task Methods_and_extensions_with_a_token_overload_get_the_token() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Store
            {
                public void Flush(int level) { }
                public void Flush(int level, CancellationToken token) { }
            }

            static class StoreExtensions
            {
                public static void Compact(this Store store) { }
                public static void Compact(this Store store, CancellationToken token) { }
            }

            class C
            {
                void M(CancellationToken token, Store store)
                {
                    store.[|Flush|](level: 2);
                    store.[|Compact|]();
                }
            }
            """,
            """
            using System.Threading;

            class Store
            {
                public void Flush(int level) { }
                public void Flush(int level, CancellationToken token) { }
            }

            static class StoreExtensions
            {
                public static void Compact(this Store store) { }
                public static void Compact(this Store store, CancellationToken token) { }
            }

            class C
            {
                void M(CancellationToken token, Store store)
                {
                    store.Flush(level: 2, token: token);
                    store.Compact(token);
                }
            }
            """);

    [Fact]
    public Task Omitted_optional_tokens_are_passed_by_position_or_by_name() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Store
            {
                public Task LoadAsync(int id, int retries = 0, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }

            static class StoreExtensions
            {
                public static Task ReadAsync(this Store store, int count, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }

            class C
            {
                async Task M(CancellationToken token, Store store)
                {
                    await store.[|ReadAsync|](4);
                    await StoreExtensions.[|ReadAsync|](store, 4);
                    await store.[|LoadAsync|](1);
                    await store.[|LoadAsync|](1, 3);
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Store
            {
                public Task LoadAsync(int id, int retries = 0, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }

            static class StoreExtensions
            {
                public static Task ReadAsync(this Store store, int count, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }

            class C
            {
                async Task M(CancellationToken token, Store store)
                {
                    await store.ReadAsync(4, token);
                    await StoreExtensions.ReadAsync(store, 4, token);
                    await store.LoadAsync(1, cancellationToken: token);
                    await store.LoadAsync(1, 3, token);
                }
            }
            """);

    [Fact]
    public async Task Fix_all_across_documents_gives_the_one_by_one_result()
    {
        var test = new CSharpCodeFixVerifier<BlockingCallIgnoresTokenAnalyzer, BlockingCallIgnoresTokenCodeFix>.Test
        {
            CodeActionEquivalenceKey = BlockingCallIgnoresTokenCodeFix.EquivalenceKey,
        };
        test.TestState.Sources.Add(("/0/A.cs", """
            using System.Threading;
            using System.Threading.Tasks;

            partial class Worker
            {
                private readonly CancellationTokenSource _cts = new();

                void Loop(Task task)
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        Thread.[|Sleep|](1000);
                        Task.[|WaitAll|](Task.[|Delay|](1000), task);
                    }
                }
            }
            """));
        test.TestState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            partial class Worker
            {
                void Other(SemaphoreSlim gate, CancellationToken token) => gate.[|Wait|]();
            }
            """));
        test.FixedState.Sources.Add(("/0/A.cs", """
            using System.Threading;
            using System.Threading.Tasks;

            partial class Worker
            {
                private readonly CancellationTokenSource _cts = new();

                void Loop(Task task)
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        if (_cts.Token.WaitHandle.WaitOne(1000))
                            break;
                        try
                        {
                            Task.WaitAll(new Task[] { Task.Delay(1000, _cts.Token), task }, _cts.Token);
                        }
                        catch (System.OperationCanceledException)
                        {
                            break;
                        }
                    }
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/B.cs", """
            using System.Threading;

            partial class Worker
            {
                void Other(SemaphoreSlim gate, CancellationToken token) => gate.Wait(token);
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public Task A_nullable_token_source_is_reported_without_a_fix() =>
        Verify.VerifyCodeFixAsync(
            """
            #nullable enable
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private CancellationTokenSource? _cts;

                void M(Task task) => task.[|Wait|](_cts?.IsCancellationRequested == true ? 0 : -1);
            }
            """,
            """
            #nullable enable
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private CancellationTokenSource? _cts;

                void M(Task task) => task.[|Wait|](_cts?.IsCancellationRequested == true ? 0 : -1);
            }
            """);

    [Fact]
    public Task Sequence_enumerated_with_the_token_and_waits_before_cancelling_its_own_source_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            class C
            {
                // StackExchange.Redis ChannelMessageQueue: the token reaches the enumerator.
                async Task Drain(Channel<int> channel, CancellationToken cancellationToken)
                {
                    var e = channel.Reader.ReadAllAsync().GetAsyncEnumerator(cancellationToken);
                    while (await e.MoveNextAsync()) { }
                    await foreach (var item in channel.Reader.ReadAllAsync().WithCancellation(cancellationToken)) { }
                }

                // A test driver that waits, then cancels the source itself.
                Task Drive()
                {
                    var cts = new CancellationTokenSource();
                    return Task.Run(async () =>
                    {
                        await Task.Delay(50);
                        cts.Cancel();
                    });
                }

                // Still reported: the source is cancelled elsewhere, and here nothing passes the token on.
                async Task Wait(Channel<int> channel, CancellationToken cancellationToken)
                {
                    await channel.Reader.{|GS0005:ReadAsync|}();
                }
            }
            """);

    // ---- Every place a token can come from is seen (the analyzer skips members where none can be in scope) ----

    [Fact]
    public Task Tokens_from_locals_lambdas_local_functions_fields_inherited_members_and_static_members_are_all_seen() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Base
            {
                protected CancellationToken Stopping { get; set; }
            }

            class Derived : Base
            {
                void FromBase()
                {
                    if (Stopping.IsCancellationRequested) return; // a member token counts once the method observes it
                    Thread.{|GS0005:Sleep|}(100);
                }
            }

            class Holder
            {
                static readonly CancellationTokenSource Shutdown = new();

                static void FromStaticField()
                {
                    if (Shutdown.IsCancellationRequested) return;
                    Thread.{|GS0005:Sleep|}(100);
                }
            }

            class Locals
            {
                void FromLocal()
                {
                    Thread.Sleep(10); // before the source exists: no token in scope yet
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    Thread.{|GS0005:Sleep|}(10_000); // longer than the source's deadline
                }

                void FromLambdaParameter(Func<Func<CancellationToken, Task>, Task> run) =>
                    run(async ct => await Task.{|GS0005:Delay|}(100));

                void FromLocalFunctionParameter()
                {
                    Work(default);

                    static void Work(CancellationToken token) => Thread.{|GS0005:Sleep|}(100);
                }

                void FromForeachVariable(CancellationTokenSource[] sources)
                {
                    foreach (var source in new CancellationTokenSource[0])
                    {
                        Thread.{|GS0005:Sleep|}(100);
                    }
                }

                void NoTokenAnywhere()
                {
                    var count = 0;
                    Thread.Sleep(100);
                    count++;
                }
            }
            """);

    // ---- Real-code false positives (docs/validation.md, classes 10-12) ----

    [Fact]
    public Task A_wait_for_tasks_that_were_given_the_token_a_release_and_a_wait_after_cancelling_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            static class TaskExtensions
            {
                public static void WaitAndUnwrap(this Task task) => task.GetAwaiter().GetResult();
                public static void WaitAndUnwrap(this Task task, CancellationToken token) => task.Wait(token);
            }

            class Lock
            {
                public Task ReleaseAsync(string name, CancellationToken token = default) => Task.CompletedTask;
                public Task ObtainAsync(CancellationToken token) => Task.CompletedTask;
                public void ReleaseLock(string name) { }
                public void ReleaseLock(string name, CancellationToken token) { }
            }

            class C
            {
                Task TakeAsync(CancellationToken token) => Task.Delay(10, token);

                bool Take(CancellationToken token) => TakeAsync(token).Wait(1000);

                void Local(CancellationToken token)
                {
                    var first = TakeAsync(token);
                    var second = Task.Run(() => { }, token);
                    Task.WaitAll(first, second);
                    first.WaitAndUnwrap();
                }

                void Release(Lock gate, CancellationToken token)
                {
                    gate.ObtainAsync(token).Wait();
                    gate.ReleaseLock("jobs");
                    _ = gate.ReleaseAsync("jobs");
                }

                void AfterCancel(CancellationTokenSource cts, Task work)
                {
                    cts.Cancel();
                    work.Wait();
                }

                // Still reported: the task was not given the token, or only CancellationToken.None.
                void Reported(CancellationToken token, Task work)
                {
                    work.{|GS0005:Wait|}();
                    TakeAsync(CancellationToken.None).{|GS0005:Wait|}();
                    var later = TakeAsync(token);
                    later = Task.Run(() => { });
                    later.{|GS0005:Wait|}();
                }
            }
            """);

    // ---- Real-code false positives (docs/validation.md, classes 7, 10, 11, 12, 13; session 4) ----

    [Fact]
    public Task Dropped_tasks_and_a_source_used_only_as_a_completion_signal_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Client
            {
                public Task PublishAsync(string message) => Task.CompletedTask;
                public Task PublishAsync(string message, CancellationToken token) => Task.CompletedTask;
            }

            class Benchmark
            {
                private CancellationTokenSource _allReceived;
                private int _received;

                // MQTTnet: the message handler cancels the source when every message arrived; the run only waits for it.
                async Task Run(Client client)
                {
                    _allReceived = new CancellationTokenSource();
                    await client.PublishAsync("a");
                    try
                    {
                        await Task.Delay(30000, _allReceived.Token);
                    }
                    catch (Exception)
                    {
                    }

                    _allReceived.Dispose();
                }

                void OnMessage()
                {
                    if (++_received == 2)
                    {
                        _allReceived.Cancel();
                    }
                }

                // A task that is dropped does not make this code wait.
                void Publish(Client client, CancellationToken token)
                {
                    _ = client.PublishAsync("b");
                    client.PublishAsync("c");
                }

                // Still reported: the token is a stop request (a parameter, or a source the function also polls).
                async Task Awaited(Client client, CancellationToken token)
                {
                    await client.{|GS0005:PublishAsync|}("d");
                }

                async Task Polled(Client client)
                {
                    var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                    while (!stop.IsCancellationRequested)
                    {
                        await client.{|GS0005:PublishAsync|}("e");
                        await Task.Delay(1000, stop.Token);
                    }
                }
            }
            """);

    [Fact]
    public Task A_wait_in_work_that_the_function_joins_before_cancelling_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                // AsyncEx AsyncLockUnitTests: the second task ends before the function cancels the source.
                void Joined()
                {
                    var cts = new CancellationTokenSource();
                    var token = cts.Token;
                    var first = Task.Run(() =>
                    {
                        while (!token.IsCancellationRequested) { }
                    });
                    var second = Task.Run(() =>
                    {
                        Thread.Sleep(1000);
                    });
                    second.Wait();
                    cts.Cancel();
                    first.Wait();
                }

                // Still reported: the worker runs until the source is cancelled, and is joined only afterwards.
                void Worker()
                {
                    var cts = new CancellationTokenSource();
                    var token = cts.Token;
                    var worker = Task.Run(() =>
                    {
                        while (true)
                        {
                            Thread.{|GS0005:Sleep|}(1000);
                            if (token.IsCancellationRequested) return;
                        }
                    });
                    Console.ReadLine();
                    cts.Cancel();
                    worker.Wait();
                }
            }
            """);

    [Fact]
    public Task Add_to_an_unbounded_blocking_collection_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Scheduler
            {
                // Quartz.NET QueuedTaskScheduler: an unbounded collection never blocks in Add.
                private readonly BlockingCollection<Task> _queue;
                private readonly BlockingCollection<int> _initialized = new BlockingCollection<int>();
                private readonly BlockingCollection<int> _bounded = new BlockingCollection<int>(100);
                private readonly CancellationTokenSource _dispose = new CancellationTokenSource();

                public Scheduler()
                {
                    _queue = new BlockingCollection<Task>();
                }

                void Queue(Task task, CancellationToken token)
                {
                    _queue.Add(task);
                    _initialized.Add(1);
                    var local = new BlockingCollection<int>(new ConcurrentQueue<int>());
                    local.Add(2);

                    // Still reported: a bounded collection, or one whose capacity is not known here.
                    _bounded.{|GS0005:Add|}(3);
                    var bounded = new BlockingCollection<int>(10);
                    bounded.{|GS0005:Add|}(4);
                }

                void Unknown(BlockingCollection<int> given, CancellationToken token)
                {
                    given.{|GS0005:Add|}(5);
                }
            }

            class Receiver
            {
                // Fresh set 6 (DSharpPlus): an auto-property assigned a collection expression, which uses the
                // parameterless constructor.
                private BlockingCollection<byte[]> Packets { get; }
                private BlockingCollection<byte[]> Initialized { get; } = new();
                private BlockingCollection<byte[]> Bounded { get; } = new(8);
                public BlockingCollection<byte[]> Settable { get; init; } = new();

                public Receiver() => this.Packets = [];

                void Receive(byte[] packet, CancellationToken token)
                {
                    this.Packets.Add(packet);
                    Initialized.Add(packet);
                    Bounded.{|GS0005:Add|}(packet);
                    Settable.{|GS0005:Add|}(packet);
                }
            }
            """);

    [Fact]
    public Task Wait_for_all_tasks_when_each_ends_by_itself_or_ends_the_others_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Program
            {
                private const bool OpenBrowser = true;

                // embedio sample: the server and browser tasks take the token; the third task cancels the source.
                static void Main(string[] args)
                {
                    using (var cts = new CancellationTokenSource())
                    {
                        Task.WaitAll(
                            RunAsync(cts.Token),
                            OpenBrowser ? ShowAsync(cts.Token) : Task.CompletedTask,
                            WaitForBreakAsync(cts.Cancel));
                        Task.WaitAll(RunAsync(cts.Token), Task.FromResult(1), StopAsync(cts));
                    }
                }

                // Still reported: one task neither takes the token nor ends by itself.
                static void Reported(CancellationToken token)
                {
                    Task.{|GS0005:WaitAll|}(RunAsync(token), OpenBrowser ? Task.Run(() => { }) : Task.CompletedTask);
                }

                static Task RunAsync(CancellationToken token) => Task.Delay(1000, token);
                static Task ShowAsync(CancellationToken token) => Task.Delay(1000, token);
                static Task StopAsync(CancellationTokenSource source) => Task.Run(source.Cancel);
                static async Task WaitForBreakAsync(Action cancel)
                {
                    await Task.Yield();
                    cancel();
                }
            }
            """);

    [Fact]
    public Task A_one_shot_wait_the_code_chose_after_checking_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            static class Waits
            {
                // Hangfire CancellationTokenExtentions: a protective one-second wait after an early wake-up.
                public static bool Wait(this CancellationToken cancellationToken, TimeSpan timeout)
                {
                    var result = cancellationToken.WaitHandle.WaitOne(timeout);
                    var protectionTime = TimeSpan.FromSeconds(1);
                    if (!cancellationToken.IsCancellationRequested && timeout >= TimeSpan.FromSeconds(1))
                    {
                        try
                        {
                            Console.WriteLine("woke up early");
                        }
                        finally
                        {
                            Thread.Sleep(protectionTime);
                        }
                    }

                    return result;
                }

                // Still reported: in a loop, unguarded, or with no timeout.
                public static void Reported(CancellationToken token, ManualResetEvent signal)
                {
                    while (!token.IsCancellationRequested)
                    {
                        if (!token.IsCancellationRequested)
                        {
                            Thread.{|GS0005:Sleep|}(1000);
                        }
                    }
                }

                public static void ReportedOneShot(CancellationToken token, ManualResetEvent signal)
                {
                    Thread.{|GS0005:Sleep|}(1000);
                    if (!token.IsCancellationRequested)
                    {
                        signal.{|GS0005:WaitOne|}();
                    }
                }
            }
            """);

    [Fact]
    public Task A_blocking_accept_in_a_loop_stops_the_listener_on_cancellation_and_the_stopped_accept_ends_the_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class Server
            {
                private readonly TcpListener _listener;
                private long _accepted;

                public Server(TcpListener listener) => _listener = listener;

                private void Serve(CancellationToken token)
                {
                    // One client at a time.
                    while (!token.IsCancellationRequested)
                    {
                        using var client = _listener.[|AcceptTcpClient|]();
                        Interlocked.Increment(ref _accepted);
                    }
                }
            }
            """,
            """
            using System.Net.Sockets;
            using System.Threading;

            class Server
            {
                private readonly TcpListener _listener;
                private long _accepted;

                public Server(TcpListener listener) => _listener = listener;

                private void Serve(CancellationToken token)
                {
                    // One client at a time.
                    using (token.Register(_listener.Stop))
                    {
                        try
                        {
                            while (!token.IsCancellationRequested)
                            {
                                using var client = _listener.AcceptTcpClient();
                                Interlocked.Increment(ref _accepted);
                            }
                        }
                        catch (System.Exception) when (token.IsCancellationRequested)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public async Task Socket_accepts_in_loops_are_fixed_together_on_net472_where_there_is_no_async_accept_with_a_token()
    {
        var test = new CSharpCodeFixVerifier<BlockingCallIgnoresTokenAnalyzer, BlockingCallIgnoresTokenCodeFix>.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.Default,
            TestCode = """
                using System;
                using System.Net.Sockets;
                using System.Threading;

                class Gateway
                {
                    private readonly CancellationTokenSource _stop = new CancellationTokenSource();

                    void Serve(Socket socket, CancellationToken token)
                    {
                        for (;;) // the wrapped loop is formatted like new code
                            socket.[|Accept|]().Close();
                    }

                    void Listen(TcpListener listener)
                    {
                        _stop.Token.ThrowIfCancellationRequested();
                        while (true)
                        {
                            var peer = listener.[|AcceptSocket|]();
                            peer.Close();
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Net.Sockets;
                using System.Threading;

                class Gateway
                {
                    private readonly CancellationTokenSource _stop = new CancellationTokenSource();

                    void Serve(Socket socket, CancellationToken token)
                    {
                        using (token.Register(socket.Close))
                        {
                            try
                            {
                                for (; ; ) // the wrapped loop is formatted like new code
                                    socket.Accept().Close();
                            }
                            catch (Exception) when (token.IsCancellationRequested)
                            {
                            }
                        }
                    }

                    void Listen(TcpListener listener)
                    {
                        _stop.Token.ThrowIfCancellationRequested();
                        using (_stop.Token.Register(listener.Stop))
                        {
                            try
                            {
                                while (true)
                                {
                                    var peer = listener.AcceptSocket();
                                    peer.Close();
                                }
                            }
                            catch (Exception) when (_stop.Token.IsCancellationRequested)
                            {
                            }
                        }
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public Task No_fix_for_an_accept_whose_listener_is_created_in_the_loop_or_that_a_switch_keeps_from_leaving_the_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void Fresh(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var listener = new TcpListener(IPAddress.Loopback, 0);
                        listener.Start();
                        listener.[|AcceptTcpClient|]().Close();
                    }
                }

                int Switched(CancellationToken token, TcpListener listener, int mode)
                {
                    while (true)
                    {
                        switch (mode)
                        {
                            case 1:
                                listener.[|AcceptTcpClient|]().Close();
                                break;
                            default:
                                return mode;
                        }
                    }
                }
            }
            """,
            """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void Fresh(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var listener = new TcpListener(IPAddress.Loopback, 0);
                        listener.Start();
                        listener.[|AcceptTcpClient|]().Close();
                    }
                }

                int Switched(CancellationToken token, TcpListener listener, int mode)
                {
                    while (true)
                    {
                        switch (mode)
                        {
                            case 1:
                                listener.[|AcceptTcpClient|]().Close();
                                break;
                            default:
                                return mode;
                        }
                    }
                }
            }
            """);
    [Fact]
    public Task An_accept_whose_listener_is_stopped_by_a_registration_on_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void Statement(CancellationToken token, TcpListener listener)
                {
                    using (token.Register(listener.Stop))
                    {
                        while (true)
                            listener.AcceptTcpClient().Close();
                    }
                }

                void Declaration(CancellationToken token, Socket socket, Socket other)
                {
                    using var registration = token.Register(socket.Close);
                    socket.Accept().Close();
                    other.[|Accept|]().Close();
                }
            }
            """);

    [Fact]
    public Task A_token_field_of_a_source_nobody_keeps_is_not_a_token_to_pass() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Never
            {
                private CancellationToken _token = new CancellationTokenSource().Token;

                void M()
                {
                    while (!_token.IsCancellationRequested) Thread.Sleep(1000);
                    _token = CancellationToken.None;
                }
            }

            class Kept
            {
                private readonly CancellationToken _token;

                Kept(CancellationToken token) => _token = token;

                void M()
                {
                    while (!_token.IsCancellationRequested) Thread.{|#0:Sleep|}(1000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "_token", "wait on '_token.WaitHandle.WaitOne(...)' instead"));

    [Fact]
    public Task A_token_field_copied_from_a_private_source_nobody_cancels_is_not_a_token_to_pass_but_one_cancelled_or_polled_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            // ros-sharp's WebSocket protocol (fresh set 12): the token field comes from a source nothing cancels.
            class Protocol
            {
                private readonly CancellationTokenSource cancellationTokenSource = new CancellationTokenSource();
                private readonly CancellationToken cancellationToken;

                Protocol() => cancellationToken = cancellationTokenSource.Token;

                async Task Send(Stream stream, byte[] data)
                {
                    await stream.WriteAsync(data, 0, data.Length, cancellationToken);
                    Thread.Sleep(1000);
                }
            }

            class CancelledProtocol
            {
                private readonly CancellationTokenSource cancellationTokenSource = new CancellationTokenSource();
                private readonly CancellationToken cancellationToken;

                CancelledProtocol() => this.cancellationToken = this.cancellationTokenSource.Token;

                async Task Send(Stream stream, byte[] data)
                {
                    await stream.WriteAsync(data, 0, data.Length, cancellationToken);
                    Thread.{|#0:Sleep|}(1000);
                }

                void Close() => cancellationTokenSource.Cancel();
            }

            class PolledProtocol
            {
                private readonly CancellationTokenSource cancellationTokenSource = new CancellationTokenSource();
                private readonly CancellationToken cancellationToken;

                PolledProtocol() => cancellationToken = cancellationTokenSource.Token;

                async Task Send(Stream stream, byte[] data)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await stream.WriteAsync(data, 0, data.Length, cancellationToken);
                    Thread.{|#1:Sleep|}(1000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Thread.Sleep()", "cancellationToken", "use 'await Task.Delay(..., cancellationToken)'"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("Thread.Sleep()", "cancellationToken", "use 'await Task.Delay(..., cancellationToken)'"));

    [Fact]
    public Task A_delay_that_is_the_timeout_arm_of_WhenAny_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task work, CancellationToken token)
                {
                    await Task.WhenAny(work, Task.Delay(5000));
                    await Task.WhenAny(new[] { work, Task.Delay(5000) });
                    await Task.{|#0:Delay|}(5000);
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Task.Delay()", "token", "pass it to the overload that takes a CancellationToken"));

    [Fact]
    public Task A_token_parameter_named_as_a_discard_is_not_a_token_to_pass() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Suite
            {
                static void Add(Func<CancellationToken, Task> test) { }

                static void Register()
                {
                    Add(async _ => await Task.Delay(1000));
                    Add(async token => await Task.{|#0:Delay|}(1000));
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("Task.Delay()", "token", "pass it to the overload that takes a CancellationToken"));

    // ---- Tuning after fresh set 2 (docs/validation.md, "Tuning after fresh set 2: GS0005 and GS0006") ----

    [Fact]
    public Task A_base_constructor_call_is_not_a_wait_but_a_method_with_a_token_overload_still_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class SubscriptionBase
            {
                protected SubscriptionBase(string subject) { }
                protected SubscriptionBase(string subject, CancellationToken token) { }

                protected void Unsubscribe(string subject) { }
                protected void Unsubscribe(string subject, CancellationToken token) { }
            }

            class Subscription : SubscriptionBase
            {
                Subscription(string subject, CancellationToken token)
                    : base(subject)
                {
                }

                void Stop(string subject, CancellationToken token) => [|Unsubscribe|](subject);
            }
            """);

    [Fact]
    public Task A_pause_after_waiting_for_the_exit_token_is_not_reported_but_one_before_it_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            static class Program
            {
                static void Main()
                {
                    var exitCts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; exitCts.Cancel(); };

                    Task.[|Delay|](1000).Wait();

                    exitCts.Token.WaitHandle.WaitOne();

                    Console.WriteLine("Waiting 1s for calls to be cleaned up...");
                    Task.Delay(1000).Wait();
                }

                static void Branch(CancellationToken exit, bool call)
                {
                    if (call)
                    {
                        exit.WaitHandle.WaitOne();
                    }

                    Thread.[|Sleep|](1000);
                }

                static void Bounded(CancellationToken exit)
                {
                    exit.WaitHandle.WaitOne(100);
                    Thread.[|Sleep|](1000);
                }
            }
            """);

    /// <summary>
    /// Fresh set 11 (workflow-core's queue consumer): after <c>while (!token.IsCancellationRequested) { … }</c> with no
    /// other way out, the token has fired, and the waits for the items in flight are the wind-down. The look-alikes
    /// leave their loop by a <c>break</c>, or loop on another condition.
    /// </summary>
    [Fact]
    public Task A_wait_after_a_loop_that_runs_until_its_token_fires_is_not_reported_but_one_after_a_loop_with_another_exit_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class Consumer
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly List<ManualResetEvent> _active = new();

                public void Stop() => _cts.Cancel();

                private async Task Execute()
                {
                    var token = _cts.Token;
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            await Task.Delay(100, token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }

                    foreach (var handle in _active)
                        handle.WaitOne();
                }

                private void Poll(Func<bool> step)
                {
                    do
                    {
                        step();
                    }
                    while (!_cts.Token.IsCancellationRequested);

                    Thread.Sleep(1000);
                }

                private void Drain(Queue<int> queue)
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        if (queue.Count == 0)
                            break;

                        queue.Dequeue();
                    }

                    Thread.[|Sleep|](1000);
                }

                private void Spin(Func<bool> more)
                {
                    while (!_cts.IsCancellationRequested && more())
                    {
                    }

                    Thread.[|Sleep|](1000);
                }
            }
            """);

    [Fact]
    public Task A_source_declared_null_and_created_only_by_callbacks_is_not_the_token_of_the_wait() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            static class Program
            {
                static event Action? CallReceived;

                static void Run(Task hangup)
                {
                    CancellationTokenSource? rtpCts = null;
                    CallReceived += () =>
                    {
                        rtpCts?.Cancel();
                        rtpCts = new CancellationTokenSource();
                    };

                    hangup.Wait();
                }

                static void Owned(Task hangup, bool start)
                {
                    CancellationTokenSource? cts = null;
                    if (start)
                    {
                        cts = new CancellationTokenSource();
                    }

                    CallReceived += () => cts?.Cancel();
                    hangup.[|Wait|]();
                }
            }
            """);

    [Fact]
    public Task A_delay_whose_continuation_cancels_the_token_is_not_a_wait_but_an_awaited_continuation_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Tests
            {
                async Task Cancels(Func<CancellationToken, Task> take)
                {
                    var cts = new CancellationTokenSource();
                    Task.Delay(TimeSpan.FromMilliseconds(100)).ContinueWith(t => cts.Cancel());
                    await take(cts.Token);
                }

                async Task Waits(CancellationToken token)
                {
                    await Task.[|Delay|](100).ContinueWith(t => { });
                }
            }
            """);

    [Fact]
    public Task A_call_awaited_through_WaitAsync_with_the_token_is_not_reported_but_without_it_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Server
            {
                async Task Connect(TcpClient client, CancellationToken token)
                {
                    await client.ConnectAsync("127.0.0.1", 4222).WaitAsync(token);
                    await client.[|ConnectAsync|]("127.0.0.1", 4222);
                }
            }
            """);

    [Fact]
    public Task A_call_given_an_argument_built_with_the_token_is_not_reported_but_one_given_another_argument_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class ShutdownArgs
            {
                public ShutdownArgs(string reason, CancellationToken cancellationToken = default) { }
            }

            class Channel
            {
                public Task CloseAsync(ShutdownArgs args) => Task.CompletedTask;
                public Task CloseAsync(ShutdownArgs args, CancellationToken token) => Task.CompletedTask;

                public Task Close(string reason, CancellationToken cancellationToken)
                {
                    var args = new ShutdownArgs(reason, cancellationToken: cancellationToken);
                    return CloseAsync(args);
                }

                public Task Inline(string reason, CancellationToken cancellationToken) =>
                    CloseAsync(new ShutdownArgs(reason, cancellationToken));

                public Task Without(string reason, CancellationToken cancellationToken) =>
                    [|CloseAsync|](new ShutdownArgs(reason));
            }
            """);

    [Fact]
    public Task A_bounded_wait_under_a_deadline_no_shorter_than_its_timeout_is_not_reported_but_a_longer_or_cancelled_one_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Tests
            {
                static readonly TimeSpan WaitSpan = TimeSpan.FromSeconds(30);

                async Task SameSpan(TaskCompletionSource<bool> registered, Func<CancellationToken, Task> open)
                {
                    using var tokenSource = new CancellationTokenSource(WaitSpan);
                    await open(tokenSource.Token);
                    await registered.Task.WaitAsync(WaitSpan);
                }

                async Task Shorter(ManualResetEvent closed, Func<CancellationToken, Task> open)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await open(cts.Token);
                    closed.WaitOne(TimeSpan.FromSeconds(5));
                }

                async Task Longer(ManualResetEvent closed, Func<CancellationToken, Task> open)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await open(cts.Token);
                    closed.[|WaitOne|](TimeSpan.FromSeconds(5));
                }

                async Task LongerPause(Func<CancellationToken, Task> open)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await open(cts.Token);
                    await Task.[|Delay|](TimeSpan.FromSeconds(5));
                }

                async Task CancelledToo(ManualResetEvent closed, Func<CancellationToken, Task> open)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    Console.CancelKeyPress += (_, _) => cts.Cancel();
                    await open(cts.Token);
                    closed.[|WaitOne|](TimeSpan.FromSeconds(5));
                }
            }
            """);

    // ---- Tuning after fresh set 3 ----

    [Fact]
    public Task A_one_slot_semaphore_taken_as_a_mutex_around_a_short_section_is_not_reported_but_a_signal_semaphore_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private readonly CancellationTokenSource _cts = new CancellationTokenSource();
                private readonly SemaphoreSlim _serviceControl = new SemaphoreSlim(1);
                private readonly SemaphoreSlim _received = new SemaphoreSlim(0);
                private Task _reader = Task.CompletedTask;

                public async Task StartAsync()
                {
                    await _serviceControl.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        _reader = ReadAsync(_cts.Token);
                    }
                    finally
                    {
                        _serviceControl.Release();
                    }
                }

                public async Task StopAsync()
                {
                    await _serviceControl.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        _cts.Cancel();
                        await _reader.ConfigureAwait(false);
                    }
                    finally
                    {
                        _serviceControl.Release();
                    }
                }

                public async Task NextAsync()
                {
                    if (_cts.IsCancellationRequested) return;
                    await _received.[|WaitAsync|]().ConfigureAwait(false);
                }

                public void OnReceived() => _received.Release();

                private Task ReadAsync(CancellationToken token) => Task.Delay(1000, token);
            }
            """);

    [Fact]
    public Task A_private_source_field_whose_token_is_only_handed_out_is_not_a_token_to_pass_but_one_cancelled_polled_or_with_a_delay_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Search
            {
                public Search(CancellationToken token) { }

                public Task<int> FindAsync() => Task.FromResult(1);
            }

            class SearchTests
            {
                private readonly CancellationTokenSource cancelSource = new CancellationTokenSource();

                int CallSearch()
                {
                    var search = new Search(this.cancelSource.Token);
                    Task<int> found = search.FindAsync();
                    found.Wait();
                    return found.Result;
                }

                void Cleanup() => cancelSource?.Dispose();
            }

            class CancelledSearch
            {
                private readonly CancellationTokenSource cancelSource = new CancellationTokenSource();

                int CallSearch()
                {
                    var search = new Search(this.cancelSource.Token);
                    Task<int> found = search.FindAsync();
                    found.[|Wait|]();
                    return found.Result;
                }

                void Stop() => cancelSource.Cancel();
            }

            class PolledSearch
            {
                private readonly CancellationTokenSource cancelSource = new CancellationTokenSource();

                int CallSearch()
                {
                    cancelSource.Token.ThrowIfCancellationRequested();
                    var search = new Search(cancelSource.Token);
                    Task<int> found = search.FindAsync();
                    found.[|Wait|]();
                    return found.Result;
                }
            }

            class DeadlineSearch
            {
                private readonly CancellationTokenSource cancelSource = new CancellationTokenSource(TimeSpan.FromSeconds(5));

                int CallSearch()
                {
                    var search = new Search(this.cancelSource.Token);
                    Task<int> found = search.FindAsync();
                    found.[|Wait|]();
                    return found.Result;
                }
            }
            """);

    [Fact]
    public Task A_read_of_a_memory_stream_just_filled_is_not_reported_but_a_read_of_a_caller_stream_or_a_copy_out_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class MessageStore
            {
                async Task<string> SaveAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
                {
                    await using var stream = new MemoryStream();
                    await stream.WriteAsync(buffer, cancellationToken);
                    stream.Position = 0;
                    return await new StreamReader(stream).ReadToEndAsync();
                }

                async Task<string> ReaderAsync(byte[] data, CancellationToken cancellationToken)
                {
                    using var reader = new StreamReader(new MemoryStream(data));
                    return await reader.ReadToEndAsync();
                }

                async Task<string> FromCallerAsync(Stream stream, CancellationToken cancellationToken)
                {
                    return await new StreamReader(stream).[|ReadToEndAsync|]();
                }

                async Task CopyOutAsync(byte[] data, Stream network, CancellationToken cancellationToken)
                {
                    using var stream = new MemoryStream(data);
                    await stream.[|CopyToAsync|](network);
                }
            }
            """);

    [Fact]
    public Task A_connect_before_the_work_its_new_source_is_made_for_is_not_reported_but_a_wait_after_the_work_started_or_under_a_deadline_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Transport
            {
                public Task<bool> ConnectAsync() => Task.FromResult(true);
                public Task<bool> ConnectAsync(CancellationToken token) => Task.FromResult(true);
            }

            class ConnectionManager
            {
                private readonly Transport transport = new Transport();
                private CancellationTokenSource cancellationTokenSource = new CancellationTokenSource();
                private Task reader = Task.CompletedTask;

                internal async Task<bool> ConnectAsync()
                {
                    this.cancellationTokenSource?.Cancel();
                    this.cancellationTokenSource?.Dispose();
                    this.cancellationTokenSource = new CancellationTokenSource();

                    var connected = await this.transport.ConnectAsync().ConfigureAwait(false);
                    if (!connected)
                    {
                        return false;
                    }

                    this.reader = this.ReadAsync(this.cancellationTokenSource.Token);
                    return true;
                }

                internal async Task<bool> ReconnectAsync()
                {
                    this.cancellationTokenSource = new CancellationTokenSource();
                    this.reader = this.ReadAsync(this.cancellationTokenSource.Token);
                    return await this.transport.[|ConnectAsync|]().ConfigureAwait(false);
                }

                internal async Task<bool> WithDeadlineAsync()
                {
                    var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    var connected = await this.transport.[|ConnectAsync|]().ConfigureAwait(false);
                    this.reader = this.ReadAsync(cts.Token);
                    return connected;
                }

                internal void Stop() => this.cancellationTokenSource.Cancel();

                private Task ReadAsync(CancellationToken token) => Task.Delay(1000, token);
            }
            """);
    /// <summary>
    /// Fresh set 6 (monotorrent, MySqlConnector): a token registration that disposes, closes or kills the object waited
    /// on already ends the wait when the token is cancelled: the receiver, the object a local receiver came from, or an
    /// object every caller of a private method registers. The look-alikes register another object, or hand the object
    /// to a method that another caller calls with an object nobody registers, or that is public.
    /// </summary>
    [Fact]
    public Task A_wait_on_an_object_a_token_registration_disposes_is_not_reported_but_one_on_another_object_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Diagnostics;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Player
            {
                void Play(string file, CancellationToken token)
                {
                    var process = Process.Start("player", file);
                    using var registration = token.Register(process.Kill);
                    process.WaitForExit();
                }

                void PlayTwo(string file, CancellationToken token)
                {
                    var first = Process.Start("player", file);
                    var second = Process.Start("player", file);
                    using var registration = token.Register(first.Kill);
                    second.[|WaitForExit|]();
                }
            }

            class Listener
            {
                public async Task ServeAsync(TcpClient client, CancellationToken token)
                {
                    using (token.Register(() => { Console.WriteLine("stopping"); client.Dispose(); }))
                    {
                        var stream = client.GetStream();
                        await stream.WriteAsync(new byte[] { 1 }, 0, 1);
                    }
                }

                public async Task ServeUnregisteredAsync(TcpClient client, CancellationToken token)
                {
                    var stream = client.GetStream();
                    await stream.[|WriteAsync|](new byte[] { 1 }, 0, 1);
                }

                public async Task ReceiveLoopAsync(int port, CancellationToken token)
                {
                    var udp = new UdpClient(port);
                    token.Register(() => udp.Dispose());
                    await ReceiveAsync(udp, token);
                    await ReceiveAsync(udp, token);
                }

                public async Task OtherAsync(int port, CancellationToken token)
                {
                    var udp = new UdpClient(port);
                    await ReceiveElsewhereAsync(udp, token);
                    token.Register(() => udp.Dispose());
                    await ReceiveElsewhereAsync(new UdpClient(port + 1), token);
                }

                private async Task ReceiveAsync(UdpClient client, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        await client.ReceiveAsync();
                    }
                }

                private async Task ReceiveElsewhereAsync(UdpClient client, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        await client.[|ReceiveAsync|]();
                    }
                }

                public async Task PublicReceiveAsync(UdpClient client, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        await client.[|ReceiveAsync|]();
                    }
                }
            }
            """);

    [Fact]
    public Task Reading_standard_error_after_standard_output_ended_is_not_reported_but_the_first_read_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;

            class Encoder
            {
                async Task<string> Run(ProcessStartInfo info, CancellationToken token)
                {
                    using var process = Process.Start(info);
                    var output = await process.StandardOutput.[|ReadToEndAsync|]();
                    var error = await process.StandardError.ReadToEndAsync();
                    return output + error;
                }

                async Task<string> Other(ProcessStartInfo info, Process other, CancellationToken token)
                {
                    using var process = Process.Start(info);
                    var output = await other.StandardOutput.[|ReadToEndAsync|]();
                    var error = await process.StandardError.[|ReadToEndAsync|]();
                    return output + error;
                }
            }
            """);
    [Fact]
    public Task A_wait_the_stop_path_wakes_after_cancelling_the_types_own_token_is_not_reported_but_one_it_only_cancels_closes_or_a_callers_token_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Recorder
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly CancellationToken _token;
                private readonly ManualResetEvent _continue = new(false);

                public Recorder() => _token = _cts.Token;

                void Record()
                {
                    while (_continue.WaitOne() && !_token.IsCancellationRequested)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Dispose()
                {
                    _cts.Cancel();
                    _continue.Set();
                }
            }

            class OnlyCancels
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly CancellationToken _token;
                private readonly ManualResetEvent _continue = new(false);

                public OnlyCancels() => _token = _cts.Token;

                void Record()
                {
                    while (_continue.[|WaitOne|]() && !_token.IsCancellationRequested)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Dispose() => _cts.Cancel();
            }

            class Listener
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);

                async System.Threading.Tasks.Task Serve()
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        using var client = await _listener.[|AcceptTcpClientAsync|]();
                    }
                }

                public void Stop()
                {
                    _cts.Cancel();
                    _listener.Stop();
                }
            }

            class CallersToken
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly ManualResetEvent _continue = new(false);

                void Record(CancellationToken token)
                {
                    while (_continue.[|WaitOne|]() && !token.IsCancellationRequested)
                    {
                        Thread.Sleep(10);
                    }
                }

                public void Dispose()
                {
                    _cts.Cancel();
                    _continue.Set();
                }
            }
            """);

    // ---- Tuning after fresh sets 4 and 5 ----

    [Fact]
    public Task A_delay_raced_by_WhenAny_whose_other_arm_does_not_bind_is_not_reported_but_one_given_to_WhenAll_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Handler
            {
                async Task M(CancellationTokenSource source)
                {
                    await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(5)), source.Token.{|CS1061:AsTask|}());
                    await Task.WhenAll(Task.[|Delay|](TimeSpan.FromSeconds(5)), source.Token.{|CS1061:AsTask|}());
                }
            }
            """);

    [Fact]
    public Task A_delay_capped_by_Math_Min_or_Clamp_below_the_threshold_in_a_loop_on_the_token_is_not_reported_but_a_higher_cap_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                async Task RunAsync(CancellationToken token)
                {
                    var failures = 0;
                    while (!token.IsCancellationRequested)
                    {
                        failures++;
                        await Task.Delay(Math.Min(failures * 2, 50));
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(failures, 1, 80)));
                        Thread.Sleep(Math.Min(50, failures));
                        await Task.[|Delay|](Math.Min(failures * 2, 500));
                        await Task.[|Delay|](Math.Max(failures, 50));
                    }
                }
            }
            """);

    [Fact]
    public Task A_call_where_a_peer_rule_of_the_same_finding_is_suppressed_is_not_reported_but_the_next_call_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics.CodeAnalysis;
            using System.Threading;
            using System.Threading.Tasks;

            class Waits
            {
                async Task ReSharperOnce(CancellationToken token)
                {
                    // ReSharper disable once MethodSupportsCancellation
                    await Task.Delay(100);
                    await Task.[|Delay|](100);
                }

                async Task ReSharperRegion(CancellationToken token)
                {
                    // ReSharper disable MethodSupportsCancellation
                    await Task.Delay(100);
                    Thread.[|Sleep|](1000);
                    // ReSharper restore MethodSupportsCancellation
                    await Task.[|Delay|](100);
                }

                async Task Pragma(CancellationToken token)
                {
            #pragma warning disable CA2016 // the deadline is the helper's own
                    await Task.Delay(100);
            #pragma warning restore CA2016
                    await Task.[|Delay|](100);
                }

                [SuppressMessage("Reliability", "CA2016:Forward the 'CancellationToken' parameter to methods", Justification = "deliberate")]
                async Task Attributed(CancellationToken token) => await Task.Delay(100);

                [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "another rule")]
                async Task OtherRule(CancellationToken token) => await Task.[|Delay|](100);
            }
            """);

    [Fact]
    public Task Work_in_a_loop_that_goes_round_again_after_cancellation_is_not_reported_but_a_pause_there_and_a_loop_that_leaves_are() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Client
            {
                public Task PushAsync(int state) => Task.CompletedTask;
                public Task PushAsync(int state, CancellationToken token) => Task.CompletedTask;
            }

            class Pusher
            {
                private readonly Client _client = new Client();

                Task Start(CancellationToken cancel) => Task.Run(async delegate
                {
                    var finalPass = false;
                    while (true)
                    {
                        await _client.PushAsync(1);
                        if (cancel.IsCancellationRequested)
                        {
                            if (!finalPass)
                            {
                                finalPass = true;
                                continue;
                            }

                            break;
                        }

                        try
                        {
                            await Task.Delay(1000, cancel);
                        }
                        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                        {
                            finalPass = true;
                            continue;
                        }

                        await Task.[|Delay|](1000);
                    }
                });

                async Task Loop(CancellationToken cancel)
                {
                    while (true)
                    {
                        await _client.[|PushAsync|](1);
                        if (cancel.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task A_task_kept_in_a_local_and_waited_with_the_token_is_not_reported_but_one_awaited_plainly_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Gate
            {
                private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

                public void Wait(CancellationToken cancellationToken)
                {
                    var ret = _signal.WaitAsync();
                    if (ret.IsCompleted)
                        return;
                    ret.Wait(cancellationToken);
                }

                public async Task WaitPlainlyAsync(CancellationToken cancellationToken)
                {
                    var ret = _signal.[|WaitAsync|]();
                    if (ret.IsCompleted)
                        return;
                    await ret;
                }
            }
            """);

    [Fact]
    public Task A_stream_read_of_a_handler_or_client_response_is_not_reported_but_a_string_read_there_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class TimingHandler : DelegatingHandler
            {
                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    var response = await base.SendAsync(request, cancellationToken);
                    Stream body = await response.Content.ReadAsStreamAsync();
                    string text = await response.Content.[|ReadAsStringAsync|]();
                    return response;
                }
            }

            class Downloader
            {
                async Task<Stream> GetAsync(HttpClient client, CancellationToken token)
                {
                    var response = await client.GetAsync("http://example.invalid/", HttpCompletionOption.ResponseHeadersRead, token);
                    return await response.Content.ReadAsStreamAsync();
                }

                async Task<Stream> Given(HttpResponseMessage response, CancellationToken token) =>
                    await response.Content.[|ReadAsStreamAsync|]();
            }
            """);

    [Fact]
    public Task A_delay_in_a_callback_registered_for_later_is_not_reported_but_one_whose_task_comes_back_or_that_reads_the_token_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            class JobBuilder
            {
                public JobBuilder Cron(string schedule) => this;
                public JobBuilder Action(Func<Task> action) => this;
            }

            class JobManager
            {
                public void AddOrUpdate(string name, Func<JobBuilder, JobBuilder> configure) { }
                public void AddOrUpdate(string name, Action<JobBuilder>? configure = null) { }
            }

            class StartupAction
            {
                private readonly JobManager _jobs = new JobManager();

                public async Task RunAsync(CancellationToken cancellationToken = default)
                {
                    _jobs.AddOrUpdate("job", j => j.Cron("* * * * *").Action(async () =>
                    {
                        await Task.Delay(1000);
                    }));

                    _jobs.AddOrUpdate("configured", (Action<JobBuilder>)(j => j.Cron("* * * * *").Action(async () =>
                    {
                        await Task.Delay(1000);
                    })));

                    _jobs.AddOrUpdate("poller", j => j.Action(async () =>
                    {
                        while (!cancellationToken.IsCancellationRequested)
                        {
                            await Task.[|Delay|](1000);
                        }
                    }));

                    await Task.WhenAll(new[] { 1, 2 }.Select(async i =>
                    {
                        await Task.[|Delay|](1000);
                    }));
                }
            }
            """);

    [Fact]
    public Task A_mutex_released_early_on_the_way_out_is_still_a_mutex_but_one_released_and_kept_is_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Consumer
            {
                private readonly SemaphoreSlim _startStop = new(1);
                private readonly SemaphoreSlim _other = new(1);
                private CancellationTokenSource _processing = new();
                private bool _started;

                public async Task StartAsync()
                {
                    await _startStop.WaitAsync().ConfigureAwait(false);
                    if (_started)
                    {
                        _startStop.Release();
                        return;
                    }

                    try
                    {
                        if (_processing.IsCancellationRequested)
                        {
                            _processing = new CancellationTokenSource();
                        }

                        _started = true;
                    }
                    finally
                    {
                        _startStop.Release();
                    }
                }

                public async Task OtherAsync()
                {
                    await _other.[|WaitAsync|]().ConfigureAwait(false);
                    if (_started)
                    {
                        _other.Release();
                    }

                    try
                    {
                        if (_processing.IsCancellationRequested)
                        {
                            _processing = new CancellationTokenSource();
                        }
                    }
                    finally
                    {
                        _other.Release();
                    }
                }
            }
            """);

    /// <summary>
    /// Fresh set 6 (a gateway client): the only token in scope is a member source the function replaces after the wait
    /// (the next connection's, the next lock's) or in each turn of its retry loop (one per attempt): at the wait it is the
    /// previous lifetime's, and cancelling it does not stop the function. The look-alikes: the type's one source, never
    /// replaced; a retry loop that checks the source; a token parameter of the function.
    /// </summary>
    [Fact]
    public Task A_member_source_the_function_replaces_after_the_wait_is_not_reported_but_the_types_lasting_source_or_a_parameter_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private CancellationTokenSource _receive = new();
                private Task _receiver = Task.CompletedTask;

                public async Task ReconnectAsync()
                {
                    await Task.Delay(500);
                    _receive.Dispose();
                    _receive = new CancellationTokenSource();
                    _receiver = ReceiveAsync(_receive.Token);
                }

                public async Task ReconnectAsync(CancellationToken token)
                {
                    await Task.[|Delay|](500);
                    _receive = new CancellationTokenSource();
                    _receiver = ReceiveAsync(_receive.Token);
                }

                public async Task ConnectAsync()
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            _receive = new CancellationTokenSource();
                            await OpenAsync(_receive.Token);
                            return;
                        }
                        catch (IOException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }

                public async Task ConnectCheckedAsync()
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            _receive = new CancellationTokenSource();
                            await OpenAsync(_receive.Token);
                            return;
                        }
                        catch (IOException) when (!_receive.IsCancellationRequested)
                        {
                            await Task.[|Delay|](1000);
                        }
                    }
                }

                private Task OpenAsync(CancellationToken token) => Task.CompletedTask;

                private Task ReceiveAsync(CancellationToken token) => Task.CompletedTask;
            }

            class Gate
            {
                private readonly SemaphoreSlim _slots = new(3);

                private CancellationTokenSource TimerSource { get; set; } = new();

                private CancellationToken Timer => TimerSource.Token;

                public async Task EnterAsync()
                {
                    await _slots.WaitAsync();
                    TimerSource = new CancellationTokenSource();
                    _ = Task.Delay(30000, Timer).ContinueWith(_ => _slots.Release());
                }
            }

            class Poller
            {
                private readonly CancellationTokenSource _stop = new();
                private readonly SemaphoreSlim _slots = new(3);

                public void Stop() => _stop.Cancel();

                public async Task EnterAsync()
                {
                    await _slots.[|WaitAsync|]();
                    _ = Task.Delay(30000, _stop.Token).ContinueWith(_ => _slots.Release());
                }
            }
            """);

    /// <summary>
    /// Fresh set 6 (a UDP client): <c>Close()</c> cancels the type's source and closes the client the receive waits on;
    /// the receive throws, the loop's <c>catch</c> takes it and the loop's condition sees the token. The look-alikes: a
    /// stop that only cancels, and (above) an accept whose exception leaves the loop.
    /// </summary>
    [Fact]
    public Task A_receive_the_stop_path_closes_after_cancelling_in_a_loop_on_the_token_is_not_reported_but_one_it_only_cancels_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Receiver
            {
                private UdpClient Client { get; set; } = new();
                private CancellationTokenSource Source { get; } = new();
                private CancellationToken Token => Source.Token;

                private async Task ReceiveLoopAsync()
                {
                    while (!Token.IsCancellationRequested)
                    {
                        try
                        {
                            var packet = await Client.ReceiveAsync();
                        }
                        catch (Exception) { }
                    }
                }

                public void Close()
                {
                    Source.Cancel();
                    Client.Close();
                }
            }

            class CancellingReceiver
            {
                private UdpClient Client { get; set; } = new();
                private CancellationTokenSource Source { get; } = new();
                private CancellationToken Token => Source.Token;

                private async Task ReceiveLoopAsync()
                {
                    while (!Token.IsCancellationRequested)
                    {
                        try
                        {
                            var packet = await Client.[|ReceiveAsync|]();
                        }
                        catch (Exception) { }
                    }
                }

                public void Close() => Source.Cancel();
            }
            """);

    /// <summary>
    /// Fresh set 6 (a REST client): the response comes from a resilience pipeline that runs a lambda of the same
    /// function, and every value the lambda returns is a client call that buffers the body (<c>ResponseContentRead</c>,
    /// or no completion option): reading the content waits for nothing, also when the pipeline's library is missing
    /// from the references. The look-alike's lambda reads only the headers.
    /// </summary>
    [Fact]
    public Task Reading_content_a_pipeline_lambda_buffered_is_not_reported_but_one_it_read_headers_only_for_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Pipeline
            {
                public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> action) => action(CancellationToken.None);
            }

            class Rest
            {
                private readonly HttpClient _client = new();
                private readonly Pipeline _pipeline = new();

                async Task<string> Buffered(CancellationToken token)
                {
                    using var response = await _pipeline.ExecuteAsync(async _ =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, "/items");
                        return await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                    });
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> DefaultOption(CancellationToken token)
                {
                    using var response = await _pipeline.ExecuteAsync(async _ => await _client.SendAsync(new HttpRequestMessage(), token));
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> Unbound({|CS0246:MissingPipeline|} pipeline, CancellationToken token)
                {
                    using HttpResponseMessage response = await pipeline.ExecuteAsync(async _ =>
                        await _client.SendAsync(new HttpRequestMessage(), HttpCompletionOption.ResponseContentRead, token));
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> HeadersOnly(CancellationToken token)
                {
                    using var response = await _pipeline.ExecuteAsync(async _ =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, "/items");
                        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                    });
                    return await response.Content.[|ReadAsStringAsync|]();
                }
            }
            """);

    /// <summary>
    /// Fresh set 6 (a sample client): the function awaits the work it gave the token, absorbing its cancellation, and
    /// then winds down (stops each download and polls until it has stopped): the token is cancelled by then, and
    /// passing it would skip the wind-down. The look-alikes: a catch that leaves, and a try that awaits work not given
    /// the token.
    /// </summary>
    [Fact]
    public Task A_wind_down_after_the_tokens_work_was_awaited_and_its_cancellation_absorbed_is_not_reported_but_after_a_catch_that_leaves_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Client
            {
                public bool Stopped { get; private set; }
                public Task DownloadAsync(CancellationToken token) => Task.CompletedTask;
                public Task StopAsync() => Task.CompletedTask;

                async Task RunAsync(bool resume, CancellationToken token)
                {
                    Task work;
                    if (resume)
                        work = DownloadAsync(token);
                    else
                        work = Task.Run(() => DownloadAsync(token), token);

                    try
                    {
                        await work;
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    var stopping = StopAsync();
                    while (!Stopped)
                    {
                        await Task.WhenAll(stopping, Task.Delay(250));
                    }
                }

                async Task LeavesAsync(CancellationToken token)
                {
                    try
                    {
                        await DownloadAsync(token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await Task.[|Delay|](250);
                }

                async Task OtherWorkAsync(CancellationToken token)
                {
                    try
                    {
                        await StopAsync();
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    await Task.[|Delay|](250);
                }
            }
            """);
}
