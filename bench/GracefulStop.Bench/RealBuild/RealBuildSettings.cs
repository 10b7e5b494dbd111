namespace GracefulStop.Bench.RealBuild;

/// <summary>The options of <c>--real-build</c>.</summary>
public sealed class RealBuildSettings
{
    public List<RealBuildTarget> Targets { get; } = new();

    /// <summary>Rounds; each gives one pair (arm ÷ baseline) per arm.</summary>
    public int Pairs { get; set; } = 10;

    public int Warmup { get; set; } = 1;

    public int ProfileRuns { get; set; } = 1;

    public bool Floor { get; set; } = true;

    public List<CompilerMode> Modes { get; } = new() { CompilerMode.WarmServer, CompilerMode.NoServer };

    public string? WorkRoot { get; set; }
}
