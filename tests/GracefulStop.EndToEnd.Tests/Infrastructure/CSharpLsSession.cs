using System.Text.Json;
using System.Text.Json.Nodes;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An editor session with <c>csharp-ls</c> on one project folder, as a minimal LSP editor drives it: the tool from the
/// repository's local tool manifest (copied into the folder, <c>dotnet tool restore</c>), initialize with push
/// diagnostics, <c>csharp.analyzersEnabled = true</c>, then open/change documents and ask for code actions.
/// </summary>
public sealed class CSharpLsSession : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);

    private CSharpLsSession(string directory, LspClient client, JsonElement initializeResult)
    {
        Directory = directory;
        Client = client;
        InitializeResult = initializeResult;
    }

    public string Directory { get; }

    public LspClient Client { get; }

    public JsonElement InitializeResult { get; }

    /// <summary>The <c>csharp</c> settings the session's editor has: what a user sets to see analyzer diagnostics.</summary>
    public static JsonObject Settings() => new() { ["analyzersEnabled"] = true };

    /// <summary>
    /// Restores the pinned tool and the project in <paramref name="directory"/> (the server loads projects with
    /// MSBuild, which needs the restore's assets), starts the server there and initializes it.
    /// </summary>
    public static async Task<CSharpLsSession> StartAsync(string repositoryRoot, string directory)
    {
        var manifest = Path.Combine(directory, ".config", "dotnet-tools.json");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.Copy(Path.Combine(repositoryRoot, ".config", "dotnet-tools.json"), manifest, overwrite: true);

        foreach (var arguments in new[] { new[] { "tool", "restore" }, new[] { "restore", "-nodeReuse:false", "-tl:off", "-v:m" } })
        {
            var result = await DotNetCli.RunAsync(directory, arguments, TimeSpan.FromMinutes(3));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("Preparing the language server's folder failed:\n" + result);
            }
        }

        var client = LspClient.Start(
            DotNetCli.StartInfo(directory, new[] { "tool", "run", "csharp-ls", "--loglevel", "info" }),
            AnswerServerRequest);
        try
        {
            var uri = new Uri(directory + Path.DirectorySeparatorChar).AbsoluteUri;
            var result = await client.RequestAsync("initialize", Initialize(uri, directory), TimeSpan.FromSeconds(90));
            await client.NotifyAsync("initialized", new JsonObject());
            await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["csharp"] = Settings() } });
            return new CSharpLsSession(directory, client, result.Clone());
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static string UriOf(string path) => new Uri(path).AbsoluteUri;

    public Task OpenAsync(string relativeFile)
    {
        var path = Path.Combine(Directory, relativeFile);
        _versions[relativeFile] = 1;
        return Client.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject
            {
                ["uri"] = UriOf(path), ["languageId"] = "csharp", ["version"] = 1, ["text"] = File.ReadAllText(path),
            },
        });
    }

    /// <summary>Replaces the whole text of an open document, as an editor with full document sync does.</summary>
    public Task ChangeAsync(string relativeFile, string text)
    {
        var version = ++_versions[relativeFile];
        return Client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = UriOf(Path.Combine(Directory, relativeFile)), ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });
    }

    /// <summary>The diagnostics of the last publishDiagnostics for the file, or null when none came yet.</summary>
    public IReadOnlyList<LspDiagnostic>? LatestDiagnostics(string relativeFile) =>
        LatestPublication(relativeFile) is { } latest
            ? latest.Params.GetProperty("diagnostics").EnumerateArray().Select(d => LspDiagnostic.From(relativeFile, d)).ToList()
            : null;

    public LspNotification? LatestPublication(string relativeFile)
    {
        var path = Path.GetFullPath(Path.Combine(Directory, relativeFile));
        return Client.Notifications.LastOrDefault(n =>
            n.Method == "textDocument/publishDiagnostics" &&
            string.Equals(new Uri(n.Params.GetProperty("uri").GetString()!).LocalPath, path, StringComparison.Ordinal));
    }

    /// <summary>The titles of the code actions the light bulb shows on a diagnostic's range.</summary>
    public async Task<IReadOnlyList<string>> CodeActionTitlesAsync(LspDiagnostic diagnostic)
    {
        var result = await Client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = UriOf(Path.Combine(Directory, diagnostic.File)) },
            ["range"] = JsonNode.Parse(diagnostic.Raw.GetProperty("range").GetRawText()),
            ["context"] = new JsonObject
            {
                ["diagnostics"] = new JsonArray(JsonNode.Parse(diagnostic.Raw.GetRawText())),
                ["triggerKind"] = 1,
            },
        }, RequestTimeout);
        return result.ValueKind == JsonValueKind.Array
            ? result.EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToList()
            : Array.Empty<string>();
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    /// <summary>What the session's editor answers to the server's requests.</summary>
    private static JsonNode? AnswerServerRequest(string method, JsonElement parameters) => method switch
    {
        // One answer per item asked for; the server asks for the "csharp" section.
        "workspace/configuration" => new JsonArray(parameters.GetProperty("items").EnumerateArray()
            .Select(item => item.TryGetProperty("section", out var section) && section.GetString() == "csharp" ? Settings() : (JsonNode?)null)
            .ToArray()),
        "client/registerCapability" or "client/unregisterCapability" or "window/workDoneProgress/create" => null,
        "workspace/workspaceFolders" => null,
        _ => throw new InvalidOperationException("Unhandled server request " + method),
    };

    private static JsonObject Initialize(string rootUri, string directory) => new()
    {
        ["processId"] = Environment.ProcessId,
        ["clientInfo"] = new JsonObject { ["name"] = "GracefulStop.EndToEnd.Tests" },
        ["rootUri"] = rootUri,
        ["rootPath"] = directory,
        ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = Path.GetFileName(directory) }),
        ["capabilities"] = new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["configuration"] = true,
                ["workspaceFolders"] = true,
                ["didChangeConfiguration"] = new JsonObject { ["dynamicRegistration"] = false },
            },
            // No "diagnostic" capability: the server pushes diagnostics (publishDiagnostics), as to most editors.
            ["textDocument"] = new JsonObject
            {
                ["synchronization"] = new JsonObject { ["dynamicRegistration"] = false, ["didSave"] = true },
                ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true, ["codeDescriptionSupport"] = true },
                ["codeAction"] = new JsonObject
                {
                    ["codeActionLiteralSupport"] = new JsonObject
                    {
                        ["codeActionKind"] = new JsonObject
                        {
                            ["valueSet"] = new JsonArray("", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source"),
                        },
                    },
                    ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                    ["dataSupport"] = true,
                },
            },
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
        },
    };
}
