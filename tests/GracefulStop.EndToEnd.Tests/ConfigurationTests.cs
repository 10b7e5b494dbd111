using System.Text.Json;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// Configuring the packed rules as users do: <c>.editorconfig</c> severities, <c>#pragma warning disable</c>,
/// <c>[SuppressMessage]</c>, and the <c>&lt;GracefulStopMode&gt;</c> presets shipped in the package.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ConfigurationTests
{
    private const string SarifFile = "config.sarif";

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ConfigurationTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    private void Log(params CommandResult[] results)
    {
        _output.WriteLine(_package.PackResult?.Summary ?? "(not packed)");
        foreach (var result in results)
        {
            _output.WriteLine(result.Summary);
        }
    }

    /// <summary>A class that aborts and interrupts its worker: one GS0001 and one GS0002, on known lines.</summary>
    private static string Worker(string name, string attribute = "", string beforeAbort = "", string afterAbort = "") => $$"""
        namespace Consumer;

        {{attribute}}
        public sealed class {{name}}
        {
            private readonly Thread _worker = new(() => { while (true) { Thread.Sleep(10); } });

            public void Stop()
            {
        {{beforeAbort}}
                _worker.Abort();
        {{afterAbort}}
                _worker.Interrupt();
            }
        }
        """;

    private const int AbortLine = 11;
    private const int InterruptLine = 13;

    private static readonly Dictionary<string, string> Program = new()
    {
        ["Program.cs"] = "System.Console.WriteLine(\"configuration\");\n",
    };

    private static readonly string[] Modes = { "recommended", "Strict", "none", "paranoid" };

    private sealed record Configured(string Directory, CommandResult Build);

    /// <summary>
    /// One <c>dotnet build</c> of a solution of consumers: <c>configured</c> (severities set in .editorconfig, pragma,
    /// [SuppressMessage]) and one <c>mode-*</c> project per <c>&lt;GracefulStopMode&gt;</c> value.
    /// </summary>
    private Task<Configured> ConfiguredAsync() => _package.Once("configured", async () =>
    {
        var files = new Dictionary<string, string>(Program)
        {
            ["Plain.cs"] = Worker("Plain"),
            ["Raised.cs"] = Worker("Raised"),
            ["Lowered.cs"] = Worker("Lowered"),
            ["Silenced.cs"] = Worker("Silenced"),
            ["Pragma.cs"] = Worker("Pragma", beforeAbort: "#pragma warning disable GS0001", afterAbort: "#pragma warning restore GS0001"),
            ["Suppressed.cs"] = Worker("Suppressed", attribute: """[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "GS0001:Do not abort or suspend threads", Justification = "test")]"""),
            [".editorconfig"] = """
                root = true

                [Raised.cs]
                dotnet_diagnostic.GS0001.severity = error

                [Lowered.cs]
                dotnet_diagnostic.GS0001.severity = suggestion

                [Silenced.cs]
                dotnet_diagnostic.GS0001.severity = none
                """,
        };
        var projects = new List<string> { Path.Combine(_package.CreateConsumer("configuration/configured", files, includeCases: false, projectName: "Configured"), "Configured.csproj") };
        foreach (var mode in Modes)
        {
            var project = "Mode" + char.ToUpperInvariant(mode[0]) + mode[1..].ToLowerInvariant();
            var directory = _package.CreateConsumer(
                "configuration/mode-" + mode.ToLowerInvariant(),
                new Dictionary<string, string>(Program) { ["Worker.cs"] = Worker("Worker") },
                includeCases: false,
                extraProperties: $"<GracefulStopMode>{mode}</GracefulStopMode>",
                projectName: project);
            projects.Add(Path.Combine(directory, project + ".csproj"));
        }

        var solution = _package.CreateSolution("configuration", projects);
        var build = await PackageFixture.BuildFileAsync(solution, "all.slnx", $"-p:ErrorLog={SarifFile}%2Cversion=2.1");
        return new Configured(solution, build);
    });

    /// <summary>The package's diagnostics in one project of the solution, paths relative to that project.</summary>
    private static IEnumerable<BuildDiagnostic> In(Configured configured, string project) =>
        BuildDiagnostic.ParseRules(configured.Build.Output, Path.Combine(configured.Directory, project))
            .Where(d => !d.File.StartsWith("../", StringComparison.Ordinal));

    private static string[] Lines(IEnumerable<BuildDiagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d.File}({d.Line}): {d.Severity} {d.Id}").Order(StringComparer.Ordinal).ToArray();

    private static string[] InterruptEverywhere(params string[] files) =>
        files.Select(f => $"{f}({InterruptLine}): warning GS0002").ToArray();

    [Fact]
    public async Task Editorconfig_severity_raises_lowers_and_silences_a_rule_and_suppressions_hold()
    {
        var configured = await ConfiguredAsync();
        Log(configured.Build);
        Assert.True(configured.Build.ExitCode != 0, "GS0001 raised to error should fail the build\n" + configured.Build);
        Assert.Contains("configured/Configured.csproj", configured.Build.Output, StringComparison.Ordinal);

        var expected = new[] { $"Plain.cs({AbortLine}): warning GS0001", $"Raised.cs({AbortLine}): error GS0001" }
            .Concat(InterruptEverywhere("Lowered.cs", "Plain.cs", "Pragma.cs", "Raised.cs", "Silenced.cs", "Suppressed.cs"))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, Lines(In(configured, "configured")));
    }

    [Fact]
    public async Task Sarif_log_records_the_configured_levels_and_the_in_source_suppressions()
    {
        var configured = await ConfiguredAsync();
        var path = Path.Combine(configured.Directory, "configured", SarifFile);
        Assert.True(File.Exists(path), "No SARIF log written\n" + configured.Build);

        using var sarif = JsonDocument.Parse(File.ReadAllText(path));
        var aborts = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString() == "GS0001")
            .Select(r =>
            {
                var uri = new Uri(r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!);
                var suppressed = r.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0;
                return $"{Path.GetFileName(uri.LocalPath)}: {r.GetProperty("level").GetString()}{(suppressed ? " suppressed" : string.Empty)}";
            })
            .Order(StringComparer.Ordinal)
            .ToArray();

        // Silenced (none) is not reported at all; pragma and [SuppressMessage] are logged as suppressed.
        Assert.Equal(
            new[] { "Lowered.cs: note", "Plain.cs: warning", "Pragma.cs: warning suppressed", "Raised.cs: error", "Suppressed.cs: warning suppressed" },
            aborts);
    }

    [Theory]
    [InlineData("recommended", "warning")]
    [InlineData("Strict", "error")]
    [InlineData("none", null)]
    public async Task GracefulStopMode_preset_sets_every_rule_severity(string mode, string? severity)
    {
        var configured = await ConfiguredAsync();
        Log(configured.Build);
        var project = "mode-" + mode.ToLowerInvariant();

        var expected = severity is null
            ? Array.Empty<string>()
            : new[] { $"Worker.cs({AbortLine}): {severity} GS0001", $"Worker.cs({InterruptLine}): {severity} GS0002" };
        Assert.Equal(expected, Lines(In(configured, project)));
        Assert.DoesNotContain(
            configured.Build.Output.Split('\n'),
            line => line.Contains("GSMODE", StringComparison.Ordinal) && line.Contains(project + "/Mode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_GracefulStopMode_warns_and_keeps_the_defaults()
    {
        var configured = await ConfiguredAsync();
        Log(configured.Build);

        Assert.Contains(
            configured.Build.Output.Split('\n'),
            line => line.Contains("warning GSMODE: GracefulStopMode 'paranoid' is not one of strict, recommended or none", StringComparison.Ordinal)
                && line.Contains("mode-paranoid/ModeParanoid.csproj", StringComparison.Ordinal));
        Assert.Equal(
            new[] { $"Worker.cs({AbortLine}): warning GS0001", $"Worker.cs({InterruptLine}): warning GS0002" },
            Lines(In(configured, "mode-paranoid")));
    }
}
