using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Tests.Analysis;

public sealed class ThreadWorkTests
{
    [Theory]
    [InlineData("new Thread(() => { /*here*/while (true) { } }).Start();", ThreadStartKind.NewThread)]
    [InlineData("Task.Run(() => { /*here*/while (true) { } });", ThreadStartKind.TaskRun)]
    [InlineData("Task.Run(async () => { /*here*/while (true) { await Task.Yield(); } });", ThreadStartKind.TaskRun)]
    [InlineData("Task.Factory.StartNew(() => { /*here*/while (true) { } }, TaskCreationOptions.LongRunning);", ThreadStartKind.TaskFactoryStartNew)]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { /*here*/while (true) { } });", ThreadStartKind.ThreadPool)]
    [InlineData("Parallel.Invoke(() => { }, () => { /*here*/while (true) { } });", ThreadStartKind.Parallel)]
    [InlineData("new Thread(delegate () { /*here*/while (true) { } }).Start();", ThreadStartKind.NewThread)]
    public void Loop_inside_work_lambda_runs_on_its_own_thread(string statement, ThreadStartKind kind)
    {
        var source = Source(statement);
        var work = ThreadStartSites.GetEnclosingWork(source.Marked(), source.Types);
        Assert.True(work.IsValid);
        Assert.Equal(kind, work.Kind);
        Assert.NotNull(work.Lambda);
    }

    [Theory]
    [InlineData("Action a = () => { /*here*/while (true) { } };")]
    [InlineData("new Thread(() => { Action a = () => { /*here*/while (true) { } }; }).Start();")]
    [InlineData("new Thread(() => { Local(); void Local() { /*here*/while (true) { } } }).Start();")]
    [InlineData("/*here*/while (true) { }")]
    public void Loop_elsewhere_is_not_thread_work(string statement)
    {
        var source = Source(statement);
        Assert.False(ThreadStartSites.GetEnclosingWork(source.Marked(), source.Types).IsValid);
    }

    [Fact]
    public void Work_methods_collects_method_groups_and_methods_a_lambda_merely_calls()
    {
        var source = Source("""
            new Thread(Loop).Start();
            Task.Run(() => Pump(1));
            new Thread(new ThreadStart(Other)).Start();
            Task.Run(() => { Pump(2); Pump(3); });
            """);
        var methods = new ThreadWorkMethods();
        foreach (var operation in source.Model.GetOperation(source.Tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First())!.DescendantsAndSelf())
        {
            methods.AddStartSite(operation, source.Types);
        }

        var type = source.Compilation.GetTypeByMetadataName("C")!;
        Assert.True(methods.TryGetWork((IMethodSymbol)type.GetMembers("Loop").Single(), out var loop));
        Assert.Equal(ThreadStartKind.NewThread, loop.Kind);
        Assert.True(methods.TryGetWork((IMethodSymbol)type.GetMembers("Pump").Single(), out var pump));
        Assert.Equal(ThreadStartKind.TaskRun, pump.Kind);
        Assert.True(methods.TryGetWork((IMethodSymbol)type.GetMembers("Other").Single(), out _));
        Assert.False(methods.TryGetWork((IMethodSymbol)type.GetMembers("NotWork").Single(), out _));
    }

    [Fact]
    public void The_name_pre_check_of_work_agrees_with_the_type_model_for_every_method()
    {
        // Every shape a start site names its work by: a method group (bare, this., generic), a wrapped delegate, the
        // one call of a lambda, a helper that hands its delegate parameter to a thread.
        var source = new AnalysisSource("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                void M()
                {
                    new Thread(Loop).Start();
                    new Thread(this.Pump).Start();
                    Task.Run(Generic<int>);
                    new Thread(new ThreadStart(Wrapped)).Start();
                    Task.Run(() => Called(1));
                    Start(Helped);
                    Action notStarted = Stored;
                    NotWork();
                }
                static void Start(Action work) => new Thread(() => work()).Start();
                void Loop() { }
                void Pump() { }
                void Generic<T>() { }
                void Wrapped() { }
                void Called(int i) { }
                void Helped() { }
                void Stored() { }
                void NotWork() { }
                void NeverNamed() { }
            }
            """);
        var model = StopModel.Get(source.Compilation);
        var type = source.Compilation.GetTypeByMetadataName("C")!;
        var full = model.For(type, source.Model, CancellationToken.None);
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
        {
            Assert.Equal(full.WorkMethods.TryGetWork(method, out _), model.TryGetWork(type, method, source.Model, CancellationToken.None, out _));
        }

        Assert.True(model.TryGetWork(type, (IMethodSymbol)type.GetMembers("Generic").Single(), source.Model, CancellationToken.None, out _));
        Assert.True(model.TryGetWork(type, (IMethodSymbol)type.GetMembers("Helped").Single(), source.Model, CancellationToken.None, out _));
        Assert.False(NameReferences.IsReferencedIn(type, "NeverNamed", CancellationToken.None));
        Assert.True(NameReferences.IsReferencedIn(type, "NotWork", CancellationToken.None));
    }

    private static AnalysisSource Source(string statements) => new($$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {{statements}}
            }
            void Loop() { }
            void Pump(int i) { }
            void Other() { }
            void NotWork() { }
        }
        """);
}
