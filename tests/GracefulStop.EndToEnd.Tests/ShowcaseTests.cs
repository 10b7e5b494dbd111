using GracefulStop.EndToEnd.Tests.Infrastructure;

namespace GracefulStop.EndToEnd.Tests;

/// <summary>README's first command: building samples/Showcase prints a warning, with file and line, for every rule.</summary>
[Collection(PackageCollection.Name)]
public sealed class ShowcaseTests
{
    private readonly PackageFixture _package;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ShowcaseTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task Building_the_showcase_prints_a_warning_with_file_and_line_for_every_rule()
    {
        var showcase = Path.Combine(_package.RepositoryRoot, "samples", "Showcase");
        // The README command, built into a private folder so the repository's bin/obj are untouched.
        var build = await DotNetCli.RunAsync(
            _package.RepositoryRoot,
            new[]
            {
                "build", "samples/Showcase", "--no-incremental",
                "--artifacts-path", Path.Combine(_package.Root, "showcase"), "-nodeReuse:false", "-tl:off", "-v:m",
            });
        _output.WriteLine(build.Summary);

        Assert.True(build.ExitCode == 0, build.ToString());
        var diagnostics = BuildDiagnostic.ParseRules(build.Output, showcase);
        Assert.All(diagnostics, d =>
        {
            Assert.Equal("warning", d.Severity);
            Assert.EndsWith(".cs", d.File, StringComparison.Ordinal);
            Assert.False(d.File.StartsWith("../", StringComparison.Ordinal), d.ToString());
            Assert.True(d.Line > 0);
        });
        Assert.Equal(
            RuleMetadata.All.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal),
            diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
    }
}
