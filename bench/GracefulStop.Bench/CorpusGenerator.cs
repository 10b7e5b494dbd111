using System.Text;

namespace GracefulStop.Bench;

/// <summary>
/// A deterministic corpus of ordinary application code: services, repositories, parsers and a few workers.
/// Most methods touch no thread, token, wait or flag; roughly one method in five does, in the proportions
/// that application code has (async methods with tokens first, then waits and locks, tasks, then hand-made
/// threads with stop flags, and a rare abort or interrupt). It compiles without errors against net8.0.
/// </summary>
public sealed class CorpusGenerator
{
    private static readonly string[] Nouns =
    [
        "Order", "Invoice", "Customer", "Shipment", "Product", "Payment", "Account", "Ticket", "Report", "Session",
        "Message", "Batch", "Document", "Schedule", "Policy", "Device", "Reading", "Metric", "Upload", "Contract",
    ];

    private static readonly string[] Roles = ["Service", "Repository", "Manager", "Processor", "Handler", "Validator", "Formatter", "Store", "Importer", "Calculator"];

    private static readonly string[] Verbs = ["Load", "Compute", "Find", "Build", "Apply", "Merge", "Check", "Update", "Resolve", "Render", "Collect", "Normalize", "Summarize", "Export"];

    private readonly Random _random;
    private int _fileIndex;

    public CorpusGenerator(int seed) => _random = new Random(seed);

    /// <summary>Files of about 150–700 lines until <paramref name="targetLines"/> lines are written, plus a shared file.</summary>
    public List<(string Path, string Text)> Generate(int targetLines)
    {
        var files = new List<(string, string)> { ("Common/Shared.cs", SharedFile()) };
        var lines = 0;
        while (lines < targetLines)
        {
            var text = GenerateFile(Math.Min(150 + _random.Next(550), Math.Max(60, targetLines - lines)));
            lines += CountLines(text);
            files.Add(($"Module{_fileIndex / 50}/File{_fileIndex}.cs", text));
        }

        return files;
    }

    /// <summary>One file of about <paramref name="lines"/> lines (the single-document latency measure uses ~1,000).</summary>
    public string GenerateFile(int lines)
    {
        var index = _fileIndex++;
        var w = new Writer();
        w.Line("using System;");
        w.Line("using System.Collections.Generic;");
        w.Line("using System.IO;");
        w.Line("using System.Linq;");
        w.Line("using System.Text;");
        w.Line("using System.Threading;");
        w.Line("using System.Threading.Tasks;");
        w.Line("using Contoso.Common;");
        w.Line();
        w.Line($"namespace Contoso.Module{index / 50};");
        w.Line();
        var model = Pick(Nouns) + index;
        w.Line($"public sealed record {model}(int Id, string Name, decimal Amount, DateTime Created, Status State);");
        w.Line();
        var classIndex = 0;
        while (w.Count < lines - 20)
        {
            var kind = _random.Next(100);
            var name = $"{model}{Pick(Roles)}{classIndex++}";
            if (kind < 4)
            {
                WorkerClass(w, name, model);
            }
            else if (kind < 7)
            {
                PollingClass(w, name, model);
            }
            else
            {
                OrdinaryClass(w, name, model, Math.Max(40, Math.Min(lines - w.Count, 120 + _random.Next(250))));
            }
        }

        return w.ToString();
    }

    private static string SharedFile() => """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Contoso.Common;

        public enum Status { New, Active, Suspended, Closed, Archived }

        public interface IAppLog
        {
            void Info(string message);
            void Error(Exception exception, string message);
        }

        public interface IRemoteClient
        {
            Task<string> GetAsync(string path);
            Task<string> GetAsync(string path, CancellationToken cancellationToken);
            string Get(string path);
            Task SendAsync(string payload, CancellationToken cancellationToken = default);
        }

        public sealed class ConsoleLog : IAppLog
        {
            public void Info(string message) => Console.WriteLine(message);
            public void Error(Exception exception, string message) => Console.Error.WriteLine(message + ": " + exception.Message);
        }
        """;

