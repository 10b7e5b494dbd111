using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.TokenNotObservedByWorkAnalyzer,
    GracefulStop.CodeFixes.Rules.TokenNotObservedByWorkCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class TokenNotObservedByWorkAnalyzerTests
{
    [Fact]
    public Task Task_Run_with_an_endless_loop_that_ignores_the_token_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task Start(CancellationToken token) => Task.Run(() =>
                {
                    while (true)
                    {
                        Thread.Sleep(1000);
                    }
                }, {|#0:token|});
            }
            """,
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("Task.Run", "token", "the work"));

    [Fact]
    public Task StartNew_new_Task_method_groups_and_called_methods_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private readonly BlockingCollection<int> _queue = new();
                private readonly AutoResetEvent _signal = new(false);

                void Pump()
                {
                    foreach (var item in _queue.GetConsumingEnumerable())
                    {
                        System.Console.WriteLine(item);
                    }
                }

                void Start()
                {
                    Task.Factory.StartNew(Pump, {|GS0008:_cts.Token|}, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    var task = new Task(() => Pump(), {|GS0008:_cts.Token|});
                    Task.Run(() => _signal.WaitOne(), {|GS0008:_cts.Token|});
                    Task.Run(async () =>
                    {
                        for (;;)
                        {
                            await Task.Delay(100);
                        }
                    }, {|GS0008:_cts.Token|});
                }
            }
            """);

    [Fact]
    public Task Parallel_with_ParallelOptions_says_new_iterations() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Run(IEnumerable<string> hosts, CancellationToken token)
                {
                    var options = new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = 2 };
                    Parallel.ForEach(hosts, {|#0:options|}, host =>
                    {
                        while (true)
                        {
                            Thread.Sleep(500);
                        }
                    });
                    Parallel.Invoke({|#1:new ParallelOptions { CancellationToken = token }|}, () => { }, () => Thread.Sleep(10000));
                }
            }
            """,
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("Parallel.ForEach", "token", "new iterations"),
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("Parallel.Invoke", "token", "the work"));

    [Fact]
    public Task Work_that_observes_a_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                void Loop(CancellationToken token)
                {
                    while (true)
                    {
                        token.WaitHandle.WaitOne(1000);
                        if (token.IsCancellationRequested) return;
                    }
                }

                void LoopOnField()
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        Thread.Sleep(100);
                    }
                }

                void Start(CancellationToken token)
                {
                    Task.Run(() => Loop(token), token);
                    Task.Run(LoopOnField, _cts.Token);
                    Task.Run(async () =>
                    {
                        while (true)
                        {
                            await Task.Delay(1000, token);
                        }
                    }, token);
                    var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            linked.Token.ThrowIfCancellationRequested();
                            Thread.Sleep(10);
                        }
                    }, token);
                }
            }
            """);

    [Fact]
    public Task Quick_work_no_token_and_unseen_methods_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                int Compute() => 42;

                void Start(CancellationToken token, System.Action external)
                {
                    Task.Run(() => Compute(), token);
                    Task.Run(() =>
                    {
                        var sum = 0;
                        for (var i = 0; i < 10; i++) sum += i;
                        return sum;
                    }, token);
                    Task.Run(() => { while (true) Thread.Sleep(10); });
                    Task.Run(() => { while (true) Thread.Sleep(10); }, CancellationToken.None);
                    Task.Run(() => { while (true) Thread.Sleep(10); }, default(CancellationToken));
                    Task.Run(external, token);
                    Parallel.For(0, 10, new ParallelOptions(), i => { while (true) Thread.Sleep(10); });
                }
            }
            """);

    [Fact]
    public Task Fix_conditions_the_endless_loop_of_a_task_lambda_and_keeps_comments() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task Start(CancellationTokenSource cts) => Task.Run(() =>
                {
                    // poll forever
                    while (true /* until stopped */)
                    {
                        Thread.Sleep(1000); // a second
                    }
                }, [|cts.Token|]);
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task Start(CancellationTokenSource cts) => Task.Run(() =>
                {
                    // poll forever
                    while (!cts.Token.IsCancellationRequested /* until stopped */)
                    {
                        Thread.Sleep(1000); // a second
                    }
                }, cts.Token);
            }
            """);

    [Fact]
    public Task Fix_leaves_long_running_loops_and_throws_in_loops_whose_end_must_stay_unreachable() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(BlockingCollection<int> queue, CancellationToken token)
                {
                    Task.Run(() =>
                    {
                        foreach (var item in queue.GetConsumingEnumerable())
                            System.Console.WriteLine(item);
                    }, [|token|]);

                    Task.Run(() =>
                    {
                        while (true)
                        {
                            var item = queue.Take();
                            if (item < 0) return item;
                        }
                    }, [|token|]);
                }
            }
            """,
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(BlockingCollection<int> queue, CancellationToken token)
                {
                    Task.Run(() =>
                    {
                        foreach (var item in queue.GetConsumingEnumerable())
                        {
                            if (token.IsCancellationRequested)
                                break;
                            System.Console.WriteLine(item);
                        }
                    }, token);

                    Task.Run(() =>
                    {
                        while (true)
                        {
                            token.ThrowIfCancellationRequested();
                            var item = queue.Take();
                            if (item < 0) return item;
                        }
                    }, token);
                }
            }
            """);

    [Fact]
    public Task Fix_passes_the_token_to_a_method_group_as_a_parameter() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                void Work()
                {
                    while (true)
                    {
                        Thread.Sleep(100);
                    }
                }

                Task Start(CancellationToken token) => Task.Run(Work, [|token|]);
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                void Work(CancellationToken cancellationToken = default)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        Thread.Sleep(100);
                    }
                }

                Task Start(CancellationToken token) => Task.Run(() => Work(token), token);
            }
            """);

    [Fact]
    public Task Fix_passes_the_token_to_the_method_a_lambda_calls_or_uses_a_field_it_sees() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                private readonly CancellationTokenSource _cts = new();

                async Task PollAsync(int delay)
                {
                    while (true)
                    {
                        await Task.Delay(delay);
                    }
                }

                void Spin()
                {
                    for (;;)
                    {
                        Thread.Sleep(5);
                    }
                }

                void Start(CancellationToken token)
                {
                    Task.Run(() => PollAsync(100), [|token|]);
                    Task.Run(() => Spin(), [|_cts.Token|]);
                    PollAsync(5).Wait();
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                private readonly CancellationTokenSource _cts = new();

                async Task PollAsync(int delay, CancellationToken cancellationToken = default)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        await Task.Delay(delay);
                    }
                }

                void Spin()
                {
                    for (; !_cts.Token.IsCancellationRequested;)
                    {
                        Thread.Sleep(5);
                    }
                }

                void Start(CancellationToken token)
                {
                    Task.Run(() => PollAsync(100, token), token);
                    Task.Run(() => Spin(), _cts.Token);
                    PollAsync(5).Wait();
                }
            }
            """);

    [Fact]
    public Task No_fix_when_the_method_is_also_used_as_a_method_group_or_the_work_has_no_loop() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                void Work()
                {
                    while (true)
                    {
                        Thread.Sleep(100);
                    }
                }

                void Start(CancellationToken token, WaitHandle handle)
                {
                    Action again = Work;
                    Task.Run(Work, [|token|]);
                    Task.Run(() => handle.WaitOne(), [|token|]);
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                void Work()
                {
                    while (true)
                    {
                        Thread.Sleep(100);
                    }
                }

                void Start(CancellationToken token, WaitHandle handle)
                {
                    Action again = Work;
                    Task.Run(Work, [|token|]);
                    Task.Run(() => handle.WaitOne(), [|token|]);
                }
            }
            """);

    [Fact]
    public Task Fix_all_fixes_every_start_site() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(CancellationToken token)
                {
                    Task.Run(() =>
                    {
                        while (true)
                        {
                            Thread.Sleep(10);
                        }
                    }, [|token|]);
                    Parallel.For(0, 4, [|new ParallelOptions { CancellationToken = token }|], i =>
                    {
                        for (var n = 0; n < i; n++)
                        {
                            Thread.Sleep(10);
                        }
                    });
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(CancellationToken token)
                {
                    Task.Run(() =>
                    {
                        while (!token.IsCancellationRequested)
                        {
                            Thread.Sleep(10);
                        }
                    }, token);
                    Parallel.For(0, 4, new ParallelOptions { CancellationToken = token }, i =>
                    {
                        for (var n = 0; n < i; n++)
                        {
                            if (token.IsCancellationRequested)
                                break;
                            Thread.Sleep(10);
                        }
                    });
                }
            }
            """);

    [Fact]
    public Task Half_typed_code_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(CancellationToken token)
                {
                    Task.Run(() => { while (true) { Thread.Sleep(10); {|CS0103:Missing|}(); } }, token);
                }
            }
            """);

    [Fact]
    public Task Fix_in_a_multi_line_lambda_keeps_a_block_body_on_its_own_lines() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(CancellationToken token)
                {
                    Task.Run(async () =>
                    {
                        while (true) // forever
                            await Task.Delay(1000); // tick
                    }, [|token|]);
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Start(CancellationToken token)
                {
                    Task.Run(async () =>
                    {
                        while (!token.IsCancellationRequested) // forever
                            await Task.Delay(1000); // tick
                    }, token);
                }
            }
            """);

    /// <summary>
    /// Fresh set 4, SlimMessageBus's console sample: the host cancels the token of <c>IHostedService.StartAsync</c>
    /// only when start-up is aborted, so work made to observe it would not stop at <c>StopAsync</c>. The look-alike
    /// is a <c>StartAsync</c> of a type that is no hosted service, whose caller's token is the work's.
    /// </summary>
    [Fact]
    public Task Start_up_token_of_a_hosted_service_is_not_reported_but_a_look_alike_StartAsync_is() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            namespace Microsoft.Extensions.Hosting
            {
                public interface IHostedService
                {
                    Task StartAsync(CancellationToken cancellationToken);
                    Task StopAsync(CancellationToken cancellationToken);
                }

                public abstract class BackgroundService : IHostedService
                {
                    public virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                    public virtual Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
                }
            }

            class ProducerService : Microsoft.Extensions.Hosting.IHostedService
            {
                private volatile bool _canRun = true;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    Task.Factory.StartNew(Produce, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    return Task.CompletedTask;
                }

                public Task StopAsync(CancellationToken cancellationToken)
                {
                    _canRun = false;
                    return Task.CompletedTask;
                }

                private async Task Produce()
                {
                    while (_canRun)
                    {
                        await Task.Delay(50);
                    }
                }
            }

            class ExplicitService : Microsoft.Extensions.Hosting.IHostedService
            {
                private volatile bool _canRun = true;

                Task Microsoft.Extensions.Hosting.IHostedService.StartAsync(CancellationToken cancellationToken) =>
                    Task.Run(() => { while (_canRun) Thread.Sleep(50); }, cancellationToken);

                Task Microsoft.Extensions.Hosting.IHostedService.StopAsync(CancellationToken cancellationToken)
                {
                    _canRun = false;
                    return Task.CompletedTask;
                }
            }

            class Worker : Microsoft.Extensions.Hosting.BackgroundService
            {
                private volatile bool _canRun = true;

                public override Task StartAsync(CancellationToken cancellationToken)
                {
                    Task.Run(() => { while (_canRun) Thread.Sleep(50); }, cancellationToken);
                    return base.StartAsync(cancellationToken);
                }

                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
            }

            class Pump
            {
                private volatile bool _canRun = true;

                public Task StartAsync(CancellationToken cancellationToken) =>
                    Task.Run(() => { while (_canRun) Thread.Sleep(50); }, {|#0:cancellationToken|});
            }
            """,
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0)
                .WithArguments("Task.Run", "cancellationToken", "the work"));

    /// <summary>Without the hosting assembly (a package not restored), the interface is known by its name.</summary>
    [Fact]
    public Task Start_up_token_of_an_unresolved_hosted_service_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class ProducerService : {|CS0246:IHostedService|}
            {
                private volatile bool _canRun = true;

                public Task StartAsync(CancellationToken cancellationToken)
                {
                    Task.Factory.StartNew(() => { while (_canRun) Thread.Sleep(50); }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    return Task.CompletedTask;
                }

                public Task StopAsync(CancellationToken cancellationToken)
                {
                    _canRun = false;
                    return Task.CompletedTask;
                }

                public Task RestartAsync(CancellationToken cancellationToken) =>
                    Task.Run(() => { while (_canRun) Thread.Sleep(50); }, {|#0:cancellationToken|});
            }
            """,
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0)
                .WithArguments("Task.Run", "cancellationToken", "the work"));

    [Fact]
    public Task Work_that_is_one_call_on_a_field_the_owner_stops_wherever_it_cancels_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Listener
            {
                public Task<int> AcceptAsync() => AcceptAsync(CancellationToken.None);

                public Task<int> AcceptAsync(CancellationToken token) => Task.FromResult(1);

                public void Stop()
                {
                }
            }

            class Server
            {
                private readonly Listener _listener = new();
                private CancellationTokenSource _cts = new();

                public void Stop()
                {
                    _listener?.Stop();
                    _cts?.Cancel();
                }

                public Task<int> AcceptAsync() =>
                    Task.Run(() => _listener.AcceptAsync(), _cts.Token);
            }
            """);

    [Fact]
    public Task Work_on_a_field_the_owner_does_not_stop_where_it_cancels_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Listener
            {
                public Task<int> AcceptAsync() => AcceptAsync(CancellationToken.None);

                public Task<int> AcceptAsync(CancellationToken token) => Task.FromResult(1);

                public void Stop()
                {
                }
            }

            class Server
            {
                private readonly Listener _listener = new();
                private readonly CancellationTokenSource _cts = new();

                public void Stop()
                {
                    _listener.Stop();
                    _cts.Cancel();
                }

                public void Abandon() => _cts.Cancel();

                public Task<int> AcceptAsync() =>
                    Task.Run(() => _listener.AcceptAsync(), {|#0:_cts.Token|});
            }
            """,
            Verify.Diagnostic(Descriptors.TokenNotObservedByWork).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("Task.Run", "_cts.Token", "the work"));
}
