using GracefulStop.Analyzers.Analysis;

namespace GracefulStop.Tests.Analysis;

public sealed class TokenScopeTests
{
    private static string[] Expressions(IReadOnlyList<TokenInScope> tokens) => tokens.Select(t => t.Expression).ToArray();

    [Fact]
    public void Parameter_comes_before_local_and_fields()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class C
            {
                private readonly CancellationTokenSource _cts = new();
                private CancellationToken _token;
                void M(CancellationToken cancellationToken)
                {
                    var local = cancellationToken;
                    /*here*/while (true) { }
                }
            }
            """);
        var tokens = source.Tokens();
        Assert.Equal(new[] { "cancellationToken", "local", "_cts.Token", "_token" }, Expressions(tokens));
        Assert.Equal(new[] { TokenOrigin.Parameter, TokenOrigin.Local, TokenOrigin.Field, TokenOrigin.Field }, tokens.Select(t => t.Origin));
        Assert.True(tokens[2].IsSource);
        Assert.Equal("_cts", tokens[2].CheckExpression);
    }

    [Fact]
    public void Lambda_parameter_is_innermost_and_outer_tokens_are_captured()
    {
        var source = new AnalysisSource("""
            using System;
            using System.Threading;
            class C
            {
                void M(CancellationToken outer)
                {
                    var cts = new CancellationTokenSource();
                    Action<CancellationToken> a = inner =>
                    {
                        /*here*/while (true) { }
                    };
                }
            }
            """);
        var tokens = source.Tokens();
        Assert.Equal(new[] { "inner", "outer", "cts.Token" }, Expressions(tokens));
        Assert.False(tokens[0].IsCaptured);
        Assert.True(tokens[1].IsCaptured);
        Assert.True(tokens[2].IsCaptured);
    }

    [Fact]
    public void Locals_declared_later_or_in_other_blocks_are_not_in_scope()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class C
            {
                void M(bool b)
                {
                    if (b) { var elsewhere = new CancellationTokenSource(); }
                    /*here*/while (true) { }
                    var later = new CancellationTokenSource();
                }
            }
            """);
        Assert.Empty(source.Tokens());
    }

    [Fact]
    public void Local_function_sees_its_parameters_and_captured_locals()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class C
            {
                void M()
                {
                    using var cts = new CancellationTokenSource();
                    Run(cts.Token);
                    void Run(CancellationToken token)
                    {
                        /*here*/for (;;) { }
                    }
                }
            }
            """);
        Assert.Equal(new[] { "token", "cts.Token" }, Expressions(source.Tokens()));
    }

    [Fact]
    public void Static_method_and_static_lambda_do_not_see_instance_members_or_captures()
    {
        var source = new AnalysisSource("""
            using System;
            using System.Threading;
            class C
            {
                private CancellationTokenSource _instance = new();
                private static CancellationTokenSource s_shared = new();
                static void M(CancellationToken outer)
                {
                    /*here*/while (true) { }
                }
                void N(CancellationToken outer)
                {
                    Action a = static () =>
                    {
                        /*here*/while (true) { }
                    };
                }
            }
            """);
        Assert.Equal(new[] { "outer", "s_shared.Token" }, Expressions(source.Tokens(0)));
        Assert.Equal(new[] { "s_shared.Token" }, Expressions(source.Tokens(1)));
    }

    [Fact]
    public void Hidden_member_is_written_with_this_and_properties_count()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class Base
            {
                protected CancellationToken Inherited { get; }
                private CancellationToken _private;
            }
            class C : Base
            {
                public CancellationToken Token { get; set; }
                void M(string Token)
                {
                    /*here*/while (true) { }
                }
            }
            """);
        var tokens = source.Tokens();
        Assert.Equal(new[] { "this.Token", "Inherited" }, Expressions(tokens));
        Assert.All(tokens, t => Assert.Equal(TokenOrigin.Property, t.Origin));
    }

    [Fact]
    public void StoppingToken_of_ExecuteAsync_override_is_marked()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            using System.Threading.Tasks;
            namespace Microsoft.Extensions.Hosting
            {
                public abstract class BackgroundService
                {
                    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
                }
            }
            class Worker : Microsoft.Extensions.Hosting.BackgroundService
            {
                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    /*here*/while (true) { await Task.Yield(); }
                }
            }
            """);
        var token = Assert.Single(source.Tokens());
        Assert.True(token.IsStoppingToken);
        Assert.Equal("stoppingToken", token.Expression);
    }

    [Fact]
    public void Foreach_variable_and_using_statement_local_are_in_scope_inside_only()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class C
            {
                void M(CancellationToken[] tokens)
                {
                    foreach (var t in tokens)
                    {
                        /*here*/while (true) { }
                    }
                    using (var cts = new CancellationTokenSource())
                    {
                        /*here*/while (true) { }
                    }
                    /*here*/while (true) { }
                }
            }
            """);
        Assert.Equal(new[] { "t" }, Expressions(source.Tokens(0)));
        Assert.Equal(new[] { "cts.Token" }, Expressions(source.Tokens(1)));
        Assert.Empty(source.Tokens(2));
    }

    [Fact]
    public void Nullable_source_field_may_be_null_and_out_parameters_are_skipped()
    {
        var source = new AnalysisSource("""
            using System.Threading;
            class C
            {
                private CancellationTokenSource? _cts;
                void M(out CancellationToken token)
                {
                    /*here*/while (true) { }
                }
            }
            """);
        var token = Assert.Single(source.Tokens());
        Assert.True(token.MayBeNull);
        Assert.Equal("_cts.Token", token.Expression);
    }
}