    private void OrdinaryClass(Writer w, string name, string model, int lines)
    {
        var start = w.Count;
        w.Line($"public sealed class {name}");
        w.Line("{");
        w.Line($"    private readonly List<{model}> _items = new();");
        w.Line($"    private readonly Dictionary<int, {model}> _byId = new();");
        w.Line("    private readonly object _gate = new();");
        w.Line("    private readonly IAppLog _log;");
        w.Line("    private readonly IRemoteClient _client;");
        w.Line();
        w.Line($"    public {name}(IAppLog log, IRemoteClient client)");
        w.Line("    {");
        w.Line("        _log = log;");
        w.Line("        _client = client;");
        w.Line("    }");
        w.Line();
        w.Line("    public int Count => _items.Count;");
        w.Line();
        var method = 0;
        while (w.Count - start < lines)
        {
            var m = $"{Pick(Verbs)}{model}{method++}";
            var roll = _random.Next(1000);
            if (roll < 800)
            {
                PlainMethod(w, m, model);
            }
            else if (roll < 900)
            {
                AsyncMethod(w, m, model);
            }
            else if (roll < 960)
            {
                WaitingMethod(w, m, model);
            }
            else if (roll < 995)
            {
                TaskMethod(w, m, model);
            }
            else
            {
                ForcibleMethod(w, m);
            }

            w.Line();
        }

        w.Line("}");
        w.Line();
    }

    private void PlainMethod(Writer w, string m, string model)
    {
        switch (_random.Next(8))
        {
            case 0:
                w.Line($"    public List<string> {m}(decimal minimum)");
                w.Line("    {");
                w.Line("        return _items");
                w.Line("            .Where(item => item.Amount >= minimum && item.State != Status.Closed)");
                w.Line("            .OrderBy(item => item.Created)");
                w.Line("            .Select(item => $\"{item.Id}: {item.Name}\")");
                w.Line("            .ToList();");
                w.Line("    }");
                break;
            case 1:
                w.Line($"    public string {m}(IEnumerable<{model}> source)");
                w.Line("    {");
                w.Line("        var builder = new StringBuilder();");
                w.Line("        foreach (var item in source)");
                w.Line("        {");
                w.Line("            if (string.IsNullOrWhiteSpace(item.Name))");
                w.Line("            {");
                w.Line("                continue;");
                w.Line("            }");
                w.Line();
                w.Line("            builder.Append(item.Name.Trim()).Append(';').Append(item.Amount.ToString(\"F2\")).AppendLine();");
                w.Line("        }");
                w.Line();
                w.Line("        return builder.ToString();");
                w.Line("    }");
                break;
            case 2:
                w.Line($"    public decimal {m}(decimal[] values, int count)");
                w.Line("    {");
                w.Line("        decimal total = 0;");
                w.Line("        for (var i = 0; i < count && i < values.Length; i++)");
                w.Line("        {");
                w.Line($"            total += values[i] * {1 + _random.Next(9)}m / 10m;");
                w.Line("        }");
                w.Line();
                w.Line("        return Math.Round(total, 2);");
                w.Line("    }");
                break;
            case 3:
                w.Line($"    public string {m}(Status status)");
                w.Line("    {");
                w.Line("        switch (status)");
                w.Line("        {");
                w.Line("            case Status.New: return \"new\";");
                w.Line("            case Status.Active: return \"active\";");
                w.Line("            case Status.Suspended: return \"on hold\";");
                w.Line("            default: return status.ToString().ToLowerInvariant();");
                w.Line("        }");
                w.Line("    }");
                break;
            case 4:
                w.Line($"    public {model}? {m}(int id)");
                w.Line("    {");
                w.Line("        if (_byId.TryGetValue(id, out var found))");
                w.Line("        {");
                w.Line("            return found;");
                w.Line("        }");
                w.Line();
                w.Line("        var match = _items.FirstOrDefault(item => item.Id == id);");
                w.Line("        if (match is not null)");
                w.Line("        {");
                w.Line("            _byId[id] = match;");
                w.Line("        }");
                w.Line();
                w.Line("        return match;");
                w.Line("    }");
                break;
            case 5:
                w.Line($"    public void {m}({model} item)");
                w.Line("    {");
                w.Line("        ArgumentNullException.ThrowIfNull(item);");
                w.Line("        if (item.Amount < 0)");
                w.Line("        {");
                w.Line("            throw new ArgumentOutOfRangeException(nameof(item), item.Amount, \"Amount must not be negative.\");");
                w.Line("        }");
                w.Line();
                w.Line("        lock (_gate)");
                w.Line("        {");
                w.Line("            _items.Add(item);");
                w.Line("            _byId[item.Id] = item;");
                w.Line("        }");
                w.Line();
                w.Line("        _log.Info($\"added {item.Id}\");");
                w.Line("    }");
                break;
            case 6:
                w.Line($"    public int {m}(string path)");
                w.Line("    {");
                w.Line("        try");
                w.Line("        {");
                w.Line("            var lines = File.ReadAllLines(path);");
                w.Line("            return lines.Count(line => line.Length > 0 && line[0] != '#');");
                w.Line("        }");
                w.Line("        catch (IOException exception)");
                w.Line("        {");
                w.Line("            _log.Error(exception, $\"cannot read {path}\");");
                w.Line("            return 0;");
                w.Line("        }");
                w.Line("    }");
                break;
            default:
                w.Line($"    public Dictionary<Status, decimal> {m}()");
                w.Line("    {");
                w.Line("        var totals = new Dictionary<Status, decimal>();");
                w.Line("        foreach (var group in _items.GroupBy(item => item.State))");
                w.Line("        {");
                w.Line("            totals[group.Key] = group.Sum(item => item.Amount);");
                w.Line("        }");
                w.Line();
                w.Line("        return totals;");
                w.Line("    }");
                break;
        }
    }

