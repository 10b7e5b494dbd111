using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags cleared by a handler of a fluent chain whose built object the loop runs (fresh set 7, class M1: a Go-style
/// select whose <c>Execute()</c> runs the ready case's action on the calling thread).
/// </summary>
public sealed partial class StopFlagTests
{
    private const string SelectLibrary =
        """
        namespace Channels
        {
            using System;

            public class Chan<T>
            {
                public void Send(T value) { }
                public void Close() { }
            }

            public class SelectCase : IDisposable
            {
                public SelectCase CaseReceive<T>(Chan<T> c, Action<T> func) => this;
                public SelectCase NoDefault(bool defer = false) => this;
                public void Execute() { }
                public void Dispose() { }
            }

            public static class Select
            {
                public static SelectCase CaseReceive<T>(Chan<T> c, Action<T> func) => new SelectCase().CaseReceive(c, func);
            }
        }
        """;

    [Fact]
    public Task Flag_cleared_by_a_case_of_a_select_the_loop_executes_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            SelectLibrary + """

            namespace App
            {
                using System;
                using System.Threading;
                using Channels;

                class Router
                {
                    private readonly Chan<bool> _exit = new();
                    private readonly Chan<int> _work = new();
                    private SelectCase? _select;

                    public void Start() => new Thread(Route).Start();

                    public void Stop() => _exit.Close();

                    private void Route()
                    {
                        bool doLoop = true;
                        Select.CaseReceive(_exit, o => doLoop = false).NoDefault();

                        using (var select = Select
                            .CaseReceive(_work, n => Console.WriteLine(n))
                            .CaseReceive(_exit, o => { doLoop = false; })
                            .NoDefault(defer: true))
                        {
                            while (doLoop)
                            {
                                select.Execute();
                            }
                        }
                    }

                    private void RouteField()
                    {
                        bool doLoop = true;
                        _select = Select.CaseReceive(_exit, o => doLoop = false).NoDefault(defer: true);
                        while (doLoop)
                        {
                            _select.Execute();
                        }
                    }

                    public void Receive()
                    {
                        Action receive = () =>
                        {
                            var doLoop = true;
                            var select = Select.CaseReceive(_work, n => { }).CaseReceive(_exit, b => doLoop = false).NoDefault(defer: true);
                            while (doLoop)
                            {
                                select.Execute();
                            }
                        };
                        new Thread(() => receive()).Start();
                    }
                }
            }
            """);

    /// <summary>
    /// The look-alikes: the select is executed by another thread than the loop's, the flag is cleared by a thread's or a
    /// task's lambda, or the loop only sleeps and never runs the select.
    /// </summary>
    [Fact]
    public Task Flag_cleared_by_a_case_of_a_select_that_another_thread_executes_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            SelectLibrary + """

            namespace App
            {
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using Channels;

                class Router
                {
                    private readonly Chan<bool> _exit = new();

                    private void ExecutedElsewhere()
                    {
                        bool {|#0:doLoop|} = true;
                        var select = Select.CaseReceive(_exit, o => {|#2:doLoop|} = false).NoDefault(defer: true);
                        new Thread(() => { while (true) select.Execute(); }).Start();
                        while ({|#1:doLoop|})
                        {
                            Thread.Sleep(10);
                        }
                    }

                    private void ClearedByTask()
                    {
                        bool {|#3:doLoop|} = true;
                        using var select = Select.CaseReceive(_exit, o => { }).NoDefault(defer: true);
                        Task.Run(() => {|#5:doLoop|} = false);
                        while ({|#4:doLoop|})
                        {
                            select.Execute();
                        }
                    }

                    private void DroppedSelectAndASleepingLoop()
                    {
                        bool {|#6:doLoop|} = true;
                        Select.CaseReceive(_exit, o => {|#8:doLoop|} = false).NoDefault(defer: true);
                        while ({|#7:doLoop|})
                        {
                            Thread.Sleep(10);
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("doLoop", "ExecutedElsewhere", "lambda in ExecutedElsewhere"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("doLoop", "ClearedByTask", "lambda in ClearedByTask"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(6).WithLocation(7).WithLocation(8).WithArguments("doLoop", "DroppedSelectAndASleepingLoop", "lambda in DroppedSelectAndASleepingLoop"));
}
