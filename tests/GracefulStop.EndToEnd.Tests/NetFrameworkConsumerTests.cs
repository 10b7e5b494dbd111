using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>
/// An SDK-style consumer targeting .NET Framework 4.7.2: the consumer of <see cref="FormatTests"/> (one case per rule,
/// the behaviour suite of the fixes) built for <c>net472</c> against the reference assemblies package. It reports every
/// rule with the .NET Framework messages, and after <c>dotnet format analyzers</c> every fixed case compiles for
/// <c>net472</c>. The fixed program is only compiled here: running a .NET Framework program needs Windows (or Mono),
/// which this machine and CI do not have; <see cref="FormatTests"/> runs the same fixed cases on .NET.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class NetFrameworkConsumerTests
{
    private const string TargetFramework = "net472";

    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public NetFrameworkConsumerTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    private sealed record Run(string Directory, IReadOnlyList<ExpectedDiagnostic> Expected, CommandResult Before, CommandResult Format, CommandResult After);

    private Task<Run> RunAsync() => _package.Once("net472-consumer", async () =>
    {
        // The cases are written in current C#; a .NET Framework project defaults to C# 7.3, so the consumer opts in.
        var directory = _package.CreateConsumer("net472", targetFrameworks: TargetFramework, extraProperties: "    <LangVersion>latest</LangVersion>");
        var expected = ExpectedDiagnostic.Read(directory);
        var before = await PackageFixture.BuildAsync(directory);
        var ids = expected.Where(e => e.Fixable).Select(e => e.Id).Distinct().Order(StringComparer.Ordinal);
        var format = await DotNetCli.RunAsync(
            directory,
            new[] { "format", "analyzers", "Consumer.csproj", "--diagnostics" }.Concat(ids).Concat(new[] { "--severity", "warn", "-v", "n" }).ToArray());
        var after = await PackageFixture.BuildAsync(directory);
        foreach (var result in new[] { before, format, after })
        {
            _output.WriteLine(result.Summary);
        }

        return new Run(directory, expected, before, format, after);
    });

    [Fact]
    public async Task Build_for_net472_reports_every_case_with_the_NET_Framework_messages()
    {
        var run = await RunAsync();
        Assert.True(run.Before.ExitCode == 0, run.Before.ToString());

        var actual = BuildDiagnostic.ParseRules(run.Before.Output, run.Directory);
        Assert.Equal(
            run.Expected.Select(e => $"{e.File}({e.Line}): {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            actual.Select(d => $"{d.File}({d.Line}): {d.Id}").Order(StringComparer.Ordinal).ToArray());
        var abort = Assert.Single(actual, d => d.Id == "GS0001");
        Assert.StartsWith("'_worker.Abort()' injects an exception at an arbitrary point of the thread", abort.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PlatformNotSupportedException", abort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_fix_compiles_for_net472_and_leaves_no_fixable_warning()
    {
        var run = await RunAsync();
        Assert.True(run.Format.ExitCode == 0, run.Format.ToString());
        Assert.True(run.After.ExitCode == 0, run.After.ToString());
        _output.WriteLine(run.After.Output);

        var remaining = BuildDiagnostic.ParseRules(run.After.Output, run.Directory);
        Assert.Equal(
            run.Expected.Where(e => !e.Fixable).Select(e => $"{e.File}: {e.Id}").Order(StringComparer.Ordinal).ToArray(),
            remaining.Select(d => $"{d.File}: {d.Id}").Order(StringComparer.Ordinal).ToArray());
        Assert.True(File.Exists(Path.Combine(run.Directory, "bin", "Debug", TargetFramework, "Consumer.exe")), "No net472 program was built\n" + run.After);
    }
}
