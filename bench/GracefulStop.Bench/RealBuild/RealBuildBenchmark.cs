namespace GracefulStop.Bench.RealBuild;

/// <summary>
/// What the package costs in a user's build (issue 19): for each project and compiler mode, warm-up builds of every
/// arm, then rounds in which every arm is built once, the order rotating from round to round so that neither arm
/// always follows the other; the ratio to the baseline is taken pair by pair within a round, which holds when the
/// machine's speed drifts. Then, untimed, one profiled build per arm says where the difference went.
/// </summary>
public sealed class RealBuildBenchmark
{
    private readonly RealBuildSettings _settings;
    private readonly TextWriter _log;

    public RealBuildBenchmark(RealBuildSettings settings, TextWriter log)
    {
        _settings = settings;
        _log = log;
    }

    public async Task<IReadOnlyList<RealBuildRun>> RunAsync(string repoRoot)
    {
        var workRoot = _settings.WorkRoot ?? Path.Combine(Path.GetTempPath(), "gracefulstop-realbuild-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workRoot);
        _log.WriteLine($"Real builds in {workRoot}");
        var feed = await PackageFeed.CreateAsync(repoRoot, workRoot, _settings.Floor, _log);
        var arms = new List<BuildArm> { BuildArm.Without, feed.Package };
        if (_settings.Floor)
        {
            arms.Add(feed.Floor);
        }

        var runs = new List<RealBuildRun>();
        foreach (var target in _settings.Targets)
        {
            var builder = new ArmBuilder(target, feed, workRoot);
            foreach (var mode in _settings.Modes)
            {
                runs.Add(await RunOneAsync(builder, new RealBuildRun(target, mode, arms)));
            }
        }

        return runs;
    }

    private async Task<RealBuildRun> RunOneAsync(ArmBuilder builder, RealBuildRun run)
    {
        var label = $"[{run.Target.Name} {run.Mode}]";
        for (var w = 0; w < _settings.Warmup; w++)
        {
            foreach (var arm in run.Arms)
            {
                var warm = await builder.BuildAsync(arm, run.Mode);
                builder.EnsureSucceeded(arm, warm);
                _log.WriteLine($"{label} warm-up {arm.Name}: {warm.Elapsed.TotalSeconds:F2} s");
            }
        }

        for (var round = 0; round < _settings.Pairs; round++)
        {
            var seconds = new double[run.Arms.Count];
            for (var k = 0; k < run.Arms.Count; k++)
            {
                var index = (round + k) % run.Arms.Count;
                var arm = run.Arms[index];
                var result = await builder.BuildAsync(arm, run.Mode);
                builder.EnsureSucceeded(arm, result);
                seconds[index] = result.Elapsed.TotalSeconds;
            }

            run.Rounds.Add(seconds);
            _log.WriteLine($"{label} round {round + 1}/{_settings.Pairs}: " + string.Join(", ", run.Arms.Select((a, i) => $"{a.Name} {seconds[i]:F2} s")));
        }

        for (var p = 0; p < _settings.ProfileRuns; p++)
        {
            foreach (var arm in run.Arms)
            {
                run.AddProfile(arm, await builder.ProfileAsync(arm, run.Mode));
            }
        }

        return run;
    }
}
