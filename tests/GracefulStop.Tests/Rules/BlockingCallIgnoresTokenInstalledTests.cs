using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Tokens that belong to later work: installed or replaced by the function (session 15: fresh set 9, Discord.Net).</summary>
public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    /// <summary>
    /// Discord.Net's request queue: <c>SetCancelTokenAsync(token)</c> takes a lock and stores the token (and a source
    /// linked to it) for the requests to come; <c>ClearAsync</c> links the stored token into a new source. The function
    /// only installs the token: it is data for later work, not this function's stop.
    /// </summary>
    [Fact]
    public Task A_token_the_function_only_stores_for_later_work_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class RequestQueue
            {
                private readonly SemaphoreSlim _tokenLock = new(1, 1);
                private readonly SemaphoreSlim _signal = new(0);
                private CancellationTokenSource _clear = new();
                private CancellationTokenSource? _requests;
                private CancellationToken _parent;
                private CancellationToken _requestToken;

                public async Task SetCancelTokenAsync(CancellationToken token)
                {
                    await _signal.WaitAsync();
                    _parent = token;
                    _requests = CancellationTokenSource.CreateLinkedTokenSource(token, _clear.Token);
                    _requestToken = _requests.Token;
                    _signal.Release();
                }

                public void Clear() => _clear.Cancel();

                public async Task RelinkAsync()
                {
                    await _signal.WaitAsync();
                    _requests = CancellationTokenSource.CreateLinkedTokenSource(_clear.Token, _parent);
                    _signal.Release();
                }
            }
            """);

    /// <summary>
    /// The look-alikes: a function that stores its token and also passes it to a call, or checks it, uses it as its own
    /// stop; a token stored in a local is not installed anywhere.
    /// </summary>
    [Fact]
    public Task A_token_the_function_stores_and_also_uses_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private readonly SemaphoreSlim _signal = new(0);
                private CancellationToken _lifetime;

                public async Task StartAsync(CancellationToken token)
                {
                    await _signal.{|#0:WaitAsync|}();
                    _lifetime = token;
                    await Task.Delay(10, token);
                }

                public async Task CheckedAsync(CancellationToken token)
                {
                    _lifetime = token;
                    token.ThrowIfCancellationRequested();
                    await _signal.{|#1:WaitAsync|}();
                }

                public async Task LocalAsync(CancellationToken token)
                {
                    await _signal.{|#2:WaitAsync|}();
                    var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
                    linked.Dispose();
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("_signal.WaitAsync()", "token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("_signal.WaitAsync()", "token", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(2)
                .WithArguments("_signal.WaitAsync()", "token", "pass it to the overload that takes a CancellationToken"));

    /// <summary>
    /// Discord.Net's UDP socket: <c>StartAsync</c> takes the start/stop lock and calls <c>StartInternalAsync</c>, which
    /// makes the new run's token. At the wait the member token is the previous run's, replaced by the method the function
    /// calls after the wait (one level down).
    /// </summary>
    [Fact]
    public Task A_member_token_a_method_of_the_type_replaces_after_the_wait_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class UdpSocket
            {
                private readonly SemaphoreSlim _lock = new(0);
                private CancellationTokenSource _source = new();
                private CancellationToken _cancelToken;
                private Task _task = Task.CompletedTask;

                public async Task StartAsync()
                {
                    await _lock.WaitAsync();
                    await StartInternalAsync(_cancelToken);
                    _lock.Release();
                }

                public void Stop() => _source.Cancel();

                public async Task StartInternalAsync(CancellationToken ignored)
                {
                    await Task.Yield();
                    _source = new CancellationTokenSource();
                    _cancelToken = _source.Token;
                    _task = RunAsync(_cancelToken);
                }

                private Task RunAsync(CancellationToken token) => Task.CompletedTask;
            }
            """);

    /// <summary>
    /// The look-alikes: a method called after the wait that does not replace the token (it only uses it), a method that
    /// may be overridden, and a method that clears the token to <c>default</c>.
    /// </summary>
    [Fact]
    public Task A_member_token_only_used_or_cleared_by_the_methods_called_after_the_wait_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class WebSocketClient
            {
                private readonly SemaphoreSlim _lock = new(0);
                private CancellationTokenSource _source = new();
                private CancellationToken _cancelToken;

                public WebSocketClient() => _cancelToken = _source.Token;

                public void Stop() => _source.Cancel();

                public async Task SendAsync()
                {
                    await _lock.{|#0:WaitAsync|}();
                    await SendFrameAsync(_cancelToken);
                    _lock.Release();
                }

                public async Task ReconnectAsync()
                {
                    await _lock.{|#1:WaitAsync|}();
                    await RenewAsync(_cancelToken);
                    _lock.Release();
                }

                public async Task ResetAsync()
                {
                    await _lock.{|#2:WaitAsync|}();
                    Clear(_cancelToken);
                    _lock.Release();
                }

                private Task SendFrameAsync(CancellationToken token) => Task.Delay(10, token);

                protected virtual Task RenewAsync(CancellationToken previous)
                {
                    _source = new CancellationTokenSource();
                    _cancelToken = _source.Token;
                    return Task.CompletedTask;
                }

                private void Clear(CancellationToken previous)
                {
                    _cancelToken = default;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(0)
                .WithArguments("_lock.WaitAsync()", "_cancelToken", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(1)
                .WithArguments("_lock.WaitAsync()", "_cancelToken", "pass it to the overload that takes a CancellationToken"),
            Verify.Diagnostic(Descriptors.BlockingCallIgnoresToken).WithLocation(2)
                .WithArguments("_lock.WaitAsync()", "_cancelToken", "pass it to the overload that takes a CancellationToken"));

    /// <summary>
    /// CryptoExchange.Net's subscribe (fresh set 9): the token is the subscription's lifetime, wired to a registration
    /// stored on the subscription that closes it when cancelled; the subscribe request itself does not take it.
    /// </summary>
    [Fact]
    public Task A_token_the_function_only_registers_a_stored_teardown_on_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Subscription
            {
                public CancellationTokenRegistration Registration { get; set; }
            }

            class Connection
            {
                private readonly SemaphoreSlim _reply = new(0);

                public async Task SubscribeAsync(Subscription subscription, CancellationToken lifetime)
                {
                    await _reply.WaitAsync();
                    if (lifetime != default)
                    {
                        subscription.Registration = lifetime.Register(() => Close(subscription));
                    }
                }

                private void Close(Subscription subscription)
                {
                }
            }
            """);

    /// <summary>The look-alike: a registration kept in a local lasts only as long as the function, so it is the function's stop.</summary>
    [Fact]
    public Task A_token_whose_registration_the_function_keeps_in_a_local_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Connection
            {
                private readonly SemaphoreSlim _reply = new(0);

                public async Task SubscribeAsync(CancellationToken lifetime)
                {
                    using var registration = lifetime.Register(() => Close());
                    await _reply.[|WaitAsync|]();
                }

                private void Close()
                {
                }
            }
            """);
}
