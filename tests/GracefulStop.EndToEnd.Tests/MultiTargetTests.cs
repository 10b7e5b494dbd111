using System.Text.RegularExpressions;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// A multi-targeted library (<c>net462;netstandard2.0;net8.0</c>, sources in MultiTarget/), as a team porting from
/// .NET Framework has one. The build reports each finding once per target with that target's message; after
/// <c>dotnet format analyzers</c> the library still builds for every target, because a fix whose API exists only on
/// newer targets (<c>TextWriter.FlushAsync(CancellationToken)</c>, <c>Dns.GetHostAddressesAsync(host, token)</c>) is
/// not offered: <c>dotnet format</c>, like the IDE, loads the project once per target with linked documents.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class MultiTargetTests
{
    private static readonly string[] Targets = { "net462", "netstandard2.0", "net8.0" };

    /// <summary><c>// expect: GS0001</c> (every target) or <c>// expect(net8.0): GS0005</c> (the listed targets).</summary>
    private static readonly Regex Marker = new(@"//\s*expect(?:\((?<targets>[^)]+)\))?:\s*(?<id>GS\d{4})", RegexOptions.CultureInvariant);

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public MultiTargetTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    private sealed record Run(
        string Directory,
        IReadOnlyList<(string Key, bool EveryTarget)> Expected,
        IReadOnlyDictionary<string, string> Sources,
        CommandResult Before,
        CommandResult Format,
        CommandResult After);

    private Task<Run> RunAsync() => _package.Once("multi-target", async () =>
    {
        var template = Path.Combine(AppContext.BaseDirectory, "MultiTarget");
        var sources = Directory.EnumerateFiles(template, "*.cs").ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        var directory = _package.CreateConsumer(
            "multi-target",
            sources,
            includeCases: false,
            projectName: "Library",
            targetFrameworks: string.Join(';', Targets),
            extraProperties: "    <OutputType>Library</OutputType>\n    <ImplicitUsings>disable</ImplicitUsings>\n    <Nullable>disable</Nullable>");

        // GS0003, GS0005 and GS0007 are suggestions by default; the library raises them, as a team porting would.
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.GS0003.severity = warning\ndotnet_diagnostic.GS0005.severity = warning\ndotnet_diagnostic.GS0007.severity = warning\ndotnet_diagnostic.GS0004.severity = warning\ndotnet_diagnostic.GS0008.severity = warning\ndotnet_diagnostic.GS0009.severity = warning\n");
        var before = await PackageFixture.BuildFileAsync(directory, "Library.csproj");
        var format = await DotNetCli.RunAsync(
            directory,
            new[] { "format", "analyzers", "Library.csproj", "--diagnostics", "GS0001", "GS0002", "GS0003", "GS0005", "GS0007", "--severity", "warn", "-v", "n" });
        var after = await PackageFixture.BuildFileAsync(directory, "Library.csproj");
        foreach (var result in new[] { before, format, after })
        {
            _output.WriteLine(result.Summary);
        }

        return new Run(directory, Expected(sources), sources, before, format, after);
    });

    [Fact]
    public async Task Build_reports_each_finding_once_per_target_with_the_message_of_each_target()
    {
        var run = await RunAsync();
        Assert.True(run.Before.ExitCode == 0, run.Before.ToString());

        var reported = TargetedDiagnostic.ParseAll(TargetedDiagnostic.BeforeSummary(run.Before.Output), run.Directory);
        foreach (var target in Targets)
        {
            _output.WriteLine($"{target}: {reported.Count(d => d.TargetFramework == target)} GS warnings before the fixes");
        }

        Assert.Equal(
            run.Expected.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray(),
            reported.Select(Key).Order(StringComparer.Ordinal).ToArray());

        var abort = reported.Where(d => d.Id == "GS0001").ToDictionary(d => d.TargetFramework, d => d.Message);
        Assert.Equal(
            "'_thread.Abort()' injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken; stop the thread with a CancellationToken",
            abort["net462"]);
        Assert.Equal(
            "'_thread.Abort()' throws PlatformNotSupportedException on .NET Core and .NET 5+ and injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken on .NET Framework; stop the thread with a CancellationToken",
            abort["netstandard2.0"]);
        Assert.Equal(
            "'_thread.Abort()' throws PlatformNotSupportedException on .NET Core and .NET 5+ and does nothing to the thread; stop it with a CancellationToken",
            abort["net8.0"]);
    }

    [Fact]
    public async Task After_dotnet_format_the_library_builds_for_every_target()
    {
        var run = await RunAsync();
        Assert.True(run.Format.ExitCode == 0, run.Format.ToString());
        Assert.True(run.After.ExitCode == 0, run.After.ToString());
        Assert.DoesNotContain(BuildDiagnostic.Parse(run.After.Output), d => d.Severity == "error");
        foreach (var target in Targets)
        {
            Assert.Contains($"/bin/Debug/{target}/Library.dll", run.After.Output.Replace('\\', '/'), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_overload_missing_on_an_older_target_is_left_for_the_developer()
    {
        var run = await RunAsync();
        Assert.True(run.After.ExitCode == 0, run.After.ToString());

        var remaining = TargetedDiagnostic.ParseAll(TargetedDiagnostic.BeforeSummary(run.After.Output), run.Directory);
        foreach (var target in Targets)
        {
            _output.WriteLine($"{target}: {remaining.Count(d => d.TargetFramework == target)} GS warnings after dotnet format");
        }

        // Only the findings of the newest target are left, on calls the fix did not touch (their markers moved with
        // the lines the fixes added above them).
        var fixedSource = File.ReadAllText(Path.Combine(run.Directory, "Workers.cs"));
        Assert.Equal(
            Expected(new Dictionary<string, string> { ["Workers.cs"] = fixedSource }).Where(e => !e.EveryTarget).Select(e => e.Key).Order(StringComparer.Ordinal).ToArray(),
            remaining.Select(Key).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("await writer.FlushAsync(); // expect(net8.0): GS0005", fixedSource, StringComparison.Ordinal);
        Assert.Contains("return await Dns.GetHostAddressesAsync(host); // expect(net8.0): GS0005", fixedSource, StringComparison.Ordinal);
        Assert.NotEqual(run.Sources["Workers.cs"], fixedSource);
    }

    private static string Key(TargetedDiagnostic d) => $"{d.TargetFramework} {d.File}({d.Line}): {d.Id}";

    private static List<(string Key, bool EveryTarget)> Expected(IReadOnlyDictionary<string, string> sources)
    {
        var expected = new List<(string, bool)>();
        foreach (var (file, text) in sources)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in Marker.Matches(lines[i]))
                {
                    var every = !match.Groups["targets"].Success;
                    var targets = every ? Targets : match.Groups["targets"].Value.Split(',', StringSplitOptions.TrimEntries);
                    expected.AddRange(targets.Select(t => ($"{t} {file}({i + 1}): {match.Groups["id"].Value}", every)));
                }
            }
        }

        return expected;
    }
}
