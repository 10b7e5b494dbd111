namespace GracefulStop.Bench.RealBuild;

/// <summary>The timed builds of one project in one compiler mode: every arm once per round.</summary>
public sealed class RealBuildRun
{
    public RealBuildRun(RealBuildTarget target, CompilerMode mode, IReadOnlyList<BuildArm> arms)
    {
        Target = target;
        Mode = mode;
        Arms = arms;
    }

    public RealBuildTarget Target { get; }

    public CompilerMode Mode { get; }

    /// <summary>The baseline (the project as it is) first.</summary>
    public IReadOnlyList<BuildArm> Arms { get; }

    /// <summary>Per round, each arm's wall time in seconds, in the order of <see cref="Arms"/>.</summary>
    public List<double[]> Rounds { get; } = new();

    private readonly Dictionary<BuildArm, List<AnalyzerReport>> _profiles = new();

    public void AddProfile(BuildArm arm, AnalyzerReport profile)
    {
        if (!_profiles.TryGetValue(arm, out var list))
        {
            _profiles[arm] = list = new List<AnalyzerReport>();
        }

        list.Add(profile);
    }

    /// <summary>The mean of the arm's profiled builds (they explain where a difference goes, not its spread), or null.</summary>
    public AnalyzerReport? Profile(BuildArm arm) =>
        _profiles.TryGetValue(arm, out var list) && list.Count > 0
            ? new AnalyzerReport(list.Average(r => r.TotalAnalyzerSeconds), list.Average(r => r.AssemblySeconds), list.Average(r => r.CscSeconds))
            : null;

    /// <summary>Wall time of <paramref name="arm"/> ÷ the baseline's, round by round (one pair per round).</summary>
    public double[] Ratios(BuildArm arm)
    {
        var index = IndexOf(arm);
        return Rounds.Select(r => r[index] / r[0]).ToArray();
    }

    public double[] Seconds(BuildArm arm)
    {
        var index = IndexOf(arm);
        return Rounds.Select(r => r[index]).ToArray();
    }

    private int IndexOf(BuildArm arm)
    {
        for (var i = 0; i < Arms.Count; i++)
        {
            if (Arms[i] == arm)
            {
                return i;
            }
        }

        throw new ArgumentException($"{arm.Name} is not an arm of this run", nameof(arm));
    }
}
