using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags that a UI control polls in an async method and writes in its own event handlers: both on the UI thread
/// (fresh set 6, NETworkManager's host views).
/// </summary>
public sealed partial class StopFlagTests
{
    private const string RoutedEvents =
        """
        namespace Ui
        {
            public class RoutedEventArgs : System.EventArgs { }
        }
        """;

    [Fact]
    public async Task Flag_polled_by_a_code_behind_async_method_and_set_by_its_markup_handler_is_not_reported()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/HostView.xaml.cs", """
            using System.Threading.Tasks;
            using Ui;

            public partial class HostView
            {
                private bool _loaded;

                private void UserControl_Loaded(object sender, RoutedEventArgs e)
                {
                    _loaded = true;
                }

                public async void AddTab(string host)
                {
                    while (!_loaded)
                        await Task.Delay(250);

                    System.Console.WriteLine(host);
                }
            }
            """));
        test.TestState.Sources.Add(("/0/RoutedEvents.cs", RoutedEvents));
        await test.RunAsync();
    }

    [Fact]
    public Task Flag_polled_by_an_async_method_of_a_control_and_set_by_its_own_event_handler_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;

            namespace System.Windows
            {
                public class DependencyObject { }

                public class Control : DependencyObject
                {
                    public event EventHandler Loaded;
                }
            }

            class TabHost : System.Windows.Control
            {
                private bool _loaded;

                public TabHost()
                {
                    Loaded += OnLoaded;
                }

                private void OnLoaded(object sender, EventArgs e) => _loaded = true;

                public async Task AddTabAsync()
                {
                    while (!_loaded)
                    {
                        await Task.Delay(250);
                    }
                }
            }
            """);

    [Fact]
    public async Task Flag_of_a_code_behind_class_polled_on_a_pool_thread_or_off_the_ui_context_is_reported()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/HostView.xaml.cs", """
            using System.Threading.Tasks;
            using Ui;

            public partial class HostView
            {
                private bool {|#0:_loaded|};
                private bool {|#3:_shown|};

                private void UserControl_Loaded(object sender, RoutedEventArgs e)
                {
                    {|#2:_loaded|} = true;
                }

                private void UserControl_Shown(object sender, RoutedEventArgs e)
                {
                    {|#5:_shown|} = true;
                }

                public void AddTab()
                {
                    Task.Run(async () =>
                    {
                        while (!{|#1:_loaded|})
                            await Task.Delay(250);
                    });
                }

                public async void Show()
                {
                    while (!{|#4:_shown|})
                        await Task.Delay(250).ConfigureAwait(false);
                }
            }
            """));
        test.TestState.Sources.Add(("/0/RoutedEvents.cs", RoutedEvents));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_loaded", "lambda in AddTab", "UserControl_Loaded"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("_shown", "Show", "UserControl_Shown"));
        await test.RunAsync();
    }

    [Fact]
    public Task Flag_of_a_control_set_by_a_handler_of_another_objects_event_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;

            namespace System.Windows
            {
                public class DependencyObject { }

                public class Control : DependencyObject { }
            }

            class Device
            {
                public event EventHandler Ready;
            }

            class TabHost : System.Windows.Control
            {
                private bool {|#0:_ready|};

                public TabHost(Device device)
                {
                    device.Ready += OnReady;
                }

                private void OnReady(object sender, EventArgs e) => {|#2:_ready|} = true;

                public async Task WaitReadyAsync()
                {
                    while (!{|#1:_ready|})
                    {
                        await Task.Delay(250);
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_ready", "WaitReadyAsync", "OnReady"));
}
