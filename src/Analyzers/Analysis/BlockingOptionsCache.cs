using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// <see cref="BlockingOptions"/> read once per syntax tree for one compilation's analysis, so the callbacks that run on
/// every invocation do not read <c>.editorconfig</c> values again.
/// </summary>
public sealed class BlockingOptionsCache
{
    private readonly AnalyzerOptions _options;
    private readonly ConcurrentDictionary<SyntaxTree, BlockingOptions> _trees = new();

    public BlockingOptionsCache(AnalyzerOptions options) => _options = options;

    public BlockingOptions Get(SyntaxTree tree)
    {
        if (!_trees.TryGetValue(tree, out var options))
        {
            options = _trees.GetOrAdd(tree, BlockingOptions.Read(_options, tree));
        }

        return options;
    }
}
