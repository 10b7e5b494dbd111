using GracefulStop.Analyzers.Analysis;

namespace GracefulStop.Tests.Analysis;

public sealed class TokenObservationTests
{
    private static AnalysisSource Loop(string body, string members = "") => new($$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private CancellationTokenSource _cts = new();
            {{members}}
            async Task M(CancellationToken token, IAsyncEnumerable<int> items)
            {
                /*here*/while (true)
                {
                    {{body}}
                }
            }
            static void Use(CancellationToken t) { }
        }
        """);

    [Theory]
    [InlineData("if (token.IsCancellationRequested) break;")]
    [InlineData("token.ThrowIfCancellationRequested();")]
    [InlineData("token.WaitHandle.WaitOne(100);")]
    [InlineData("using var r = token.Register(() => { });")]
    [InlineData("await Task.Delay(100, token);")]
    [InlineData("Use(token);")]
    [InlineData("await foreach (var i in items.WithCancellation(token)) { }")]
    [InlineData("using var linked = CancellationTokenSource.CreateLinkedTokenSource(token);")]
    [InlineData("var copy = token; Use(copy);")]
    public void Observing_the_parameter(string body)
    {
        var source = Loop(body);
        var loop = source.MarkedLoop();
        var token = source.Compilation.GetTypeByMetadataName("C")!.GetMembers("M").OfType<Microsoft.CodeAnalysis.IMethodSymbol>().Single().Parameters[0];
        Assert.True(TokenObservation.Observes(loop, token, source.Types));
        Assert.True(TokenObservation.ObservesAnyCancellation(loop, source.Types));
        Assert.True(LoopClassifier.Analyze(loop, source.Types).ObservesCancellation);
    }

    [Theory]
    [InlineData("if (_cts.IsCancellationRequested) break;")]
    [InlineData("Use(_cts.Token);")]
    [InlineData("_cts.Token.ThrowIfCancellationRequested();")]
    [InlineData("if (_cts?.IsCancellationRequested == true) break;")]
    public void Observing_the_source_field(string body)
    {
        var source = Loop(body);
        var loop = source.MarkedLoop();
        var tokens = TokenScope.GetTokens(loop, source.ContainingMember(loop), source.Types);
        var cts = tokens.Single(t => t.IsSource);
        Assert.True(TokenObservation.Observes(loop, cts.Symbol, source.Types));
        Assert.True(TokenObservation.ObservesAny(loop, tokens, source.Types));
        Assert.True(TokenObservation.ObservesAnyCancellation(loop, source.Types));
    }

    [Theory]
    [InlineData("Thread.Sleep(10);")]
    [InlineData("if (token.CanBeCanceled) break;")]
    [InlineData("Use(CancellationToken.None);")]
    [InlineData("Use(default);")]
    [InlineData("_cts.Cancel();")]
    [InlineData("if (token == CancellationToken.None) break;")]
    public void Not_observing(string body)
    {
        var source = Loop(body);
        var loop = source.MarkedLoop();
        var tokens = TokenScope.GetTokens(loop, source.ContainingMember(loop), source.Types);
        Assert.False(TokenObservation.ObservesAny(loop, tokens, source.Types));
        Assert.False(TokenObservation.ObservesAnyCancellation(loop, source.Types));
        Assert.False(LoopClassifier.Analyze(loop, source.Types).ObservesCancellation);
    }

    [Fact]
    public void Callee_of_the_same_type_that_checks_the_field_may_observe()
    {
        var source = Loop("Step();", "void Step() { if (_cts.IsCancellationRequested) return; }");
        var loop = source.MarkedLoop();
        var tokens = TokenScope.GetTokens(loop, source.ContainingMember(loop), source.Types);
        Assert.False(TokenObservation.ObservesAny(loop, tokens, source.Types));
        Assert.True(TokenObservation.CalleesMayObserve(loop, tokens, source.Compilation.GetTypeByMetadataName("C")));
    }

    [Fact]
    public void Callee_that_does_not_mention_cancellation_does_not_observe()
    {
        var source = Loop("Step();", "void Step() { Console.WriteLine(); }");
        var loop = source.MarkedLoop();
        var tokens = TokenScope.GetTokens(loop, source.ContainingMember(loop), source.Types);
        Assert.False(TokenObservation.CalleesMayObserve(loop, tokens, source.Compilation.GetTypeByMetadataName("C")));
    }
}
