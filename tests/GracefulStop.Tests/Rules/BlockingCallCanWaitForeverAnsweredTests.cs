using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallCanWaitForeverAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallCanWaitForeverCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Session 16's criterion (helper q23): a one-shot wait in thread work on an event or semaphore field that another member
/// of its type signals in a statement that always runs is a handshake with the type's own code, not an idle wait.
/// </summary>
public sealed partial class BlockingCallCanWaitForeverAnalyzerTests
{
    [Fact]
    public Task A_one_shot_wait_that_another_member_always_answers_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class ConsoleBackend
            {
                private readonly ManualResetEventSlim _viewReady = new(false);
                private object? _view;

                public void Run()
                {
                    new Thread(() =>
                    {
                        _viewReady.Wait();
                        Console.WriteLine(_view);
                    }) { IsBackground = true }.Start();
                }

                internal void SetView(object view)
                {
                    _view = view;
                    _viewReady.Set();
                }

                public void Shutdown() => _view = null;
            }

            class Extractor
            {
                private ManualResetEvent _done = new(false);

                public void Extract()
                {
                    ThreadPool.QueueUserWorkItem(_ => RunCommand());
                    ThreadPool.QueueUserWorkItem(_ => Finish());
                }

                public void Cancel() => Console.WriteLine("cancel");

                private void Finish()
                {
                    _done.WaitOne();
                    Console.WriteLine("done");
                }

                private void RunCommand()
                {
                    try
                    {
                        Console.WriteLine("running");
                    }
                    finally
                    {
                        _done.Set();
                    }
                }
            }

            class FakePort
            {
                private readonly AutoResetEvent _received = new(false);

                public Task<int> ReadAsync() => Task.Run(() => Read());

                public int Read()
                {
                    _received.WaitOne();
                    return 1;
                }

                public void Write(byte[] buffer) => _received.Set();

                public void Close() => Console.WriteLine("closed");
            }
            """);

    /// <summary>The look-alike: the only Set() is under a condition (a loading-finished event set only while the window is not closing).</summary>
    [Fact]
    public Task A_one_shot_wait_answered_only_under_a_condition_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;

            class LogWindow
            {
                private readonly EventWaitHandle _loadingFinished = new ManualResetEvent(false);
                private volatile bool _waitingForClose;

                public void Reload() => new Thread(ReloadFinished).Start();

                private void ReloadFinished()
                {
                    _loadingFinished.{|#0:WaitOne|}();
                    Console.WriteLine("reloaded");
                }

                private void OnLoadingFinished(object sender, EventArgs e)
                {
                    if (!_waitingForClose)
                    {
                        _loadingFinished.Set();
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_loadingFinished.WaitOne()", "thread"));

    /// <summary>The look-alike: the Set() is in a callback lambda (it runs only if the callback comes), and the wait is on another field than the one answered.</summary>
    [Fact]
    public Task A_one_shot_wait_answered_only_by_a_callback_or_on_another_field_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Client
            {
                private readonly ManualResetEvent _connected = new(false);
                private readonly ManualResetEvent _closed = new(false);
                public event Action? Connected;

                public void Subscribe()
                {
                    Connected += () => _connected.Set();
                }

                public void Start()
                {
                    Task.Run(() =>
                    {
                        _connected.{|#0:WaitOne|}();
                        _closed.{|#1:WaitOne|}();
                    });
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_connected.WaitOne()", "thread"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_closed.WaitOne()", "thread"));

    /// <summary>The look-alike: a wait the loop comes back to is a consumer's idle wait; the producer's Set() only announces work.</summary>
    [Fact]
    public Task A_wait_in_a_loop_that_another_member_always_signals_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;

            class Worker
            {
                private readonly AutoResetEvent _ready = new(false);
                private readonly ConcurrentQueue<string> _items = new();

                public void Start() => new Thread(Run).Start();

                public void Enqueue(string item)
                {
                    _items.Enqueue(item);
                    _ready.Set();
                }

                private void Run()
                {
                    while (true)
                    {
                        _ready.{|#0:WaitOne|}();
                        while (_items.TryDequeue(out var item))
                        {
                            Console.WriteLine(item);
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("_ready.WaitOne()", "loop"));
}
