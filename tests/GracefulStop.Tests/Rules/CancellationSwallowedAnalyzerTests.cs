using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Rules;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.CancellationSwallowedAnalyzer,
    GracefulStop.CodeFixes.Rules.CancellationSwallowedCodeFix>;

namespace GracefulStop.Tests.Rules;

public sealed class CancellationSwallowedAnalyzerTests
{
    [Fact]
    public Task Catch_of_Exception_in_an_endless_loop_is_reported_with_the_token() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void Run(CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            token.WaitHandle.WaitOne(1000);
                            token.ThrowIfCancellationRequested();
                        }
                        catch ({|#0:Exception|})
                        {
                            Console.WriteLine("failed");
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "token"));

    [Fact]
    public Task Bare_catch_OperationCanceled_TaskCanceled_and_Aggregate_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private bool _running = true;

                void A()
                {
                    for (;;)
                    {
                        try { Task.Delay(100, _cts.Token).Wait(); }
                        {|GS0009:catch|} { }
                    }
                }

                async Task B(CancellationToken token)
                {
                    while (_running)
                    {
                        try { await Task.Delay(100, token); }
                        catch ({|GS0009:OperationCanceledException|}) { }
                    }
                }

                async Task C2(CancellationToken token)
                {
                    do
                    {
                        try { await Task.Delay(100, token); }
                        catch ({|GS0009:TaskCanceledException|} e) { Console.WriteLine(e.Message); }
                    }
                    while (true);
                }

                void D(CancellationToken token)
                {
                    while (true)
                    {
                        try { Task.Delay(100, token).Wait(); }
                        catch ({|GS0009:AggregateException|}) { continue; }
                    }
                }
            }
            """);

    [Fact]
    public Task Catch_of_ThreadInterruptedException_has_its_own_message() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class C
            {
                void Run(CancellationTokenSource source)
                {
                    while (true)
                    {
                        try { source.Token.WaitHandle.WaitOne(); }
                        catch ({|#0:ThreadInterruptedException|}) { }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.InterruptSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (ThreadInterruptedException)", "source"));

    [Fact]
    public Task Bounded_retry_loop_that_waits_through_the_token_owner_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class Context
            {
                public CancellationToken StoppingToken { get; set; }

                public void Wait(TimeSpan delay) => StoppingToken.WaitHandle.WaitOne(delay);
            }

            class Scheduler
            {
                private const int MaxAttempts = 5;

                void Change(Context context, Action<CancellationToken> change)
                {
                    for (var retryAttempt = 0; retryAttempt < MaxAttempts; retryAttempt++)
                    {
                        try
                        {
                            change(context.StoppingToken);
                            return;
                        }
                        catch (Exception ex) when (ex is not StackOverflowException)
                        {
                            Console.WriteLine(ex);
                        }

                        context.Wait(TimeSpan.FromSeconds(retryAttempt));
                    }
                }

                void Worker(Action<CancellationToken> change, int max, CancellationToken abortToken)
                {
                    for (var retryAttempt = 0; retryAttempt < max; retryAttempt++)
                    {
                        try
                        {
                            change(abortToken);
                            return;
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex);
                        }

                        abortToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(retryAttempt));
                    }
                }
            }
            """);

    [Fact]
    public Task Loop_that_checks_the_token_outside_the_try_or_leaves_after_it_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Scheduler
            {
                private readonly CancellationTokenSource cts = new();
                private volatile bool halted;

                async Task Run(TimeSpan delay)
                {
                    while (!halted)
                    {
                        cts.Token.ThrowIfCancellationRequested();
                        try
                        {
                            await Task.Delay(delay, cts.Token);
                        }
                        catch
                        {
                        }
                    }
                }

                async Task RunChecked(TimeSpan delay)
                {
                    while (!halted)
                    {
                        if (cts.IsCancellationRequested)
                        {
                            break;
                        }

                        try
                        {
                            await Task.Delay(delay, cts.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }

                async Task Notify(Func<CancellationToken, Task> notify, CancellationToken token)
                {
                    do
                    {
                        try
                        {
                            await notify(token);
                        }
                        catch (Exception e)
                        {
                            Console.WriteLine(e);
                        }

                        await notify(token);
                        break;
                    }
                    while (true);
                }
            }
            """);

    [Fact]
    public Task Source_created_anew_in_every_iteration_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;

            class Throughput
            {
                private CancellationTokenSource done;

                async Task Run(Func<Task> publish)
                {
                    var watch = Stopwatch.StartNew();
                    while (watch.ElapsedMilliseconds < 10000)
                    {
                        done = new CancellationTokenSource();
                        await publish();
                        try
                        {
                            await Task.Delay(30000, done.Token);
                        }
                        catch (Exception e)
                        {
                            Console.WriteLine(e);
                        }

                        done.Dispose();
                    }
                }

                async Task RunLocal(Func<CancellationToken, Task> publish)
                {
                    while (true)
                    {
                        using var attempt = new CancellationTokenSource(1000);
                        try
                        {
                            await publish(attempt.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Check_inside_the_try_or_a_source_assigned_outside_the_loop_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                private CancellationTokenSource cts = new();

                async Task Run(TimeSpan delay)
                {
                    cts = new CancellationTokenSource();
                    while (true)
                    {
                        try
                        {
                            cts.Token.ThrowIfCancellationRequested();
                            await Task.Delay(delay, cts.Token);
                        }
                        catch ({|#0:Exception|})
                        {
                            Console.WriteLine("retry");
                        }

                        Console.WriteLine("again");
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "cts"));

    [Fact]
    public Task Bounded_loop_inside_an_endless_loop_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void Run(Action<CancellationToken> change, CancellationToken token, int max)
                {
                    while (true)
                    {
                        for (var i = 0; i < max; i++)
                        {
                            try { change(token); }
                            catch ({|#0:Exception|}) { }
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "token"));

    [Fact]
    public Task Loop_whose_condition_checks_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task Run(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try { await Task.Delay(100, token); }
                        catch (Exception) { }
                    }
                }
            }
            """);

    [Fact]
    public Task Catch_that_rethrows_returns_breaks_or_checks_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task Run(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (OperationCanceledException) { throw; }
                        catch (Exception) { }
                    }
                }

                async Task Return(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (Exception) { return; }
                    }
                }

                async Task Break(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (Exception)
                        {
                            for (var i = 0; i < 3; i++) { continue; }
                            break;
                        }
                    }
                }

                async Task Check(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (Exception) { token.ThrowIfCancellationRequested(); }
                    }
                }

                async Task Filtered(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (Exception) when (!token.IsCancellationRequested) { }
                        catch (Exception e) when (e is not OperationCanceledException) { }
                    }
                }
            }
            """);

    [Fact]
    public Task Try_without_token_other_exception_types_foreach_and_lambdas_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Parse(string s) { }

                void NoTokenInTry(CancellationToken token)
                {
                    while (true)
                    {
                        token.ThrowIfCancellationRequested();
                        try { Parse("x"); }
                        catch (Exception) { }
                    }
                }

                async Task OtherType(CancellationToken token)
                {
                    while (true)
                    {
                        try { await Task.Delay(100, token); }
                        catch (IOException) { }
                    }
                }

                async Task ForEach(IEnumerable<int> items, CancellationToken token)
                {
                    foreach (var item in items)
                    {
                        try { await Task.Delay(item, token); }
                        catch (Exception) { }
                    }
                }

                void Lambda(CancellationToken token)
                {
                    while (true)
                    {
                        Action a = () =>
                        {
                            try { token.ThrowIfCancellationRequested(); }
                            catch (Exception) { }
                        };
                        a();
                    }
                }

                void NoLoop(CancellationToken token)
                {
                    try { token.ThrowIfCancellationRequested(); }
                    catch (Exception) { }
                }
            }
            """);

    private static Task FilterTest(string source, string fixedSource, Action<CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test>? configure = null)
    {
        var test = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.PreferredKey,
            TestCode = source,
            FixedCode = fixedSource,
        };
        configure?.Invoke(test);
        return test.RunAsync();
    }

    [Fact]
    public Task Filter_fix_adds_a_when_clause_and_keeps_comments() =>
        FilterTest(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                // Where the loop cannot be left without dropping the exception (an AggregateException in async code),
                // the preferred fix lets cancellation pass to the awaiting caller.
                async Task Run(CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            await Task.Yield();
                            Task.Delay(1000, token).Wait(); // wait a second
                        }
                        catch ([|AggregateException|] ex) // log and go on
                        {
                            Console.WriteLine(ex.Message);
                        }
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                // Where the loop cannot be left without dropping the exception (an AggregateException in async code),
                // the preferred fix lets cancellation pass to the awaiting caller.
                async Task Run(CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            await Task.Yield();
                            Task.Delay(1000, token).Wait(); // wait a second
                        }
                        catch (AggregateException ex) when (!token.IsCancellationRequested) // log and go on
                        {
                            Console.WriteLine(ex.Message);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Filter_fix_on_a_bare_catch_and_an_existing_filter() =>
        FilterTest(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                static bool Log(Exception e) => true;

                async Task Run()
                {
                    while (true)
                    {
                        await Task.Yield();
                        try { Task.Delay(100, _cts.Token).Wait(); }
                        catch ([|AggregateException|]) { }

                        try { Task.Delay(100, _cts.Token).Wait(); }
                        catch ([|AggregateException|] e) when (Log(e) || e.InnerExceptions.Count > 1) { }
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly CancellationTokenSource _cts = new();

                static bool Log(Exception e) => true;

                async Task Run()
                {
                    while (true)
                    {
                        await Task.Yield();
                        try { Task.Delay(100, _cts.Token).Wait(); }
                        catch (AggregateException) when (!_cts.IsCancellationRequested) { }

                        try { Task.Delay(100, _cts.Token).Wait(); }
                        catch (AggregateException e) when (!_cts.IsCancellationRequested && (Log(e) || e.InnerExceptions.Count > 1)) { }
                    }
                }
            }
            """);

    [Fact]
    public Task Leave_loop_fix_catches_any_exception_when_a_task_is_waited_for_synchronously() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Run(CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            Task.Delay(10, token).Wait();
                        }
                        catch ([|Exception|])
                        {
                        }
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                void Run(CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            Task.Delay(10, token).Wait();
                        }
                        catch (Exception) when (token.IsCancellationRequested)
                        {
                            break;
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public async Task Leave_loop_fix_inserts_a_catch_that_breaks_in_synchronous_code()
    {
        var test = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.LeaveLoopKey,
            TestCode = """
                using System;
                using System.Threading;

                class C
                {
                    void Run(CancellationToken token)
                    {
                        while (true)
                        {
                            try
                            {
                                token.WaitHandle.WaitOne(1000);
                                token.ThrowIfCancellationRequested();
                            }
                            // anything that goes wrong is logged
                            catch ([|Exception|] ex)
                            {
                                Console.WriteLine(ex.Message);
                            }
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;

                class C
                {
                    void Run(CancellationToken token)
                    {
                        while (true)
                        {
                            try
                            {
                                token.WaitHandle.WaitOne(1000);
                                token.ThrowIfCancellationRequested();
                            }
                            catch (OperationCanceledException) when (token.IsCancellationRequested)
                            {
                                break;
                            }
                            // anything that goes wrong is logged
                            catch (Exception ex)
                            {
                                Console.WriteLine(ex.Message);
                            }
                        }
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Leave_loop_fix_breaks_in_async_code_and_task_work_so_the_task_ends_normally()
    {
        var test = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.LeaveLoopKey,
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task Run(CancellationToken token)
                    {
                        while (true)
                        {
                            try { await Task.Delay(1000, token); }
                            catch ([|System.OperationCanceledException|]) { }
                        }
                    }

                    Task Start(CancellationToken token) => Task.Run(() =>
                    {
                        while (true)
                        {
                            try { token.WaitHandle.WaitOne(1000); token.ThrowIfCancellationRequested(); }
                            [|catch|] { }
                        }
                    });
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task Run(CancellationToken token)
                    {
                        while (true)
                        {
                            try { await Task.Delay(1000, token); }
                            catch (System.OperationCanceledException) when (token.IsCancellationRequested)
                            {
                                break;
                            }
                            catch (System.OperationCanceledException) { }
                        }
                    }

                    Task Start(CancellationToken token) => Task.Run(() =>
                    {
                        while (true)
                        {
                            try { token.WaitHandle.WaitOne(1000); token.ThrowIfCancellationRequested(); }
                            catch (System.OperationCanceledException) when (token.IsCancellationRequested)
                            {
                                break;
                            }
                            catch { }
                        }
                    });
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Leave_loop_fix_is_not_offered_for_nested_loops_or_value_returning_methods()
    {
        var test = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.LeaveLoopKey,
            TestCode = """
                using System;
                using System.Threading;

                class C
                {
                    void Nested(CancellationToken token, int n)
                    {
                        while (true)
                        {
                            for (var i = 0; i < n; i++)
                            {
                                try { token.ThrowIfCancellationRequested(); }
                                catch ([|Exception|]) { }
                            }
                        }
                    }

                    int Value(CancellationToken token)
                    {
                        while (true)
                        {
                            try { token.ThrowIfCancellationRequested(); }
                            catch ([|Exception|]) { }
                        }
                    }

                    void Aggregate(CancellationToken token)
                    {
                        while (true)
                        {
                            try { token.ThrowIfCancellationRequested(); }
                            catch ([|AggregateException|]) { }
                        }
                    }
                }
                """,
        };
        test.FixedCode = test.TestState.Sources[0].content.ToString();
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_adds_every_filter()
    {
        var test = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.PreferredKey,
            TestCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task A(CancellationToken token)
                    {
                        while (true)
                        {
                            try { await Task.Yield(); Task.Delay(10, token).Wait(); }
                            catch ([|AggregateException|]) { }
                        }
                    }

                    async Task B(CancellationToken stoppingToken)
                    {
                        while (true)
                        {
                            try { await Task.Yield(); Task.Delay(10, stoppingToken).Wait(); }
                            catch ([|AggregateException|] e) when (e.InnerExceptions.Count == 1) { }
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task A(CancellationToken token)
                    {
                        while (true)
                        {
                            try { await Task.Yield(); Task.Delay(10, token).Wait(); }
                            catch (AggregateException) when (!token.IsCancellationRequested) { }
                        }
                    }

                    async Task B(CancellationToken stoppingToken)
                    {
                        while (true)
                        {
                            try { await Task.Yield(); Task.Delay(10, stoppingToken).Wait(); }
                            catch (AggregateException e) when (!stoppingToken.IsCancellationRequested && e.InnerExceptions.Count == 1) { }
                        }
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    // Fresh set 2 (tuning): a token that belongs to the item the iteration took is not the loop's stop.
    [Fact]
    public Task Token_of_the_item_the_iteration_took_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Work
            {
                public CancellationToken CancellationToken;
            }

            class C
            {
                private readonly ConcurrentQueue<Work> _queue = new();

                async Task Run()
                {
                    while (true)
                    {
                        while (_queue.TryDequeue(out var work))
                        {
                            try { await Task.Delay(10, work.CancellationToken); }
                            catch (Exception) { }
                        }

                        await Task.Delay(100);
                    }
                }
            }
            """);

    [Fact]
    public Task Member_token_of_an_object_kept_across_iterations_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Work
            {
                public CancellationToken CancellationToken;
            }

            class C
            {
                async Task Run(Work work)
                {
                    while (true)
                    {
                        try { await Task.Delay(10, work.CancellationToken); }
                        catch ({|#0:Exception|}) { }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "work.CancellationToken"));

    // Fresh set 2 (tuning): a TryRead drain inside a loop that waits with the token ends when the items run out, and
    // the outer wait then throws.
    [Fact]
    public Task Drain_inside_a_loop_that_waits_with_the_token_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly ConcurrentQueue<int> _queue = new();
                private readonly SemaphoreSlim _ready = new(0);

                async Task Run(CancellationToken token)
                {
                    while (await _ready.WaitAsync(1000, token))
                    {
                        while (_queue.TryDequeue(out var item))
                        {
                            try { await Task.Delay(item, token); }
                            catch (Exception) { }
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Drain_inside_an_endless_loop_is_still_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly ConcurrentQueue<int> _queue = new();

                async Task Run(CancellationToken token)
                {
                    while (true)
                    {
                        while (_queue.TryDequeue(out var item))
                        {
                            try { await Task.Delay(item, token); }
                            catch ({|#0:Exception|}) { }
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "token"));

    [Fact]
    public Task Half_typed_code_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class C
            {
                void Run(CancellationToken token)
                {
                    while (true)
                    {
                        try { token.ThrowIfCancellationRequested(); {|CS0103:Missing|}(); }
                        catch (Exception) { }

                        try { token.ThrowIfCancellationRequested(); }
                        catch ({|CS0246:Unknown|}) { }
                    }
                }
            }
            """);

    [Fact]
    public async Task Interrupt_and_switch_cases_in_synchronous_code_get_no_fix()
    {
        var source = """
            using System;
            using System.Threading;

            class C
            {
                void Run(CancellationToken token, int mode)
                {
                    while (true)
                    {
                        try { token.WaitHandle.WaitOne(); }
                        catch ([|ThreadInterruptedException|]) { }

                        switch (mode)
                        {
                            case 1:
                                try { token.ThrowIfCancellationRequested(); }
                                catch ([|Exception|]) { }
                                break;
                        }
                    }
                }
            }
            """;
        var noLeave = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.LeaveLoopKey,
            TestCode = source,
            FixedCode = source,
        };
        await noLeave.RunAsync();

        var filter = new CSharpCodeFixVerifier<CancellationSwallowedAnalyzer, CancellationSwallowedCodeFix>.Test
        {
            CodeActionEquivalenceKey = CancellationSwallowedCodeFix.FilterKey,
            TestCode = source,
            FixedCode = source,
        };
        await filter.RunAsync();
    }

    [Fact]
    public Task Catch_in_a_loop_whose_condition_the_owner_ends_before_every_cancel_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Listener
            {
                private readonly object _gate = new();
                private CancellationTokenSource _cts = new();
                private bool _stopping;

                public void Stop()
                {
                    lock (_gate)
                    {
                        _stopping = true;
                        _cts?.Cancel();
                    }
                }

                private async Task AcceptAsync()
                {
                    while (_stopping == false)
                    {
                        try
                        {
                            await Task.Delay(1000, _cts.Token);
                        }
                        catch (Exception)
                        {
                            Console.WriteLine("accept failed");
                        }
                    }
                }
            }

            class Sender
            {
                private readonly BlockingCollection<int> _queue = new();
                private readonly CancellationTokenSource _stop = new();

                public void Dispose()
                {
                    _queue.CompleteAdding();
                    _stop.Cancel();
                    using (_stop)
                    {
                    }
                }

                private void Send()
                {
                    while (!_queue.IsCompleted)
                    {
                        try
                        {
                            Console.WriteLine(_queue.Take(_stop.Token));
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task Catch_in_a_loop_whose_condition_is_ended_after_the_cancel_or_not_on_every_cancel_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Listener
            {
                private readonly CancellationTokenSource _cts = new();
                private bool _stopping;

                public void Stop()
                {
                    _cts.Cancel();
                    _stopping = true;
                }

                private async Task AcceptAsync()
                {
                    while (!_stopping)
                    {
                        try
                        {
                            await Task.Delay(1000, _cts.Token);
                        }
                        catch ({|#0:Exception|})
                        {
                            Console.WriteLine("accept failed");
                        }
                    }
                }
            }

            class Poller
            {
                private readonly CancellationTokenSource _cts = new();
                private bool _paused;

                public void Stop()
                {
                    _paused = false;
                    _cts.Cancel();
                }

                private async Task PollAsync()
                {
                    while (!_paused)
                    {
                        try
                        {
                            await Task.Delay(1000, _cts.Token);
                        }
                        catch ({|#1:OperationCanceledException|})
                        {
                        }
                    }
                }
            }

            class Reader
            {
                private readonly CancellationTokenSource _cts = new();
                private bool _closed;

                public void Close()
                {
                    _closed = true;
                    _cts.Cancel();
                }

                public void Abandon() => _cts.Cancel();

                private async Task ReadAsync()
                {
                    while (!_closed)
                    {
                        try
                        {
                            await Task.Delay(1000, _cts.Token);
                        }
                        catch ({|#2:OperationCanceledException|})
                        {
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(0).WithArguments("catch (Exception)", "_cts"),
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(1).WithArguments("catch (OperationCanceledException)", "_cts"),
            Verify.Diagnostic(Descriptors.CancellationSwallowed).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithLocation(2).WithArguments("catch (OperationCanceledException)", "_cts"));
}
