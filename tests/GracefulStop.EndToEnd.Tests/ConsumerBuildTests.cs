using System.Text.Json;
using GracefulStop.Analyzers;
using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// The package in a CI build: a throwaway project with one case per rule (Consumer/Cases), restored from the packed
/// nupkg through its own nuget.config and built with <c>dotnet build --no-incremental</c>.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ConsumerBuildTests
{
    private const string SarifFile = "out.sarif";

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ConsumerBuildTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
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

    private sealed record Baseline(string Directory, CommandResult Build, IReadOnlyList<ExpectedDiagnostic> Expected);

    /// <summary>One build gives both the console warnings and the SARIF 2.1 log.</summary>
    private Task<Baseline> BaselineAsync() => _package.Once("ci-build", async () =>
    {
        var directory = _package.CreateConsumer("ci");
        var build = await PackageFixture.BuildAsync(directory, $"-p:ErrorLog={SarifFile}%2Cversion=2.1");
        return new Baseline(directory, build, ExpectedDiagnostic.Read(directory));
    });

    [Fact]
    public async Task Build_reports_every_expected_warning_with_file_and_line()
    {
        var baseline = await BaselineAsync();
        Log(baseline.Build);
        Assert.True(baseline.Build.ExitCode == 0, baseline.Build.ToString());
        Assert.NotEmpty(baseline.Expected);

        var actual = BuildDiagnostic.ParseRules(baseline.Build.Output, baseline.Directory);
        Assert.All(actual, d => Assert.Equal("warning", d.Severity));
        Assert.Equal(
            baseline.Expected.Select(e => $"{e.File}({e.Line}): {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            actual.Select(d => $"{d.File}({d.Line}): {d.Id}").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Error_log_is_sarif_2_1_naming_each_rule_with_its_help_link()
    {
        var baseline = await BaselineAsync();
        var path = Path.Combine(baseline.Directory, SarifFile);
        Assert.True(File.Exists(path), "No SARIF log written\n" + baseline.Build);

        using var sarif = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = Assert.Single(sarif.RootElement.GetProperty("runs").EnumerateArray());

        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Where(r => BuildDiagnostic.IsRuleId(r.GetProperty("id").GetString()!))
            .ToList();
        var results = run.GetProperty("results").EnumerateArray()
            .Where(r => BuildDiagnostic.IsRuleId(r.GetProperty("ruleId").GetString()!))
            .Select(r =>
            {
                var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
                var uri = new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
                var file = BuildDiagnostic.Relative(baseline.Directory, uri.LocalPath);
                return $"{file}({location.GetProperty("region").GetProperty("startLine").GetInt32()}): {r.GetProperty("ruleId").GetString()} {r.GetProperty("level").GetString()}";
            })
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            baseline.Expected.Select(e => $"{e.File}({e.Line}): {e.Id} warning").Order(StringComparer.Ordinal).ToArray(),
            results);

        foreach (var id in baseline.Expected.Select(e => e.Id).Distinct())
        {
            var descriptor = RuleMetadata.ById(id);
            var rule = Assert.Single(rules, r => r.GetProperty("id").GetString() == id);
            Assert.Equal(Descriptors.HelpLink(id), rule.GetProperty("helpUri").GetString());
            Assert.Equal(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), rule.GetProperty("shortDescription").GetProperty("text").GetString());
            Assert.Equal(descriptor.Category, rule.GetProperty("properties").GetProperty("category").GetString());
        }
    }

    [Fact]
    public async Task Warnaserror_turns_the_warnings_into_a_failing_build()
    {
        var baseline = await BaselineAsync();
        var build = await PackageFixture.BuildAsync(baseline.Directory, "-warnaserror");
        Log(build);

        Assert.True(build.ExitCode != 0, "The build should have failed\n" + build);
        var errors = BuildDiagnostic.ParseRules(build.Output, baseline.Directory);
        Assert.All(errors, d => Assert.Equal("error", d.Severity));
        Assert.Equal(
            baseline.Expected.Select(e => $"{e.File}({e.Line}): {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            errors.Select(d => $"{d.File}({d.Line}): {d.Id}").Order(StringComparer.Ordinal).ToArray());
    }
}
