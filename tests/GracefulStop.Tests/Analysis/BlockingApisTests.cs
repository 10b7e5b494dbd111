using GracefulStop.Tests.Harness;
using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Tests.Analysis;

public sealed class BlockingApisTests
{
    private const string Source = """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            public void Flush<T>(T value) { }
            public void Flush<T>(T value, CancellationToken token) { }
            public void Save(int a) { }
            public void Save(long a, CancellationToken token) { }
        }

        class C
        {
            void M(Task task, BlockingCollection<int> queue, AutoResetEvent signal, Store store)
            {
                /*here*/task.Wait();
                /*here*/queue.Take();
                /*here*/signal.WaitOne(Timeout.Infinite);
                /*here*/signal.WaitOne(250);
                /*here*/store.Flush(1);
                /*here*/store.Save(1);
                /*here*/Thread.Sleep(System.TimeSpan.FromSeconds(2));
            }
        }
        """;

    [Fact]
    public void Every_row_of_the_table_matches_a_method_in_net8()
    {
        var source = new AnalysisSource("class Empty { }");
        foreach (var row in BlockingApis.Table)
        {
            var type = source.Compilation.GetTypeByMetadataName(row.TypeMetadataName);
            Assert.True(type is not null, row.TypeMetadataName);
            Assert.Contains(type!.GetMembers(row.MethodName), m => m is IMethodSymbol);
        }
    }

    [Fact]
    public void Wait_forever_names_are_exactly_those_of_the_rows_that_can_wait_forever()
    {
        foreach (var row in BlockingApis.Table)
        {
            Assert.Equal(
                BlockingApis.Table.Any(r => r.CanWaitForever && r.MethodName == row.MethodName),
                BlockingApis.IsWaitForeverName(row.MethodName));
        }

        foreach (var name in new[] { string.Empty, "W", "Wai", "Waits", "wait", "WAIT", "Sleep2", "_Sleep", "Ŵait", "Take\u0000", new string('W', 70) })
        {
            Assert.False(BlockingApis.IsWaitForeverName(name), name);
        }
    }

    [Fact]
    public void Async_replacements_exist_in_net8_but_not_in_net472()
    {
        var net8 = BlockingApis.Get(new AnalysisSource("class Empty { }").Compilation);
        var accept = BlockingApis.Table.Single(r => r.Display == "TcpListener.AcceptTcpClient");
        Assert.True(net8.IsAsyncReplacementAvailable(accept));

        var net472 = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("t", references: Harness.TestReferences.Net472.References);
        Assert.False(BlockingApis.Get(net472).IsAsyncReplacementAvailable(accept));
    }

    [Fact]
    public void Calls_are_matched_to_their_row_token_overload_and_timeout()
    {
        var source = new AnalysisSource(Source);
        var apis = BlockingApis.Get(source.Compilation);
        BlockingCall Call(int index)
        {
            var invocation = (IInvocationOperation)((IExpressionStatementOperation)source.Marked(index)).Operation;
            return apis.Match(invocation, source.ContainingMember(invocation), string.Empty);
        }

        var wait = Call(0);
        Assert.Equal("Task.Wait", wait.Api!.Display);
        Assert.NotNull(wait.TokenOverload);
        Assert.True(wait.WaitsForever);

        var take = Call(1);
        Assert.Equal("BlockingCollection.Take", take.Api!.Display);
        Assert.NotNull(take.TokenOverload);

        Assert.True(Call(2).WaitsForever);
        var timed = Call(3);
        Assert.False(timed.WaitsForever);
        Assert.Equal(250, timed.ConstantTimeoutMs);
        Assert.Equal(BlockingReplacement.WaitAnyWithToken, timed.Replacement);

        var generic = Call(4);
        Assert.Null(generic.Api);
        Assert.Equal(BlockingReplacement.TokenOverload, generic.Replacement);

        Assert.False(Call(5).IsValid); // Save(long, token) does not take the same parameters
        Assert.Equal(2000, Call(6).ConstantTimeoutMs);
    }

    [Fact]
    public void The_token_overload_lookup_is_cached_per_method()
    {
        var source = new AnalysisSource(Source);
        var apis = BlockingApis.Get(source.Compilation);
        var flush = source.Compilation.GetTypeByMetadataName("Store")!.GetMembers("Flush").OfType<IMethodSymbol>().First(m => m.Parameters.Length == 1);
        Assert.Same(apis.FindTokenOverload(flush), apis.FindTokenOverload(flush));
        Assert.Same(apis, BlockingApis.Get(source.Compilation));
    }

    [Theory]
    [InlineData("250", 250)]
    [InlineData("0", 0)]
    [InlineData("-5", BlockingOptions.DefaultShortWaitThresholdMs)]
    [InlineData("fast", BlockingOptions.DefaultShortWaitThresholdMs)]
    [InlineData("", BlockingOptions.DefaultShortWaitThresholdMs)]
    [InlineData("99999999999", BlockingOptions.DefaultShortWaitThresholdMs)]
    public void Short_wait_threshold_keeps_the_default_for_invalid_values(string value, int expected) =>
        Assert.Equal(expected, Read(BlockingOptions.ShortWaitThresholdKey, value).ShortWaitThresholdMs);

    [Theory]
    [InlineData("10", 10)]
    [InlineData("0", BlockingOptions.DefaultTimeoutSeconds)]
    [InlineData("1.5", BlockingOptions.DefaultTimeoutSeconds)]
    [InlineData("3000000", BlockingOptions.DefaultTimeoutSeconds)]
    public void Default_timeout_keeps_the_default_for_invalid_values(string value, int expected) =>
        Assert.Equal(expected, Read(BlockingOptions.DefaultTimeoutKey, value).TimeoutSeconds);

    [Fact]
    public void Blocking_method_ids_split_on_separators_outside_parentheses()
    {
        var ids = BlockingOptions.SplitIds("M:A.B.Read(System.Int32,System.String), M:A.B.Close,T:NotAMethod  M:A.C.Wait").ToList();
        Assert.Equal(new[] { "M:A.B.Read(System.Int32,System.String)", "M:A.B.Close", "M:A.C.Wait" }, ids);
    }

    private static BlockingOptions Read(string key, string value)
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C { }");
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new Provider(new Options((key.ToLowerInvariant(), value))));
        return BlockingOptions.Read(options, tree);
    }

    private sealed class Provider(AnalyzerConfigOptions options) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;
    }

    private sealed class Options(params (string Key, string Value)[] values) : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values = values.ToImmutableDictionary(v => v.Key, v => v.Value);

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
