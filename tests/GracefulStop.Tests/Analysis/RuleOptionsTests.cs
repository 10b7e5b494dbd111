using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Analysis;

public sealed class RuleOptionsTests
{
    private static readonly SyntaxTree TreeA = CSharpSyntaxTree.ParseText("class A { }", path: "/src/A.cs");
    private static readonly SyntaxTree TreeB = CSharpSyntaxTree.ParseText("class B { }", path: "/src/B.cs");

    /// <summary>Options as the compiler produces them from real .editorconfig text, per tree.</summary>
    private static AnalyzerOptions FromEditorConfig(string editorConfig)
    {
        var config = AnalyzerConfig.Parse(editorConfig, "/src/.editorconfig");
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(config));
        var provider = new TestProvider(new[] { TreeA, TreeB }.ToImmutableDictionary(
            t => t,
            t => (AnalyzerConfigOptions)new TestOptions(set.GetOptionsForSourcePath(t.FilePath).AnalyzerOptions)));
        return new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, provider);
    }

    [Fact]
    public void Rule_key_is_read_in_any_case()
    {
        var options = RuleOptions.Get(FromEditorConfig("root = true\n[*.cs]\nGracefulStop.GS0005.Short_Wait_Ms = 50\n"));

        Assert.Equal(50, options.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        Assert.Equal("gracefulstop.gs0005.short_wait_ms", RuleOptions.Key("GS0005", "short_wait_ms"));
    }

    [Fact]
    public void Shared_key_applies_when_the_rule_key_is_absent_and_the_rule_key_wins_over_it()
    {
        var options = RuleOptions.Get(FromEditorConfig("""
            root = true
            [*.cs]
            gracefulstop.short_wait_ms = 20
            gracefulstop.GS0003.short_wait_ms = 30
            """));

        Assert.Equal(20, options.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        Assert.Equal(30, options.GetInt32(TreeA, "GS0003", "short_wait_ms", 100));
        Assert.Equal(20, options.GetInt32(TreeA, null, "short_wait_ms", 100));
    }

    [Fact]
    public void Absent_keys_keep_the_defaults()
    {
        var options = RuleOptions.Get(FromEditorConfig("root = true\n"));

        Assert.Equal(100, options.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        Assert.True(options.GetBoolean(TreeA, "GS0004", "background_fix", true));
        Assert.Null(options.GetString(TreeA, "GS0004", "mode"));
        Assert.Empty(options.GetList(TreeA, "GS0005", "extra_methods"));
        Assert.Equal("token", options.GetChoice(TreeA, "GS0007", "fix", ImmutableArray.Create("token", "event"), "token"));
    }

    [Theory]
    [InlineData("fifty", 100)]
    [InlineData("50ms", 100)]
    [InlineData("99999999999", 100)]
    [InlineData("-5", 100)]
    [InlineData("1.5", 100)]
    [InlineData(" 60 ", 60)]
    [InlineData("", 7)]
    public void Bad_or_out_of_range_numbers_keep_the_default_and_an_empty_value_counts_as_unset(string value, int expected)
    {
        // An unreadable rule value keeps the default rather than silently taking the shared one (7).
        var options = RuleOptions.Get(FromEditorConfig($"root = true\n[*.cs]\ngracefulstop.GS0005.short_wait_ms = {value}\ngracefulstop.short_wait_ms = 7\n"));

        Assert.Equal(expected, options.GetInt32(TreeA, "GS0005", "short_wait_ms", 100, minimum: 0, maximum: 60_000));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" false ", false)]
    [InlineData("yes please", true)]
    [InlineData("0", true)]
    public void Booleans_are_true_or_false_in_any_case_else_the_default(string value, bool expected)
    {
        var options = RuleOptions.Get(FromEditorConfig($"root = true\n[*.cs]\ngracefulstop.GS0004.background_fix = {value}\n"));

        Assert.Equal(expected, options.GetBoolean(TreeA, "GS0004", "background_fix", defaultValue: true));
    }

    [Fact]
    public void Choices_match_in_any_case_and_unknown_choices_keep_the_default()
    {
        var options = RuleOptions.Get(FromEditorConfig("""
            root = true
            [A.cs]
            gracefulstop.GS0007.fix = EVENT
            [B.cs]
            gracefulstop.GS0007.fix = semaphore
            """));
        var choices = ImmutableArray.Create("token", "event", "volatile");

        Assert.Equal("event", options.GetChoice(TreeA, "GS0007", "fix", choices, "token"));
        Assert.Equal("token", options.GetChoice(TreeB, "GS0007", "fix", choices, "token"));
    }

    [Fact]
    public void Lists_split_on_commas_and_drop_empty_items()
    {
        var options = RuleOptions.Get(FromEditorConfig("root = true\n[*.cs]\ngracefulstop.GS0005.extra_methods = Foo.Wait, Bar.Take,,  Baz.Get ,\n"));

        Assert.Equal(new[] { "Foo.Wait", "Bar.Take", "Baz.Get" }, options.GetList(TreeA, "GS0005", "extra_methods"));
    }

    [Fact]
    public void Options_are_per_tree()
    {
        var options = RuleOptions.Get(FromEditorConfig("""
            root = true
            [A.cs]
            gracefulstop.GS0005.short_wait_ms = 10
            [B.cs]
            gracefulstop.GS0005.short_wait_ms = 20
            """));

        Assert.Equal(10, options.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        Assert.Equal(20, options.GetInt32(TreeB, "GS0005", "short_wait_ms", 100));
    }

    [Fact]
    public void A_peeked_value_is_the_trimmed_value_of_the_full_key_of_that_tree_and_blank_counts_as_unset()
    {
        var options = RuleOptions.Get(FromEditorConfig("""
            root = true
            [A.cs]
            gracefulstop.blocking_methods =  M:Store.Flush, M:Store.Save  
            [B.cs]
            gracefulstop.blocking_methods =
            """));

        Assert.Equal("M:Store.Flush, M:Store.Save", options.PeekString(TreeA, BlockingOptions.BlockingMethodsKey));
        Assert.Null(options.PeekString(TreeB, BlockingOptions.BlockingMethodsKey));
        Assert.Null(options.PeekString(TreeA, "gracefulstop.gs0006.default_timeout_seconds"));
        Assert.Equal(options.GetString(TreeA, null, "blocking_methods"), options.PeekString(TreeA, BlockingOptions.BlockingMethodsKey));
    }

    [Fact]
    public void Each_tree_is_read_once_and_each_value_parsed_once_per_compilation()
    {
        var counting = new CountingOptions(new Dictionary<string, string> { ["gracefulstop.gs0005.short_wait_ms"] = "42" });
        var provider = new TestProvider(ImmutableDictionary<SyntaxTree, AnalyzerConfigOptions>.Empty.Add(TreeA, counting));
        var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, provider);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(42, RuleOptions.Get(analyzerOptions).GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        }

        Assert.Same(RuleOptions.Get(analyzerOptions), RuleOptions.Get(analyzerOptions));
        Assert.Equal(1, provider.GetOptionsCalls);
        Assert.Equal(1, counting.Lookups);
    }

    [Fact]
    public void A_new_compilation_sees_changed_options()
    {
        var first = RuleOptions.Get(FromEditorConfig("root = true\n[*.cs]\ngracefulstop.GS0005.short_wait_ms = 10\n"));
        var second = RuleOptions.Get(FromEditorConfig("root = true\n[*.cs]\ngracefulstop.GS0005.short_wait_ms = 20\n"));

        Assert.Equal(10, first.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
        Assert.Equal(20, second.GetInt32(TreeA, "GS0005", "short_wait_ms", 100));
    }

    [Fact]
    public void Reading_is_safe_from_many_threads()
    {
        var options = RuleOptions.Get(FromEditorConfig("root = true\n[*.cs]\ngracefulstop.GS0005.short_wait_ms = 33\n"));

        Parallel.For(0, 1000, i =>
        {
            var tree = i % 2 == 0 ? TreeA : TreeB;
            Assert.Equal(33, options.GetInt32(tree, "GS0005", "short_wait_ms", 100));
        });
    }

    private sealed class TestProvider : AnalyzerConfigOptionsProvider
    {
        private readonly ImmutableDictionary<SyntaxTree, AnalyzerConfigOptions> _trees;
        private int _getOptionsCalls;

        public TestProvider(ImmutableDictionary<SyntaxTree, AnalyzerConfigOptions> trees) => _trees = trees;

        public int GetOptionsCalls => _getOptionsCalls;

        public override AnalyzerConfigOptions GlobalOptions => TestOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree)
        {
            Interlocked.Increment(ref _getOptionsCalls);
            return _trees.TryGetValue(tree, out var options) ? options : TestOptions.Empty;
        }

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => TestOptions.Empty;
    }

    private sealed class TestOptions : AnalyzerConfigOptions
    {
        public static readonly TestOptions Empty = new(ImmutableDictionary<string, string>.Empty);

        private readonly ImmutableDictionary<string, string> _values;

        public TestOptions(ImmutableDictionary<string, string> values) => _values = values.WithComparers(KeyComparer);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            _values.TryGetValue(key, out value);
    }

    private sealed class CountingOptions : AnalyzerConfigOptions
    {
        private readonly Dictionary<string, string> _values;
        private int _lookups;

        public CountingOptions(Dictionary<string, string> values) => _values = values;

        public int Lookups => _lookups;

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            Interlocked.Increment(ref _lookups);
            return _values.TryGetValue(key, out value);
        }
    }
}
