using Verify = GracefulStop.Tests.Verification.CSharpCodeFixVerifier<
    GracefulStop.Analyzers.Rules.BlockingCallIgnoresTokenAnalyzer,
    GracefulStop.CodeFixes.Rules.BlockingCallIgnoresTokenCodeFix>;

namespace GracefulStop.Tests.Rules;

/// <summary>
/// Session 14 (sets 2 to 8): waits that the token in scope is not there to end, or that end another way: a fixed pause
/// under a deadline, a mock's behaviour, a stream over a file, a stream handed back by a client, a call on an object
/// that a registration on the token stops, a read of an exited process's output.
/// </summary>
public sealed partial class BlockingCallIgnoresTokenAnalyzerTests
{
    [Fact]
    public Task A_fixed_one_shot_pause_shorter_than_a_deadline_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class ConsumerTests
            {
                async Task Settles(Func<CancellationToken, Task> publish)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await publish(cts.Token);
                    await Task.Delay(500);
                    await publish(cts.Token);
                }

                void Races(Action<CancellationToken> close)
                {
                    var timeout = new CancellationTokenSource(10_000);
                    Thread.Sleep(TimeSpan.FromMilliseconds(250));
                    close(timeout.Token);
                }
            }
            """);

    /// <summary>
    /// The look-alikes: a pause longer than the deadline, a pause in a loop (a loop of pauses can be the hang), a pause
    /// whose length is not a constant, a deadline someone may also cancel, and the I/O the deadline is there to end.
    /// </summary>
    [Fact]
    public Task A_pause_that_can_outlast_the_deadline_or_that_someone_cancels_and_io_under_a_deadline_are_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class ConsumerTests
            {
                async Task Longer(Func<CancellationToken, Task> publish)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await publish(cts.Token);
                    await Task.[|Delay|](2000);
                }

                async Task Polls(Func<CancellationToken, Task<bool>> ready)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    while (!await ready(cts.Token))
                    {
                        await Task.[|Delay|](500);
                    }
                }

                async Task Computed(Func<CancellationToken, Task> publish, TimeSpan settle)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await publish(cts.Token);
                    await Task.[|Delay|](settle);
                }

                async Task Cancellable(Func<CancellationToken, Task> publish)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    Console.CancelKeyPress += (_, _) => cts.Cancel();
                    await publish(cts.Token);
                    await Task.[|Delay|](500);
                }

                async Task Reads(Stream network)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await network.[|FlushAsync|]();
                }
            }
            """);

    /// <summary>
    /// An event handler's pause is the function's work (an incoming call answered, then a pause before the tones): the
    /// handler runs while the function that subscribed it runs, and its captured token is reported, used or not.
    /// </summary>
    [Fact]
    public Task A_pause_in_an_event_handler_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Channel
            {
                public event Func<object, EventArgs, Task>? ShutdownAsync;
            }

            class Program
            {
                static async Task Run(Channel channel, Func<CancellationToken, Task> work)
                {
                    using var cts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, _) => cts.Cancel();
                    channel.ShutdownAsync += async (sender, args) =>
                    {
                        await Task.[|Delay|](100);
                    };
                    channel.ShutdownAsync += async (sender, args) =>
                    {
                        if (cts.IsCancellationRequested) return;
                        await Task.[|Delay|](100);
                    };
                    await work(cts.Token);
                }
            }
            """);

    [Fact]
    public Task A_write_or_flush_to_a_file_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Log
            {
                private readonly FileStream _stream;
                private readonly StreamWriter _writer;
                private FileStream? _download;

                public Log(string path)
                {
                    _stream = File.Open(path, FileMode.CreateNew);
                    _writer = new StreamWriter(_stream);
                }

                async Task Write(string line, CancellationToken token)
                {
                    var writer = _writer;
                    await writer.WriteLineAsync(line);
                    await writer.FlushAsync();
                }

                async Task Save(Stream content, string path, CancellationToken token)
                {
                    var buffer = new byte[4096];
                    using (_download = new FileStream(path, FileMode.Create))
                    {
                        int read;
                        while ((read = await content.ReadAsync(buffer, 0, buffer.Length, token)) > 0)
                        {
                            await _download.WriteAsync(buffer, 0, read);
                        }
                    }

                    _download = null;
                }

                async Task Append(string path, string text, CancellationToken token)
                {
                    using var writer = File.AppendText(path);
                    await writer.WriteAsync(text);
                }
            }
            """);

    /// <summary>The look-alikes: a writer over a stream given from outside, and a field that is also given one.</summary>
    [Fact]
    public Task A_write_to_a_stream_that_may_be_a_socket_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class Log
            {
                private StreamWriter _writer;

                public Log(string path) => _writer = new StreamWriter(File.OpenWrite(path));

                public void Redirect(Stream output) => _writer = new StreamWriter(output);

                async Task Write(string line, CancellationToken token)
                {
                    await _writer.[|FlushAsync|]();
                }

                async Task Send(Stream network, CancellationToken token)
                {
                    var writer = new StreamWriter(network);
                    await writer.[|FlushAsync|]();
                }
            }
            """);

    [Fact]
    public Task A_call_on_an_object_that_a_registration_on_the_token_stops_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            class Notes
            {
                async Task<string> Get(string link, CancellationToken token)
                {
                    var client = new HttpClient();
                    using (token.Register(() => client.CancelPendingRequests()))
                    {
                        return await client.GetStringAsync(link);
                    }
                }

                int Receive(Socket socket, byte[] buffer, CancellationToken token)
                {
                    using var registration = token.Register(() => { socket.Close(); });
                    return socket.Receive(buffer);
                }
            }
            """);

    /// <summary>The look-alikes: the registration stops another object, or does something else to the same one.</summary>
    [Fact]
    public Task A_call_whose_object_the_registration_does_not_stop_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Notes
            {
                async Task<string> Get(string link, CancellationToken token)
                {
                    var client = new HttpClient();
                    var other = new HttpClient();
                    using (token.Register(() => other.CancelPendingRequests()))
                    {
                        return await client.[|GetStringAsync|](link);
                    }
                }

                async Task<string> Logs(HttpClient client, string link, CancellationToken token)
                {
                    using (token.Register(() => client.DefaultRequestHeaders.Clear()))
                    {
                        return await client.[|GetStringAsync|](link);
                    }
                }
            }
            """);

    [Fact]
    public Task Reading_a_process_output_to_its_end_after_it_exited_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;

            class Runner
            {
                async Task<string> RunAsync(Process process, CancellationToken ct)
                {
                    process.Start();
                    await process.WaitForExitAsync(ct);
                    return await process.StandardOutput.ReadToEndAsync();
                }

                async Task<string> Run(Process process, CancellationToken ct)
                {
                    process.Start();
                    process.[|WaitForExit|]();
                    return await process.StandardError.ReadToEndAsync();
                }
            }
            """);

    /// <summary>The look-alikes: a read before the exit, and a read after a wait that may have timed out.</summary>
    [Fact]
    public Task Reading_a_process_output_before_it_exited_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;

            class Runner
            {
                async Task<string> RunAsync(Process process, CancellationToken ct)
                {
                    process.Start();
                    var output = await process.StandardOutput.[|ReadToEndAsync|]();
                    await process.WaitForExitAsync(ct);
                    return output;
                }

                async Task<string> Bounded(Process process, CancellationToken ct)
                {
                    process.Start();
                    process.WaitForExit(1000);
                    return await process.StandardOutput.[|ReadToEndAsync|]();
                }
            }
            """);

    [Fact]
    public Task A_pause_in_a_mocks_behaviour_is_not_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Moq;

            public interface IRepository
            {
                int Load();
                Task<int> CountAsync();
            }

            class RunnerTests
            {
                async Task Runs(Func<IRepository, CancellationToken, Task> run)
                {
                    var cts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, _) => cts.Cancel();
                    var mock = new Mock<IRepository>();
                    mock.Setup(r => r.Load()).Returns(() =>
                    {
                        Thread.Sleep(50);
                        return 0;
                    });
                    mock.Setup(r => r.CountAsync()).Returns(async () =>
                    {
                        await Task.Delay(100);
                        return 1;
                    });
                    await run(mock.Object, cts.Token);
                }
            }

            namespace Moq
            {
                public class Setup<TResult>
                {
                    public Setup<TResult> Returns(Func<TResult> behaviour) => this;
                }

                public class Mock<T>
                {
                    public T Object => default!;
                    public Setup<TResult> Setup<TResult>(Func<T, TResult> call) => new();
                }
            }
            """);

    [Fact]
    public Task A_pause_in_a_mocks_behaviour_is_not_reported_when_the_library_is_missing() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using {|CS0246:NSubstitute|};

            public interface IConsumer
            {
                Task StopAsync();
            }

            class ConnectorTests
            {
                async Task Stops(IConsumer consumer, Func<CancellationToken, Task> run)
                {
                    var stopped = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, _) => stopped.Cancel();
                    consumer.StopAsync().{|CS1061:Returns|}(_ => Task.Run(async () => await Task.Delay(100)));
                    await run(stopped.Token);
                }
            }
            """);

    /// <summary>
    /// The look-alikes: the same lambda handed to a method of another library, and a mock's behaviour that uses the
    /// token itself.
    /// </summary>
    [Fact]
    public Task A_pause_in_a_lambda_that_is_not_a_mocks_behaviour_or_that_uses_the_token_is_reported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Moq;

            public interface IRepository
            {
                int Load();
            }

            class RunnerTests
            {
                async Task Runs(Func<IRepository, CancellationToken, Task> run, Cache.Entry entry)
                {
                    var cts = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, _) => cts.Cancel();
                    entry.Returns(() =>
                    {
                        Thread.[|Sleep|](50);
                        return 0;
                    });
                    var mock = new Mock<IRepository>();
                    mock.Setup(r => r.Load()).Returns(() =>
                    {
                        if (cts.IsCancellationRequested) return -1;
                        Thread.[|Sleep|](50);
                        return 0;
                    });
                    await run(mock.Object, cts.Token);
                }
            }

            namespace Cache
            {
                public class Entry
                {
                    public int Returns(Func<int> load) => load();
                }
            }

            namespace Moq
            {
                public class Setup<TResult>
                {
                    public Setup<TResult> Returns(Func<TResult> behaviour) => this;
                }

                public class Mock<T>
                {
                    public T Object => default!;
                    public Setup<TResult> Setup<TResult>(Func<T, TResult> call) => new();
                }
            }
            """);
}
