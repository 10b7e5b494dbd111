using GracefulStop.Analyzers;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags that a form polls in a loop pumping its messages (<c>Application.DoEvents()</c>) and that the handlers of its
/// controls write: the handlers run inside the loop's own call, on the UI thread (issue 18's Cancel button).
/// </summary>
public sealed partial class StopFlagTests
{
    private const string FormsStubs =
        """
        namespace System.Windows.Forms
        {
            public class Control
            {
                public event System.EventHandler Click;
            }

            public class Form : Control { }

            public class Button : Control { }

            public static class Application
            {
                public static void DoEvents() { }
            }
        }
        """;

    [Fact]
    public async Task Flag_polled_by_a_loop_pumping_the_forms_messages_and_set_by_its_buttons_handlers_is_not_reported()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/CopyForm.cs", """
            using System;
            using System.Windows.Forms;

            public partial class CopyForm : Form
            {
                private bool _cancelled;
                private bool _paused;

                private void startButton_Click(object sender, EventArgs e)
                {
                    _cancelled = false;
                    var i = 0;
                    while (!_cancelled)
                    {
                        CopyOne(i++);
                        Application.DoEvents();
                    }
                }

                private void cancelButton_Click(object sender, EventArgs e)
                {
                    _cancelled = true;
                }

                public void WaitWhilePaused()
                {
                    // The lambda handler runs inside DoEvents too.
                    pauseButton.Click += (s, e) => _paused = !_paused;
                    while (_paused)
                    {
                        Application.DoEvents();
                        System.Threading.Thread.Sleep(50);
                    }
                }

                private static void CopyOne(int i) { }
            }
            """));
        test.TestState.Sources.Add(("/0/CopyForm.Designer.cs", """
            using System.Windows.Forms;

            public partial class CopyForm
            {
                private Button startButton = new Button();
                private Button cancelButton = new Button();
                private Button pauseButton = new Button();

                private void InitializeComponent()
                {
                    this.startButton.Click += new System.EventHandler(this.startButton_Click);
                    this.cancelButton.Click += new System.EventHandler(this.cancelButton_Click);
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Forms.cs", FormsStubs));
        await test.RunAsync();
    }

    [Fact]
    public Task Pumping_loop_on_a_worker_thread_or_set_by_a_handler_of_a_pool_event_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System;
            using System.Threading;
            using System.Windows.Forms;

            public class Poller
            {
                public event EventHandler Elapsed;
            }

            public class CopyForm : Form
            {
                private readonly Button cancelButton = new Button();
                private bool {|#0:_cancelled|};
                private bool {|#3:_stopped|};

                public CopyForm(Poller poller)
                {
                    cancelButton.Click += OnCancel;
                    poller.Elapsed += OnElapsed;
                }

                public void Start() => new Thread(Run).Start();

                private void Run()
                {
                    while (!{|#1:_cancelled|})
                    {
                        Application.DoEvents();
                    }
                }

                public void Wait()
                {
                    while (!{|#4:_stopped|})
                    {
                        Application.DoEvents();
                    }
                }

                private void OnCancel(object sender, EventArgs e) => {|#2:_cancelled|} = true;

                private void OnElapsed(object sender, EventArgs e) => {|#5:_stopped|} = true;
            }

            {{FormsStubs}}
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_cancelled", "Run", "OnCancel"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_stopped", "Wait", "OnElapsed"));

    [Fact]
    public async Task Flag_set_by_a_handler_the_designer_attaches_to_a_timers_event_is_reported()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/WaitForm.cs", """
            using System;
            using System.Windows.Forms;

            public partial class WaitForm : Form
            {
                private bool {|#0:_elapsed|};

                public void WaitForTimer()
                {
                    while (!{|#1:_elapsed|})
                    {
                        Application.DoEvents();
                    }
                }

                private void timer1_Elapsed(object sender, EventArgs e)
                {
                    {|#2:_elapsed|} = true;
                }
            }
            """));
        test.TestState.Sources.Add(("/0/WaitForm.Designer.cs", """
            public partial class WaitForm
            {
                private System.Timers.Timer timer1 = new System.Timers.Timer();

                private void InitializeComponent()
                {
                    this.timer1.Elapsed += new System.EventHandler(this.timer1_Elapsed);
                }
            }

            namespace System.Timers
            {
                public class Timer
                {
                    public event System.EventHandler Elapsed;
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Forms.cs", FormsStubs));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_elapsed", "WaitForTimer", "timer1_Elapsed"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Flag_of_a_pumping_loop_is_not_reported_against_the_real_windows_forms_of_net472()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = ReferenceAssemblies.NetFramework.Net472.WindowsForms,
            TestCode = """
                using System;
                using System.Windows.Forms;

                public class ProgressForm : Form
                {
                    private readonly Button cancel = new Button { Text = "Cancel" };
                    private bool _cancelled;

                    public ProgressForm()
                    {
                        Controls.Add(cancel);
                        cancel.Click += OnCancel;
                    }

                    public void Process(Func<bool> step)
                    {
                        while (true)
                        {
                            if (_cancelled)
                            {
                                break;
                            }

                            step();
                            Application.DoEvents();
                        }
                    }

                    private void OnCancel(object sender, EventArgs e) => _cancelled = true;
                }
                """,
        };
        await test.RunAsync();
    }
}
