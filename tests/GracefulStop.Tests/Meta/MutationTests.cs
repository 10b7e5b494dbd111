using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// Half-typed code: every analyzer over broken variants of the whole corpus, and every code fix on every
/// diagnostic that appears there. Nothing may throw or hang. The default run fits in CI; set
/// GRACEFULSTOP_MUTATION_SCALE (for example 10) for more variants per file, GRACEFULSTOP_MUTATION_SEED for others.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    /// <summary>Variants over the whole corpus at scale 1, spread evenly over its files.</summary>
    private const int VariantBudget = 1000;
    private const int MinVariantsPerFile = 4;
    private const int MaxDiagnosticsFixedPerVariant = 4;
    private static readonly TimeSpan PerFileLimit = TimeSpan.FromSeconds(45);

    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("GRACEFULSTOP_MUTATION_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("GRACEFULSTOP_MUTATION_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : Mutations.Seed;

    [Fact]
    public async Task No_analyzer_or_fixer_throws_or_hangs_on_broken_variants_of_the_corpus()
    {
        var files = Corpus.All;
        Assert.NotEmpty(Corpus.TestInputs);
        var perFile = Math.Max(MinVariantsPerFile, VariantBudget * Scale / files.Length);
        var variants = files.SelectMany(f => Mutations.Of(f, perFile, Seed)).ToList();

        var failures = new ConcurrentQueue<string>();
        int diagnostics = 0, actions = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            variants,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (variant, _) =>
            {
                try
                {
                    var (d, a, problems) = await RuleRunner.WithTimeLimitAsync(PerFileLimit, variant.ToString(), ct => ExerciseAsync(variant, ct));
                    Interlocked.Add(ref diagnostics, d);
                    Interlocked.Add(ref actions, a);
                    foreach (var problem in problems)
                    {
                        failures.Enqueue($"{variant}: {problem}");
                    }
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{variant}: {exception}");
                }
            });

        output.WriteLine($"{files.Length} files ({Corpus.TestInputs.Length} test inputs), {variants.Count} variants (scale {Scale}, seed {Seed}), "
            + $"{diagnostics} diagnostics, {actions} code actions computed, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures on broken code:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures.Take(15))}");
    }

    private static async Task<(int Diagnostics, int Actions, List<string> Failures)> ExerciseAsync(Variant variant, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var project = Corpus.ProjectOf(variant.File, variant.Text).CreateProject(RuleRunner.Analyzers);
        var diagnostics = await RuleRunner.AnalyzeAsync(project, cancellationToken);
        var fixable = diagnostics.Where(d => d.Location.IsInSource).Take(MaxDiagnosticsFixedPerVariant);
        var offered = await RuleRunner.GetActionsAsync(project, fixable, failures, cancellationToken);
        foreach (var action in offered)
        {
            await RuleRunner.ApplyAsync(action.Action, action.Describe(), failures, cancellationToken);
        }

        return (diagnostics.Length, offered.Length, failures);
    }
}
