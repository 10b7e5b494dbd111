using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// Bulk fixes: <c>dotnet format analyzers</c> over the consumer applies every fixable rule's fix (through Fix All),
/// a second run with <c>--verify-no-changes</c> finds nothing left, the project still builds without a fixable
/// warning, and the fixed program stops when asked.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class FormatTests
{
    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FormatTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
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

    private sealed record Fixed(
        string Directory,
        IReadOnlyList<ExpectedDiagnostic> Expected,
        IReadOnlyDictionary<string, string> Before,
        CommandResult Format,
        CommandResult Verify,
        CommandResult Build);

    private Task<Fixed> FixedAsync() => _package.Once("format", async () =>
    {
        var directory = _package.CreateConsumer("format");
        var expected = ExpectedDiagnostic.Read(directory);
        var before = expected.Select(e => e.File).Distinct().ToDictionary(f => f, f => File.ReadAllText(Path.Combine(directory, f)));
        var ids = expected.Where(e => e.Fixable).Select(e => e.Id).Distinct().Order(StringComparer.Ordinal).ToArray();

        string[] FormatArguments(params string[] extra) =>
            new[] { "format", "analyzers", "Consumer.csproj", "--diagnostics" }.Concat(ids).Concat(new[] { "--severity", "warn", "-v", "n" }).Concat(extra).ToArray();

        var format = await DotNetCli.RunAsync(directory, FormatArguments());
        var verify = await DotNetCli.RunAsync(directory, FormatArguments("--verify-no-changes", "--no-restore"));
        var build = await PackageFixture.BuildAsync(directory);
        return new Fixed(directory, expected, before, format, verify, build);
    });

    [Fact]
    public async Task Format_applies_every_fix_and_leaves_nothing_to_fix()
    {
        var result = await FixedAsync();
        Log(result.Format, result.Verify, result.Build);
        Assert.True(result.Format.ExitCode == 0, result.Format.ToString());

        foreach (var file in result.Expected.Where(e => e.Fixable).Select(e => e.File).Distinct())
        {
            _output.WriteLine($"--- {file} after dotnet format:");
            _output.WriteLine(File.ReadAllText(Path.Combine(result.Directory, file)));
            Assert.True(
                File.ReadAllText(Path.Combine(result.Directory, file)) != result.Before[file],
                $"dotnet format did not change {file}\n{result.Format}");
        }

        Assert.True(result.Verify.ExitCode == 0, "--verify-no-changes still finds something to fix\n" + result.Verify);
    }

    [Fact]
    public async Task Fixed_project_builds_with_no_fixable_warning_left()
    {
        var result = await FixedAsync();
        Assert.True(result.Build.ExitCode == 0, result.Build.ToString());

        var remaining = BuildDiagnostic.ParseRules(result.Build.Output, result.Directory);
        Assert.Equal(
            result.Expected.Where(e => !e.Fixable).Select(e => $"{e.File}: {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            remaining.Select(d => $"{d.File}: {d.Id}").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Fixed_program_stops_every_case_within_a_second()
    {
        var result = await FixedAsync();
        Assert.True(result.Build.ExitCode == 0, result.Build.ToString());

        var program = Path.Combine(result.Directory, "bin", "Debug", PackageFixture.ConsumerTargetFramework, "Consumer.dll");
        var run = await DotNetCli.RunAsync(result.Directory, new[] { program }, TimeSpan.FromSeconds(30));
        Log(run);
        _output.WriteLine(run.Output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(" 0 failed to stop", run.Output, StringComparison.Ordinal);
    }
}