    private void AsyncMethod(Writer w, string m, string model)
    {
        switch (_random.Next(5))
        {
            case 0:
                w.Line($"    public async Task<int> {m}Async(string path, CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);");
                w.Line("        return text.Split('\\n').Length;");
                w.Line("    }");
                break;
            case 1:
                // A token in scope that one call forgets (what CA2016 / MA0040 look for).
                w.Line($"    public async Task<string> {m}Async(string key, CancellationToken cancellationToken = default)");
                w.Line("    {");
                w.Line("        var first = await _client.GetAsync(\"/items/\" + key, cancellationToken);");
                w.Line("        var second = await _client.GetAsync(\"/details/\" + key);");
                w.Line("        return first + second;");
                w.Line("    }");
                break;
            case 2:
                w.Line($"    public async Task {m}Async(IReadOnlyList<{model}> batch, CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        foreach (var item in batch)");
                w.Line("        {");
                w.Line("            cancellationToken.ThrowIfCancellationRequested();");
                w.Line("            await _client.SendAsync(item.Name, cancellationToken);");
                w.Line("        }");
                w.Line("    }");
                break;
            case 3:
                w.Line($"    public async Task {m}Async(CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        while (!cancellationToken.IsCancellationRequested)");
                w.Line("        {");
                w.Line("            await _client.SendAsync(\"ping\", cancellationToken);");
                w.Line($"            await Task.Delay({100 * (1 + _random.Next(50))}, cancellationToken);");
                w.Line("        }");
                w.Line("    }");
                break;
            default:
                w.Line($"    public async Task<string> {m}Async(string key)");
                w.Line("    {");
                w.Line("        var value = await _client.GetAsync(key).ConfigureAwait(false);");
                w.Line("        return value.Trim();");
                w.Line("    }");
                break;
        }
    }

    private void WaitingMethod(Writer w, string m, string model)
    {
        switch (_random.Next(6))
        {
            case 0:
                w.Line($"    public string {m}(string key)");
                w.Line("    {");
                w.Line("        return _client.GetAsync(key).Result;");
                w.Line("    }");
                break;
            case 1:
                w.Line($"    public void {m}(CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        var send = _client.SendAsync(\"flush\");");
                w.Line("        send.Wait();");
                w.Line("        Thread.Sleep(50);");
                w.Line("    }");
                break;
            case 2:
                w.Line($"    public bool {m}(ManualResetEventSlim ready, TimeSpan timeout)");
                w.Line("    {");
                w.Line("        if (!ready.Wait(timeout))");
                w.Line("        {");
                w.Line("            _log.Info(\"timed out\");");
                w.Line("            return false;");
                w.Line("        }");
                w.Line();
                w.Line("        return true;");
                w.Line("    }");
                break;
            case 3:
                w.Line($"    public void {m}(SemaphoreSlim gate, {model} item)");
                w.Line("    {");
                w.Line("        gate.Wait();");
                w.Line("        try");
                w.Line("        {");
                w.Line("            _items.Add(item);");
                w.Line("        }");
                w.Line("        finally");
                w.Line("        {");
                w.Line("            gate.Release();");
                w.Line("        }");
                w.Line("    }");
                break;
            case 4:
                w.Line($"    public void {m}(WaitHandle signal)");
                w.Line("    {");
                w.Line("        while (!signal.WaitOne(1000))");
                w.Line("        {");
                w.Line("            _log.Info(\"still waiting\");");
                w.Line("        }");
                w.Line("    }");
                break;
            default:
                w.Line($"    public {model}? {m}(Queue<{model}> queue)");
                w.Line("    {");
                w.Line("        lock (_gate)");
                w.Line("        {");
                w.Line("            while (queue.Count == 0)");
                w.Line("            {");
                w.Line("                Monitor.Wait(_gate);");
                w.Line("            }");
                w.Line();
                w.Line("            return queue.Dequeue();");
                w.Line("        }");
                w.Line("    }");
                break;
        }
    }

