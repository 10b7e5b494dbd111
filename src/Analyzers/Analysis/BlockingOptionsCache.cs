using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The names of the configured blocking methods over all trees, so that a call is rejected by its name before any
/// tree's options are read; and <see cref="BlockingOptions"/> read at most once per syntax tree, for the calls that
/// need them (a configured name, a report). One instance is shared by the rules that analyse the same compilation with
/// the same options (<see cref="For"/>).
/// </summary>
public sealed class BlockingOptionsCache
{
    private static readonly ConditionalWeakTable<Compilation, BlockingOptionsCache> Shared = new();

    private readonly AnalyzerOptions _options;
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<SyntaxTree, BlockingOptions> _trees = new();
    private HashSet<string>? _configuredNames;

    public BlockingOptionsCache(AnalyzerOptions options, Compilation compilation)
    {
        _options = options;
        _compilation = compilation;
    }

    /// <summary>The cache of <paramref name="compilation"/> analysed with <paramref name="options"/>.</summary>
    public static BlockingOptionsCache For(AnalyzerOptions options, Compilation compilation)
    {
        var cache = Shared.GetValue(compilation, c => new BlockingOptionsCache(options, c));

        // Another options provider for the same compilation (rare: an IDE host analysing it twice) gets its own.
        return ReferenceEquals(cache._options.AnalyzerConfigOptionsProvider, options.AnalyzerConfigOptionsProvider)
            ? cache
            : new BlockingOptionsCache(options, compilation);
    }

    public BlockingOptions Get(SyntaxTree tree) =>
        _trees.TryGetValue(tree, out var options) ? options : _trees.GetOrAdd(tree, BlockingOptions.Read(_options, tree));

    /// <summary>
    /// The raw <c>gracefulstop.blocking_methods</c> value of <paramref name="tree"/> when some tree configures a method
    /// called <paramref name="methodName"/>, otherwise empty without reading the tree's options.
    /// </summary>
    public string ConfiguredMethods(string methodName, SyntaxTree tree) =>
        IsConfiguredName(methodName) ? Get(tree).BlockingMethods : string.Empty;

    /// <summary>Whether some tree's <c>gracefulstop.blocking_methods</c> names a method called <paramref name="methodName"/>.</summary>
    public bool IsConfiguredName(string methodName)
    {
        var names = Volatile.Read(ref _configuredNames);
        if (names is null)
        {
            names = new HashSet<string>(StringComparer.Ordinal);
            var rules = RuleOptions.Get(_options);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (rules.PeekString(tree, BlockingOptions.BlockingMethodsKey) is not { } configured)
                {
                    continue;
                }

                foreach (var id in BlockingOptions.SplitIds(configured))
                {
                    names.Add(BlockingOptions.MethodName(id));
                }
            }

            names = Interlocked.CompareExchange(ref _configuredNames, names, null) ?? names;
        }

        return names.Count > 0 && names.Contains(methodName);
    }
}
