using GracefulStop.Analyzers.Analysis;

namespace GracefulStop.Tests.Analysis;

public sealed class LoopClassifierTests
{
    private static LoopInfo Analyze(string statements, string members = "")
    {
        var source = new AnalysisSource($$"""
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                {{members}}
                async Task<int> M(int n, List<int> list, int[] array, IEnumerable<int> sequence, BlockingCollection<int> queue, Stream stream, ManualResetEvent signal)
                {
                    {{statements}}
                    return 0;
                }
            }
            """);
        return LoopClassifier.Analyze(source.MarkedLoop(), source.Types);
    }

    [Theory]
    [InlineData("/*here*/while (true) { }")]
    [InlineData("/*here*/for (;;) { }")]
    [InlineData("/*here*/do { } while (true);")]
    [InlineData("/*here*/for (var i = 0; true; i++) { }")]
    public void Endless_loops(string loop)
    {
        var info = Analyze(loop);
        Assert.True(info.IsEndless);
        Assert.Equal(LoopCategory.Endless, info.Kind);
        Assert.False(info.HasOwnExit);
    }

    [Theory]
    [InlineData("/*here*/for (var i = 0; i < n; i++) { }")]
    [InlineData("var i = 0; /*here*/while (i < n) { i++; }")]
    [InlineData("var i = n; /*here*/while (i > 0) { i -= 2; }")]
    [InlineData("var k = 0; /*here*/do { k++; } while (k != n);")]
    public void Bounded_counting_loops(string loop)
    {
        var info = Analyze(loop);
        Assert.True(info.IsBoundedCounting);
        Assert.Equal(LoopCategory.BoundedCounting, info.Kind);
    }

    [Fact]
    public void A_while_on_a_variable_the_body_never_changes_is_not_bounded()
    {
        var info = Analyze("var i = 0; /*here*/while (i < n) { Console.WriteLine(i); }");
        Assert.False(info.IsBoundedCounting);
        Assert.Equal(LoopCategory.Other, info.Kind);
    }

    [Theory]
    [InlineData("/*here*/foreach (var x in list) { }")]
    [InlineData("/*here*/foreach (var x in array) { }")]
    [InlineData("/*here*/foreach (var x in sequence) { }")]
    [InlineData("/*here*/foreach (var x in list.Where(v => v > 0)) { }")]
    [InlineData("/*here*/foreach (var c in \"text\") { }")]
    public void In_memory_iteration(string loop)
    {
        var info = Analyze(loop);
        Assert.True(info.IsInMemoryIteration);
        Assert.Equal(LoopCategory.InMemoryIteration, info.Kind);
    }

    [Theory]
    [InlineData("/*here*/foreach (var x in queue.GetConsumingEnumerable()) { }", LongRunningReasons.Blocks)]
    [InlineData("/*here*/foreach (var line in File.ReadLines(\"f\")) { }", LongRunningReasons.DoesIO)]
    [InlineData("/*here*/foreach (var x in list) { Thread.Sleep(10); }", LongRunningReasons.Sleeps)]
    [InlineData("/*here*/foreach (var x in list) { await Task.Yield(); }", LongRunningReasons.Awaits)]
    [InlineData("/*here*/for (var i = 0; i < n; i++) { stream.ReadByte(); }", LongRunningReasons.DoesIO)]
    [InlineData("var i = 0; /*here*/while (i < n) { signal.WaitOne(); i++; }", LongRunningReasons.Blocks)]
    [InlineData("/*here*/while (n > 0) { _ = Task.FromResult(1).Result; }", LongRunningReasons.Blocks)]
    public void Long_running_loops(string loop, LongRunningReasons reason)
    {
        var info = Analyze(loop);
        Assert.True(info.LongRunning.HasFlag(reason), info.LongRunning.ToString());
        Assert.Equal(LoopCategory.LongRunning, info.Kind);
        Assert.NotNull(info.FirstLongRunningOperation);
    }

    [Fact]
    public void Work_inside_a_lambda_does_not_make_the_loop_long_running()
    {
        var info = Analyze("/*here*/foreach (var x in list) { Action a = () => Thread.Sleep(10); }");
        Assert.False(info.IsLongRunning);
    }