    private void TaskMethod(Writer w, string m, string model)
    {
        switch (_random.Next(4))
        {
            case 0:
                w.Line($"    public Task<int> {m}(CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        return Task.Run(() =>");
                w.Line("        {");
                w.Line("            var count = 0;");
                w.Line("            foreach (var item in _items)");
                w.Line("            {");
                w.Line("                count += item.Name.Length;");
                w.Line("            }");
                w.Line();
                w.Line("            return count;");
                w.Line("        }, cancellationToken);");
                w.Line("    }");
                break;
            case 1:
                w.Line($"    public Task {m}()");
                w.Line("    {");
                w.Line("        return Task.Factory.StartNew(() =>");
                w.Line("        {");
                w.Line("            while (true)");
                w.Line("            {");
                w.Line("                _log.Info(\"heartbeat\");");
                w.Line("                Thread.Sleep(1000);");
                w.Line("            }");
                w.Line("        }, TaskCreationOptions.LongRunning);");
                w.Line("    }");
                break;
            case 2:
                w.Line($"    public void {m}(IEnumerable<{model}> source, CancellationToken cancellationToken)");
                w.Line("    {");
                w.Line("        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = 4 };");
                w.Line("        Parallel.ForEach(source, options, item =>");
                w.Line("        {");
                w.Line("            lock (_gate)");
                w.Line("            {");
                w.Line("                _byId[item.Id] = item;");
                w.Line("            }");
                w.Line("        });");
                w.Line("    }");
                break;
            default:
                w.Line($"    public void {m}()");
                w.Line("    {");
                w.Line("        ThreadPool.QueueUserWorkItem(_ =>");
                w.Line("        {");
                w.Line("            try");
                w.Line("            {");
                w.Line("                _client.SendAsync(\"audit\").GetAwaiter().GetResult();");
                w.Line("            }");
                w.Line("            catch (Exception exception)");
                w.Line("            {");
                w.Line("                _log.Error(exception, \"audit failed\");");
                w.Line("            }");
                w.Line("        });");
                w.Line("    }");
                break;
        }
    }

    private void ForcibleMethod(Writer w, string m)
    {
        switch (_random.Next(3))
        {
            case 0:
                w.Line($"    public void {m}(Thread worker)");
                w.Line("    {");
                w.Line("        if (!worker.Join(5000))");
                w.Line("        {");
                w.Line("#pragma warning disable SYSLIB0006");
                w.Line("            worker.Abort();");
                w.Line("#pragma warning restore SYSLIB0006");
                w.Line("        }");
                w.Line("    }");
                break;
            case 1:
                w.Line($"    public void {m}(Thread worker)");
                w.Line("    {");
                w.Line("        worker.Interrupt();");
                w.Line("        worker.Join();");
                w.Line("    }");
                break;
            default:
                w.Line($"    public void {m}(Action work)");
                w.Line("    {");
                w.Line("        try");
                w.Line("        {");
                w.Line("            work();");
                w.Line("        }");
                w.Line("        catch (ThreadAbortException exception)");
                w.Line("        {");
                w.Line("            _log.Error(exception, \"aborted\");");
                w.Line("        }");
                w.Line("    }");
                break;
        }
    }

