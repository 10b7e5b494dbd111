using GracefulStop.Analyzers;
using Microsoft.CodeAnalysis.Testing;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<GracefulStop.Analyzers.Rules.StopFlagAnalyzer, GracefulStop.CodeFixes.Rules.StopFlagCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Flags whose write reaches the loop through a signal the loop waits on, writes in finalizers, and loops that do not
/// depend on the flag to stop (issue 18: false positives on code the rule was not tuned on).
/// </summary>
public sealed partial class StopFlagTests
{
    [Fact]
    public Task Write_followed_by_a_signal_the_loop_waits_on_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Reader
            {
                private readonly AutoResetEvent _dataReady = new(false);
                private readonly object _gate = new();
                private bool _closed;
                private bool _stopped;
                private bool {|#0:_unsignalled|};

                public void Start() => new Thread(Run).Start();

                private void Run()
                {
                    while (!_closed)
                    {
                        _dataReady.WaitOne();
                    }

                    lock (_gate)
                    {
                        while (!_stopped)
                        {
                            Monitor.Wait(_gate, 1000);
                        }
                    }

                    while (!_unsignalled)
                    {
                        _dataReady.WaitOne(100);
                    }
                }

                public void Close()
                {
                    _closed = true;
                    _dataReady.Set();
                    _stopped = true;
                    Monitor.PulseAll(_gate);
                    _unsignalled = true;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("_unsignalled", "Run", "Close"));

    [Fact]
    public Task Writes_in_a_finalizer_and_loops_that_end_anyway_are_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class Drainer
            {
                private readonly ConcurrentQueue<int> _queue = new();
                private bool _disposed;
                private bool _stop;
                private bool _cancelled;

                public void Start()
                {
                    new Thread(Drain).Start();
                    new Thread(Spin).Start();
                }

                private void Drain()
                {
                    while (!_stop && _queue.TryDequeue(out var item))
                    {
                        Handle(item);
                    }

                    for (var i = 0; i < 4 && !_cancelled; i++)
                    {
                        Handle(i);
                    }
                }

                private void Spin()
                {
                    while (!_disposed)
                    {
                        Handle(0);
                    }
                }

                public async Task PollAsync(CancellationToken token)
                {
                    while (!_cancelled)
                    {
                        await Task.Delay(1000, token);
                    }
                }

                public void Stop()
                {
                    _stop = true;
                    _cancelled = true;
                }

                ~Drainer()
                {
                    _disposed = true;
                }

                private static void Handle(int item) { }
            }
            """);

    [Fact]
    public Task A_setting_written_before_the_thread_starts_is_not_a_stop_request() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;

            class Watchdog
            {
                private bool _failFast;
                private bool {|#0:_stop|};

                public void Start(bool failFast)
                {
                    _failFast = failFast;
                    _stop = false;
                    new Thread(Run).Start();
                }

                private void Run()
                {
                    while (!{|#1:_stop|})
                    {
                        if (_failFast) break;
                        Thread.Sleep(10);
                    }

                    while (_failFast) { Thread.Sleep(10); }
                }

                public void Stop() => {|#2:_stop|} = true;
            }

            class Restarter
            {
                private bool {|#3:_stop|};
                private Thread _thread;

                public void Restart()
                {
                    {|#4:_stop|} = true;
                    _thread.Join();
                    _stop = false;
                    _thread = new Thread(Run);
                    _thread.Start();
                }

                private void Run()
                {
                    while (!{|#5:_stop|}) { Thread.Sleep(10); }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_stop", "Run", "Stop"),
            Verify.Diagnostic(Descriptors.StopFlag).WithLocation(3).WithLocation(5).WithLocation(4).WithArguments("_stop", "Run", "Restart"));
}
