using Xunit.Abstractions;

namespace GracefulStop.Behaviour.Tests;

/// <summary>
/// The fix contract: every program fails to stop before fixing, and after the package's fixes are applied the way
/// users apply them, it stops within a second of Stop(), with no exception on any thread, and its work still gets done.
/// </summary>
[Collection(BehaviourCollection.Name)]
public sealed class BehaviourTests
{
    private readonly BehaviourFixture _fixture;
    private readonly ITestOutputHelper _output;

    public BehaviourTests(BehaviourFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    /// <summary>Every program.</summary>
    public static TheoryData<string> Programs() => Data(BehaviourFixture.ProgramNames);

    /// <summary>The programs the preferred fixes make stop (all but <see cref="KnownFailures"/>).</summary>
    public static TheoryData<string> FixedPrograms() => Data(BehaviourFixture.ProgramNames.Where(p => !KnownFailures.Reasons.ContainsKey(p)));

    private static TheoryData<string> Data(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public async Task Known_failures_still_fail_after_the_preferred_fixes_for_the_reason_given()
    {
        var variants = new[] { _fixture.FormattedAsync(reverseOrder: false), _fixture.FormattedAsync(reverseOrder: true), _fixture.FixedInWorkspaceAsync() };
        foreach (var variant in await Task.WhenAll(variants))
        {
            Assert.True(variant.Build.ExitCode == 0, variant.Build.ToString());
            foreach (var (program, reason) in KnownFailures.Reasons)
            {
                var run = variant.Runs[program];
                _output.WriteLine($"{variant.Name}, {program}: {reason}\n{run}");
                Assert.True(run.Outcome is not (Outcome.Stopped or Outcome.NoProgress or Outcome.Usage), $"{variant.Name}: {program} now stops after fixing: remove it from KnownFailures\n{run}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Original_program_does_its_work_and_fails_to_stop(string program)
    {
        var variant = await _fixture.OriginalAsync();
        Assert.True(variant.Build.ExitCode == 0, variant.Build.ToString());
        var run = variant.Runs[program];
        _output.WriteLine(run.ToString());
        Assert.True(run.Outcome is not (Outcome.Stopped or Outcome.NoProgress or Outcome.Usage), "the original should do its work and then fail to stop:\n" + run);
    }

    [Theory]
    [MemberData(nameof(FixedPrograms))]
    public Task Program_fixed_by_dotnet_format_stops_cleanly(string program) => AssertStopsAsync(_fixture.FormattedAsync(reverseOrder: false), program);

    [Theory]
    [MemberData(nameof(FixedPrograms))]
    public Task Program_fixed_by_dotnet_format_in_reverse_file_order_stops_cleanly(string program) => AssertStopsAsync(_fixture.FormattedAsync(reverseOrder: true), program);

    [Theory]
    [MemberData(nameof(FixedPrograms))]
    public Task Program_fixed_by_Fix_All_in_solution_in_the_IDE_stops_cleanly(string program) => AssertStopsAsync(_fixture.FixedInWorkspaceAsync(), program);

    [Theory]
    [MemberData(nameof(Programs))]
    public Task Program_fixed_by_the_second_action_of_each_diagnostic_stops_cleanly(string program) => AssertSecondaryStopsAsync(ActionChoice.Second, program);

    [Theory]
    [MemberData(nameof(Programs))]
    public Task Program_fixed_by_the_last_action_of_each_diagnostic_stops_cleanly(string program) => AssertSecondaryStopsAsync(ActionChoice.Last, program);

    [Fact]
    public async Task Dotnet_format_converges_and_the_fixed_programs_build()
    {
        foreach (var reverse in new[] { false, true })
        {
            var variant = await _fixture.FormattedAsync(reverse);
            foreach (var pass in variant.Format)
            {
                _output.WriteLine(pass.Summary);
                Assert.True(pass.ExitCode == 0, pass.ToString());
            }

            Assert.True(variant.Format.Count < BehaviourFixture.MaxFormatPasses, $"{variant.Name}: still changing after {variant.Format.Count} passes");
            Assert.True(variant.Build.ExitCode == 0, variant.Build.ToString());
        }
    }

    [Fact]
    public async Task Dotnet_format_gives_the_same_text_whatever_the_file_order()
    {
        var a = await _fixture.FormattedAsync(reverseOrder: false);
        var b = await _fixture.FormattedAsync(reverseOrder: true);
        var original = await _fixture.OriginalAsync();
        var differing = a.Sources.Keys.Where(f => a.Sources[f] != b.Sources[f]).ToArray();
        foreach (var file in differing)
        {
            _output.WriteLine($"--- {file} (order A)\n{a.Sources[file]}\n--- {file} (order B)\n{b.Sources[file]}");
        }

        Assert.Empty(differing);
        Assert.NotEqual(original.Sources, a.Sources);
    }

    /// <summary>
    /// GS0004 in a type with no stop method, on programs whose stop is the end of Main: the one action offered there
    /// (preferred by dotnet format and Fix All) marks the thread as background, and the process exits within 1 s.
    /// </summary>
    [Theory]
    [InlineData("EndlessConfigFilePoller")]
    [InlineData("EndlessHeartbeatLogger")]
    public async Task Mark_as_background_thread_lets_the_process_exit_when_Main_returns(string program)
    {
        var formatted = await _fixture.FormattedAsync(reverseOrder: false);
        Assert.Contains("IsBackground = true", formatted.Sources[program + ".cs"]);
        Assert.DoesNotContain("CancellationTokenSource", formatted.Sources[program + ".cs"]);
        await AssertStopsAsync(Task.FromResult(formatted), program);
        var inWorkspace = await _fixture.FixedInWorkspaceAsync();
        Assert.Contains("IsBackground = true", inWorkspace.Sources[program + ".cs"]);
        await AssertStopsAsync(Task.FromResult(inWorkspace), program);
    }

    /// <summary>
    /// GS0007's secondary actions, on flag loops that an optimised build never leaves (the original hangs): the last
    /// action makes the field volatile, the second one replaces it by a ManualResetEventSlim.
    /// </summary>
    [Theory]
    [InlineData("StopFlagFrameLoop")]
    [InlineData("StopFlagNonceSearch")]
    public async Task Volatile_and_the_event_make_an_optimised_flag_loop_stop(string program)
    {
        var last = await _fixture.FixedInWorkspaceAsync(ActionChoice.Last);
        Assert.Contains("private volatile bool", last.Sources[program + ".cs"]);
        await AssertStopsAsync(Task.FromResult(last), program);
        var second = await _fixture.FixedInWorkspaceAsync(ActionChoice.Second);
        Assert.Contains("ManualResetEventSlim", second.Sources[program + ".cs"]);
        await AssertStopsAsync(Task.FromResult(second), program);
    }

    /// <summary>A program that a secondary action changes must stop like the others; one it does not change was run with the preferred fixes.</summary>
    private async Task AssertSecondaryStopsAsync(ActionChoice choice, string program)
    {
        var preferred = await _fixture.FixedInWorkspaceAsync();
        var variant = await _fixture.FixedInWorkspaceAsync(choice);
        _output.WriteLine(string.Join("\n", variant.Format.Select(f => f.Output)));
        if (variant.Sources[program + ".cs"] == preferred.Sources[program + ".cs"] && variant.Build.ExitCode == 0)
        {
            _output.WriteLine($"{program}: the {choice} actions give the same text as the preferred ones");
            return;
        }

        await AssertStopsAsync(Task.FromResult(variant), program);
    }

    private async Task AssertStopsAsync(Task<Variant> fixing, string program)
    {
        var variant = await fixing;
        Assert.True(variant.Build.ExitCode == 0, variant.Build.ToString());
        var run = variant.Runs[program];
        _output.WriteLine(run.ToString());
        _output.WriteLine("--- fixed source:");
        _output.WriteLine(variant.Sources[program + ".cs"]);
        Assert.True(run.Outcome == Outcome.Stopped, run.ToString());
    }
}