    /// <summary>A hand-made worker thread stopped by a flag (sometimes volatile, sometimes a token source).</summary>
    private void WorkerClass(Writer w, string name, string model)
    {
        var style = _random.Next(4);
        w.Line($"public sealed class {name} : IDisposable");
        w.Line("{");
        w.Line($"    private readonly Queue<{model}> _pending = new();");
        w.Line("    private readonly object _gate = new();");
        w.Line("    private Thread? _thread;");
        switch (style)
        {
            case 0: w.Line("    private bool _running;"); break;
            case 1: w.Line("    private volatile bool _running;"); break;
            case 2: w.Line("    private readonly CancellationTokenSource _stop = new();"); break;
            default: w.Line("    private readonly AutoResetEvent _wake = new(false);"); w.Line("    private bool _running;"); break;
        }

        w.Line();
        w.Line("    public void Start()");
        w.Line("    {");
        if (style != 2)
        {
            w.Line("        _running = true;");
        }

        w.Line("        _thread = new Thread(Run) { IsBackground = true, Name = \"" + name + "\" };");
        w.Line("        _thread.Start();");
        w.Line("    }");
        w.Line();
        w.Line($"    public void Enqueue({model} item)");
        w.Line("    {");
        w.Line("        lock (_gate)");
        w.Line("        {");
        w.Line("            _pending.Enqueue(item);");
        w.Line("        }");
        if (style == 3)
        {
            w.Line();
            w.Line("        _wake.Set();");
        }

        w.Line("    }");
        w.Line();
        w.Line("    private void Run()");
        w.Line("    {");
        w.Line(style == 2 ? "        while (!_stop.IsCancellationRequested)" : "        while (_running)");
        w.Line("        {");
        w.Line($"            {model}? next = null;");
        w.Line("            lock (_gate)");
        w.Line("            {");
        w.Line("                if (_pending.Count > 0)");
        w.Line("                {");
        w.Line("                    next = _pending.Dequeue();");
        w.Line("                }");
        w.Line("            }");
        w.Line();
        w.Line("            if (next is null)");
        w.Line("            {");
        w.Line(style switch
        {
            2 => "                _stop.Token.WaitHandle.WaitOne(200);",
            3 => "                _wake.WaitOne();",
            _ => "                Thread.Sleep(200);",
        });
        w.Line("                continue;");
        w.Line("            }");
        w.Line();
        w.Line("            Console.WriteLine(next.Name);");
        w.Line("        }");
        w.Line("    }");
        w.Line();
        w.Line("    public void Dispose()");
        w.Line("    {");
        if (style == 2)
        {
            w.Line("        _stop.Cancel();");
        }
        else
        {
            w.Line("        _running = false;");
        }

        if (style == 3)
        {
            w.Line("        _wake.Set();");
        }

        w.Line("        _thread?.Join();");
        w.Line("    }");
        w.Line("}");
        w.Line();
    }

    /// <summary>A background poller: a loop on its own thread with a token or without one.</summary>
    private void PollingClass(Writer w, string name, string model)
    {
        var withToken = _random.Next(2) == 0;
        w.Line($"public sealed class {name}");
        w.Line("{");
        w.Line("    private readonly IRemoteClient _client;");
        w.Line($"    private readonly List<{model}> _seen = new();");
        w.Line();
        w.Line($"    public {name}(IRemoteClient client) => _client = client;");
        w.Line();
        if (withToken)
        {
            w.Line("    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => PollAsync(cancellationToken), cancellationToken);");
            w.Line();
            w.Line("    private async Task PollAsync(CancellationToken cancellationToken)");
            w.Line("    {");
            w.Line("        while (true)");
            w.Line("        {");
            w.Line("            try");
            w.Line("            {");
            w.Line("                var text = await _client.GetAsync(\"/poll\", cancellationToken);");
            w.Line("                Console.WriteLine(text);");
            w.Line("                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);");
            w.Line("            }");
            w.Line("            catch (OperationCanceledException)");
            w.Line("            {");
            w.Line("                return;");
            w.Line("            }");
            w.Line("        }");
            w.Line("    }");
        }
        else
        {
            w.Line("    public void Start()");
            w.Line("    {");
            w.Line("        var thread = new Thread(() => Poll());");
            w.Line("        thread.Start();");
            w.Line("    }");
            w.Line();
            w.Line("    private void Poll()");
            w.Line("    {");
            w.Line("        while (true)");
            w.Line("        {");
            w.Line("            var text = _client.Get(\"/poll\");");
            w.Line("            Console.WriteLine(text);");
            w.Line("            Thread.Sleep(TimeSpan.FromSeconds(5));");
            w.Line("        }");
            w.Line("    }");
        }

        w.Line();
        w.Line($"    public int Seen => _seen.Count;");
        w.Line("}");
        w.Line();
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    public static int CountLines(string text)
    {
        var count = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private sealed class Writer
    {
        private readonly StringBuilder _builder = new();

        public int Count { get; private set; }

        public void Line(string text = "")
        {
            _builder.Append(text).Append('\n');
            Count++;
        }

        public override string ToString() => _builder.ToString();
    }
}
