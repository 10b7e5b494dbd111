using System.Collections.Immutable;

namespace GracefulStop.Bench.Baseline;

/// <summary>
/// What one arm of an A/B comparison measured on one corpus: each GS analyzer's time in every pair (by type name, so
/// that the two builds' analyzers line up), their sum, the analysis wall time and the diagnostics reported. Entry i of
/// every list comes from pair i.
/// </summary>
public sealed class ArmRuns
{
    public Dictionary<string, List<double>> PerAnalyzer { get; } = new(StringComparer.Ordinal);

    public List<double> AllGs { get; } = new();

    public List<double> Wall { get; } = new();

    /// <summary>The process's CPU time during the analysis: on a busy machine steadier than the callbacks' wall time.</summary>
    public List<double> Cpu { get; } = new();

    public ImmutableDictionary<string, int> DiagnosticsById { get; set; } = ImmutableDictionary<string, int>.Empty;

    public void Add(IReadOnlyDictionary<string, double> times, double wallMs, double cpuMs)
    {
        foreach (var (name, ms) in times)
        {
            if (!PerAnalyzer.TryGetValue(name, out var list))
            {
                PerAnalyzer[name] = list = new List<double>();
            }

            list.Add(ms);
        }

        AllGs.Add(times.Values.Sum());
        Wall.Add(wallMs);
        Cpu.Add(cpuMs);
    }
}
