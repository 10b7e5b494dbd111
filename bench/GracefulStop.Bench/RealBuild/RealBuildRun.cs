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

    public Dictionary<BuildArm, AnalyzerReport> Profiles { get; } = new();

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
