using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>One message the server sent without being asked: its method, parameters and when it arrived.</summary>
public sealed record LspNotification(string Method, JsonElement Params, TimeSpan At);

/// <summary>
/// The client end of a language server started as a child process: JSON-RPC 2.0 with Content-Length framing over
/// its standard input and output. Every wait has a timeout whose message ends with the tail of the server's stderr
/// and of the conversation; disposing always kills the server's process tree.
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private const int TailLines = 60;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Func<string, JsonElement, JsonNode?> _answerServerRequest;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<LspNotification> _notifications = new();
    private readonly Queue<string> _stderrTail = new();
    private readonly Queue<string> _conversationTail = new();
    private readonly object _gate = new();
    private readonly Stopwatch _clock;
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private volatile string? _readerFailure;

    private LspClient(Process process, Func<string, JsonElement, JsonNode?> answerServerRequest)
    {
        _process = process;
        _answerServerRequest = answerServerRequest;
        _clock = Stopwatch.StartNew();
        _input = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    Enqueue(_stderrTail, e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _reader = Task.Run(() => ReadLoopAsync(process.StandardOutput.BaseStream));
    }

    /// <summary>Time since the server process started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// Starts the server. <paramref name="answerServerRequest"/> answers the server's own requests
    /// (workspace/configuration, client/registerCapability...): a server that gets no answer may stall.
    /// </summary>
    public static LspClient Start(ProcessStartInfo start, Func<string, JsonElement, JsonNode?> answerServerRequest)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        process.Start();
        return new LspClient(process, answerServerRequest);
    }

    public async Task<JsonElement> RequestAsync(string method, object? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = ToNode(parameters) });

        var finished = await Task.WhenAny(answer.Task, Task.Delay(timeout));
        _pending.TryRemove(id, out _);
        if (finished != answer.Task)
        {
            throw new TimeoutException($"No answer to {method} within {timeout.TotalSeconds:F0} s.\n{Tail()}");
        }

        return await answer.Task;
    }

    public Task NotifyAsync(string method, object? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = ToNode(parameters) });

    public IReadOnlyList<LspNotification> Notifications
    {
        get
        {
            lock (_gate)
            {
                return _notifications.ToList();
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking it after every message from the server.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string description)
    {
        var deadline = _clock.Elapsed + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            var left = deadline - _clock.Elapsed;
            if (left <= TimeSpan.Zero || _readerFailure is not null)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:F0} s for {description}" +
                    (_readerFailure is null ? string.Empty : $" (the server's output ended: {_readerFailure})") + $".\n{Tail()}");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>The last lines of the server's stderr and of the conversation, for failure messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            var exited = _process.HasExited ? $"server exited with {_process.ExitCode}" : "server running";
            return $"--- {exited}, {_clock.Elapsed.TotalSeconds:F1} s after start; stderr (last {TailLines} lines):\n" +
                string.Join('\n', _stderrTail) +
                $"\n--- conversation (last {TailLines} messages, truncated):\n" + string.Join('\n', _conversationTail);
        }
    }

    /// <summary>Asks the server to shut down and exit, then kills whatever is left of its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && _readerFailure is null)
            {
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(5));
                await NotifyAsync("exit", null);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(exit.Token);
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            // Also takes the MSBuild build host the server started.
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            _process.WaitForExit(10_000);
            await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
            _process.Dispose();
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        Record("-> " + message.ToJsonString());
        await _writeGate.WaitAsync();
        try
        {
            await _input.WriteAsync(header);
            await _input.WriteAsync(body);
            await _input.FlushAsync();
        }
        catch (IOException e)
        {
            throw new IOException($"Could not write to the server: {e.Message}\n{Tail()}", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync(Stream output)
    {
        try
        {
            while (await ReadMessageAsync(output) is { } body)
            {
                Record("<- " + body);
                using var document = JsonDocument.Parse(body);
                await DispatchAsync(document.RootElement.Clone());
                Pulse();
            }

            _readerFailure = "end of stream";
        }
        catch (Exception e)
        {
            // Whatever ends the reader, the waits must learn it now rather than at their timeout.
            _readerFailure = e.GetType().Name + ": " + e.Message;
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException($"The server's output ended ({_readerFailure}).\n{Tail()}"));
        }

        Pulse();
    }

    private async Task DispatchAsync(JsonElement message)
    {
        var hasId = message.TryGetProperty("id", out var id);
        var hasMethod = message.TryGetProperty("method", out var method);
        var parameters = message.TryGetProperty("params", out var p) ? p : default;
        if (hasMethod && hasId)
        {
            JsonNode? result;
            try
            {
                result = _answerServerRequest(method.GetString()!, parameters);
            }
            catch (InvalidOperationException e)
            {
                await SendAsync(new JsonObject
                {
                    ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()),
                    ["error"] = new JsonObject { ["code"] = -32601, ["message"] = e.Message },
                });
                return;
            }

            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result });
        }
        else if (hasMethod)
        {
            lock (_gate)
            {
                _notifications.Add(new LspNotification(method.GetString()!, parameters, _clock.Elapsed));
            }
        }
        else if (hasId && id.ValueKind == JsonValueKind.Number && _pending.TryGetValue(id.GetInt32(), out var answer))
        {
            if (message.TryGetProperty("error", out var error))
            {
                answer.TrySetException(new InvalidOperationException($"The server answered with an error: {error.GetRawText()}\n{Tail()}"));
            }
            else
            {
                answer.TrySetResult(message.TryGetProperty("result", out var result) ? result : default);
            }
        }
    }

    /// <summary>One framed message: headers up to an empty line, then Content-Length bytes of JSON.</summary>
    private static async Task<string?> ReadMessageAsync(Stream output)
    {
        var length = -1;
        while (true)
        {
            var line = await ReadHeaderLineAsync(output);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        if (length < 0)
        {
            throw new InvalidDataException("A message without Content-Length.");
        }

        var body = new byte[length];
        await output.ReadExactlyAsync(body);
        return Encoding.UTF8.GetString(body);
    }

    private static async Task<string?> ReadHeaderLineAsync(Stream output)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await output.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value),
    };

    private void Record(string line)
    {
        lock (_gate)
        {
            Enqueue(_conversationTail, $"[{_clock.Elapsed.TotalSeconds:F1} s] " + (line.Length > 400 ? line[..400] + "..." : line));
        }
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private static void Enqueue(Queue<string> tail, string line)
    {
        tail.Enqueue(line);
        while (tail.Count > TailLines)
        {
            tail.Dequeue();
        }
    }
}
