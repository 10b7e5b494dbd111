using GracefulStop.Analyzers;
using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallCanWaitForeverAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallCanWaitForeverCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// The idle wait of work that lives as long as the process (fresh sets 4 and 6: a single-instance listener, a static
/// tile-loader pool, a singleton's redraw thread): on a pool or background thread, in a loop nothing but the waited
/// object could end, on a static, singleton or static-work object that no stop path names.
/// </summary>
public sealed partial class BlockingCallCanWaitForeverAnalyzerTests
{
    [Fact]
    public Task The_idle_wait_of_process_lifetime_background_work_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            static class SingleInstance
            {
                public static void StartListening(Action callback)
                {
                    Task.Run(() =>
                    {
                        var handle = new EventWaitHandle(false, EventResetMode.AutoReset, "app-instance");
                        while (true)
                        {
                            handle.WaitOne();
                            callback();
                        }
                    });
                }
            }

            class TileCore : IDisposable
            {
                private static readonly BlockingCollection<string> Queue = new();
                private static Task? _loader;
                private bool _disposed;

                public void AddLoadTask(string tile)
                {
                    lock (Queue)
                    {
                        _loader ??= Task.Factory.StartNew(() =>
                        {
                            do
                            {
                                Console.WriteLine(Queue.Take());
                            }
                            while (!Queue.IsAddingCompleted);
                        }, TaskCreationOptions.LongRunning);
                    }

                    Queue.Add(tile);
                }

                public void Dispose() => _disposed = true;
            }

            class Diagnostics
            {
                private static Diagnostics? _instance;
                private readonly AutoResetEvent _listChanged = new(false);

                public static Diagnostics Instance => _instance ??= new Diagnostics();

                private Diagnostics() => Scheduler.Add(new ThreadStart(Redraw));

                public void ListChanged() => _listChanged.Set();

                private void Redraw()
                {
                    Thread.CurrentThread.IsBackground = true;
                    while (true)
                    {
                        _listChanged.WaitOne();
                        Console.WriteLine("redraw");
                    }
                }
            }

            static class Scheduler
            {
                public static void Add(ThreadStart start) => Console.WriteLine(start.Method.Name);
            }
            """);

    /// <summary>
    /// The look-alikes: the same listener on a foreground thread, a redraw thread owned by each instance (dropping one
    /// leaks its thread), and a background loop whose stop path names the waited event.
    /// </summary>
    [Fact]
    public Task Waits_of_foreground_instance_owned_or_stopped_work_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            static class SingleInstance
            {
                public static void StartListening(Action callback)
                {
                    new Thread(() =>
                    {
                        var handle = new EventWaitHandle(false, EventResetMode.AutoReset, "app-instance");
                        while (true)
                        {
                            handle.{|#0:WaitOne|}();
                            callback();
                        }
                    }).Start();
                }
            }

            class View
            {
                private readonly AutoResetEvent _listChanged = new(false);

                public View() => Scheduler.Add(new ThreadStart(Redraw));

                public void ListChanged() => _listChanged.Set();

                private void Redraw()
                {
                    Thread.CurrentThread.IsBackground = true;
                    while (true)
                    {
                        _listChanged.{|#1:WaitOne|}();
                        Console.WriteLine("redraw");
                    }
                }
            }

            class Pump
            {
                private static readonly AutoResetEvent Wakeup = new(false);

                public static void Start() => Task.Run(() =>
                {
                    while (true)
                    {
                        Wakeup.{|#2:WaitOne|}();
                        Console.WriteLine("tick");
                    }
                });

                public static void Stop() => Wakeup.Reset();
            }

            static class Scheduler
            {
                public static void Add(ThreadStart start) => Console.WriteLine(start.Method.Name);
            }
            """,
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(0).WithArguments("handle.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(1).WithArguments("_listChanged.WaitOne()", "loop"),
            Verify.Diagnostic(Descriptors.BlockingCallCanWaitForever).WithLocation(2).WithArguments("Wakeup.WaitOne()", "loop"));
}
