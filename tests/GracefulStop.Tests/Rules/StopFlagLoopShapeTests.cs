using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>Captured locals are found from the loops that poll them: every loop shape and statement nesting.</summary>
public sealed partial class StopFlagTests
{
    [Fact]
    public Task Captured_local_polled_by_several_loops_is_reported_once_with_every_loop_read() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            static class Program
            {
                static void Main()
                {
                    var {|#0:stop|} = false;
                    var worker = new Thread(() =>
                    {
                        while (!{|#1:stop|}) { }
                        for (; !{|#2:stop|};) { }
                        do
                        {
                            while (true)
                            {
                                if ({|#3:stop|}) break;
                            }
                        }
                        while (!{|#4:stop|});
                    });
                    worker.Start();
                    {|#5:stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag)
                .WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithLocation(5)
                .WithArguments("stop", "lambda in Main", "Main"));

    [Fact]
    public Task Captured_locals_polled_from_nested_statements_are_reported_and_polls_of_other_loops_are_not() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            static class Program
            {
                static void Main(int[] items)
                {
                    var {|#0:inSwitch|} = false;
                    var {|#1:inTry|} = false;
                    var {|#2:inCatch|} = false;
                    var {|#3:inUsing|} = false;
                    var {|#4:labeled|} = false;
                    var {|#5:elseIf|} = false;
                    var {|#6:inChecked|} = false;
                    var {|#7:nested|} = false;
                    var underLock = false;
                    var inForeach = false;
                    var inBreakOfSwitch = false;
                    var notAnExit = false;
                    var gate = new object();
                    new Thread(() =>
                    {
                        var n = 0;
                        while (true)
                        {
                            switch (n)
                            {
                                case 1:
                                    if ({|#10:inSwitch|}) return;
                                    if (inBreakOfSwitch) break;
                                    break;
                            }

                            try
                            {
                                if ({|#11:inTry|}) break;
                            }
                            catch (InvalidOperationException)
                            {
                                if ({|#12:inCatch|}) break;
                            }

                            using (new MemoryStream())
                            {
                                if ({|#13:inUsing|}) break;
                            }

                        next:
                            if ({|#14:labeled|}) break;
                            if (n == 1) { }
                            else if (n == 2) { }
                            else if ({|#15:elseIf|}) break;

                            checked
                            {
                                if ({|#16:inChecked|}) { n++; break; }
                            }

                            if (n > 0)
                            {
                                if (n > 10 || {|#17:nested|}) return;
                            }

                            lock (gate)
                            {
                                if (underLock) break;
                            }

                            foreach (var item in items)
                            {
                                if (inForeach) break;
                            }

                            if (notAnExit) { n++; }
                            n++;
                            if (n < 5) goto next;
                        }
                    }).Start();
                    {|#20:inSwitch|} = true;
                    {|#21:inTry|} = true;
                    {|#22:inCatch|} = true;
                    {|#23:inUsing|} = true;
                    {|#24:labeled|} = true;
                    {|#25:elseIf|} = true;
                    {|#26:inChecked|} = true;
                    {|#27:nested|} = true;
                    underLock = true;
                    inForeach = true;
                    inBreakOfSwitch = true;
                    notAnExit = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(10).WithLocation(20).WithArguments("inSwitch", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(1).WithLocation(11).WithLocation(21).WithArguments("inTry", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(2).WithLocation(12).WithLocation(22).WithArguments("inCatch", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(13).WithLocation(23).WithArguments("inUsing", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(4).WithLocation(14).WithLocation(24).WithArguments("labeled", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(5).WithLocation(15).WithLocation(25).WithArguments("elseIf", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(6).WithLocation(16).WithLocation(26).WithArguments("inChecked", "lambda in Main", "Main"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(7).WithLocation(17).WithLocation(27).WithArguments("nested", "lambda in Main", "Main"));

    [Fact]
    public Task Captured_local_polled_inside_a_fixed_statement_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            static unsafe class Program
            {
                static void Main(int[] items)
                {
                    var {|#0:stop|} = false;
                    new Thread(() =>
                    {
                        while (true)
                        {
                            fixed (int* p = items)
                            {
                                if ({|#1:stop|}) break;
                            }
                        }
                    }).Start();
                    {|#2:stop|} = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("stop", "lambda in Main", "Main"));

    // A type's fields are analysed over the type's own members: the members of a nested type are not part of it
    // (a known gap, kept as it is; these tests pin the scope so a restructuring does not change it silently).
    [Fact]
    public Task Field_polled_by_the_type_and_written_only_by_a_nested_type_is_not_reported_today() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private static bool s_stop;

                public void Run()
                {
                    while (!s_stop) { }
                }

                private sealed class Stopper
                {
                    public void Stop() => s_stop = true;
                }
            }
            """);

    [Fact]
    public Task Field_polled_only_by_a_nested_type_is_not_reported_today() =>
        Verify.VerifyAnalyzerAsync(
            """
            class Worker
            {
                private static bool s_stop;

                public void Stop() => s_stop = true;

                private sealed class Loop
                {
                    public void Run()
                    {
                        while (true)
                        {
                            if (s_stop) return;
                        }
                    }
                }
            }
            """);
}