    [Theory]
    [InlineData("/*here*/while (true) { if (n > 0) break; }")]
    [InlineData("/*here*/while (true) { if (n > 0) return 1; }")]
    [InlineData("/*here*/while (true) { throw new InvalidOperationException(); }")]
    [InlineData("/*here*/while (true) { try { } catch { throw; } }")]
    [InlineData("/*here*/while (true) { if (n > 0) goto done; } done: ;")]
    [InlineData("/*here*/while (true) { Environment.Exit(1); }")]
    [InlineData("/*here*/while (true) { for (;;) { return 2; } }")]
    public void Own_exits(string loop)
    {
        Assert.True(Analyze(loop).HasOwnExit);
    }

    [Theory]
    [InlineData("/*here*/while (true) { for (;;) { break; } }")]
    [InlineData("/*here*/while (true) { switch (n) { case 1: break; } }")]
    [InlineData("/*here*/while (true) { Func<int> f = () => { return 1; }; }")]
    [InlineData("/*here*/while (true) { try { throw new Exception(); } catch (Exception) { } }")]
    [InlineData("/*here*/while (true) { Local(); void Local() { return; } }")]
    [InlineData("/*here*/while (true) { continue; }")]
    public void Not_own_exits(string loop)
    {
        Assert.False(Analyze(loop).HasOwnExit);
    }

    [Theory]
    [InlineData("/*here*/while (true) { Thread.Sleep(100); }", "Sleep")]
    [InlineData("/*here*/while (true) { queue.Take(); }", "Take")]
    [InlineData("/*here*/while (true) { await Task.Delay(100); }", "Delay")]
    [InlineData("/*here*/while (true) { await stream.ReadAsync(new byte[1], 0, 1); }", "ReadAsync")]
    [InlineData("/*here*/while (true) { await Work(); }", "Work")]
    public void Calls_that_could_take_a_token(string loop, string method)
    {
        var info = Analyze(loop, "System.Threading.Tasks.Task Work(System.Threading.CancellationToken ct = default) => Task.CompletedTask;");
        Assert.Equal(method, info.FirstCallThatCouldTakeToken?.TargetMethod.Name);
    }

    [Theory]
    [InlineData("/*here*/while (true) { stream.ReadByte(); }")]
    [InlineData("/*here*/while (true) { Console.WriteLine(); }")]
    [InlineData("/*here*/while (true) { Action a = () => Thread.Sleep(1); }")]
    public void Calls_that_cannot_take_a_token(string loop)
    {
        Assert.Null(Analyze(loop).FirstCallThatCouldTakeToken);
    }

    [Theory]
    [InlineData("/*here*/while (true) { if (n > 0) break; }")]
    [InlineData("/*here*/while (true) { if (n > 0) return 1; }")]
    [InlineData("/*here*/while (true) { if (n > 0) throw new InvalidOperationException(); }")]
    [InlineData("/*here*/while (true) { var x = list.Count > 0 ? 1 : throw new InvalidOperationException(); }")]
    [InlineData("/*here*/while (true) { try { } catch (IOException) { throw; } }")]
    [InlineData("/*here*/while (true) { try { } finally { if (n > 0) throw new InvalidOperationException(); } }")]
    [InlineData("/*here*/for (;;) { switch (n) { case 1: break; } if (n > 2) break; }")]
    public void Exits_that_syntax_shows_are_exits_the_walk_finds(string loop)
    {
        var source = Source(loop);
        Assert.True(LoopClassifier.HasExitSyntax(source.MarkedLoop()));
        Assert.True(LoopClassifier.Analyze(source.MarkedLoop(), source.Types).HasOwnExit);
    }

    [Theory]
    [InlineData("/*here*/while (true) { Thread.Sleep(10); }")]
    [InlineData("/*here*/while (true) { switch (n) { case 1: break; } }")]
    [InlineData("/*here*/while (true) { foreach (var x in list) { if (x > 0) break; } }")]
    [InlineData("/*here*/while (true) { try { throw new InvalidOperationException(); } catch (InvalidOperationException) { } }")]
    [InlineData("/*here*/while (true) { Action a = () => throw new InvalidOperationException(); Func<int> f = () => { return 1; }; }")]
    [InlineData("/*here*/while (true) { void Local() { return; } Local(); }")]
    public void Loops_without_an_exit_in_syntax(string loop)
    {
        Assert.False(LoopClassifier.HasExitSyntax(Source(loop).MarkedLoop()));
    }

    private static AnalysisSource Source(string statements) => new($$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        class C
        {
            int M(int n, List<int> list)
            {
                {{statements}}
                return 0;
            }
        }
        """);
}
