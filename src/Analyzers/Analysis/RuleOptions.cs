using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The <c>.editorconfig</c> options of the rules, shared by every analyzer.
/// </summary>
/// <remarks>
/// <para>
/// A rule's option <c>name</c> is read from the key <c>gracefulstop.GSxxxx.name</c>; when that key is absent, from the
/// shared key <c>gracefulstop.name</c>; when both are absent or their value cannot be read, the rule's default is kept.
/// Keys are case-insensitive (the compiler lower-cases <c>.editorconfig</c> keys). Values are trimmed.
/// </para>
/// <para>
/// Each value is parsed once per syntax tree and cached: get the instance once per callback with
/// <see cref="Get(AnalyzerOptions)"/> (cached per options provider, that is per compilation) and ask it with the tree.
/// Nothing here throws on a bad value.
/// </para>
/// </remarks>
public sealed class RuleOptions
{
    public const string Prefix = "gracefulstop.";

    private static readonly ConditionalWeakTable<AnalyzerConfigOptionsProvider, RuleOptions> Cache = new();
    private static readonly ConditionalWeakTable<AnalyzerConfigOptionsProvider, RuleOptions>.CreateValueCallback Create =
        provider => new RuleOptions(provider);

    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly ConcurrentDictionary<SyntaxTree, TreeOptions> _trees = new();
    private readonly Func<SyntaxTree, TreeOptions> _createTree;

    private RuleOptions(AnalyzerConfigOptionsProvider provider)
    {
        _provider = provider;
        _createTree = tree => new TreeOptions(_provider.GetOptions(tree));
    }

    /// <summary>The options of the compilation that <paramref name="options"/> belongs to.</summary>
    public static RuleOptions Get(AnalyzerOptions options) => Cache.GetValue(options.AnalyzerConfigOptionsProvider, Create);

    /// <summary>The key of a rule's option: <c>gracefulstop.gsxxxx.name</c>, or <c>gracefulstop.name</c> for a shared one.</summary>
    public static string Key(string? ruleId, string name) =>
        ruleId is null
            ? Prefix + name.ToLowerInvariant()
            : Prefix + ruleId.ToLowerInvariant() + "." + name.ToLowerInvariant();

    /// <summary>
    /// The trimmed value of the full <paramref name="key"/> for <paramref name="tree"/>, read straight from the provider
    /// and not kept: for one pass over every tree of a compilation, where the per-tree cache would cost more than it saves.
    /// </summary>
    public string? PeekString(SyntaxTree tree, string key) =>
        _provider.GetOptions(tree).TryGetValue(key, out var raw) && raw is not null && raw.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>The raw value, rule key first, then the shared key; null when neither is set.</summary>
    public string? GetString(SyntaxTree tree, string? ruleId, string name) =>
        ForTree(tree).Get(ruleId, name, ValueKind.Text, static raw => raw) as string;

    /// <summary>A whole number within [<paramref name="minimum"/>, <paramref name="maximum"/>], or the default.</summary>
    public int GetInt32(SyntaxTree tree, string? ruleId, string name, int defaultValue, int minimum = int.MinValue, int maximum = int.MaxValue)
    {
        var value = ForTree(tree).Get(ruleId, name, ValueKind.Int32, static raw =>
            int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null);
        return value is int number && number >= minimum && number <= maximum ? number : defaultValue;
    }

    /// <summary><c>true</c>/<c>false</c> (any case), or the default.</summary>
    public bool GetBoolean(SyntaxTree tree, string? ruleId, string name, bool defaultValue)
    {
        var value = ForTree(tree).Get(ruleId, name, ValueKind.Boolean, static raw =>
            bool.TryParse(raw, out var parsed) ? parsed : null);
        return value is bool flag ? flag : defaultValue;
    }

    /// <summary>One of <paramref name="allowed"/> (compared case-insensitively, returned as spelled there), or the default.</summary>
    public string GetChoice(SyntaxTree tree, string? ruleId, string name, ImmutableArray<string> allowed, string defaultValue)
    {
        var raw = GetString(tree, ruleId, name);
        if (raw is not null)
        {
            foreach (var choice in allowed)
            {
                if (string.Equals(choice, raw, StringComparison.OrdinalIgnoreCase))
                {
                    return choice;
                }
            }
        }

        return defaultValue;
    }

    /// <summary>A comma-separated list (<c>;</c> and <c>#</c> start a comment in .editorconfig), items trimmed, empty ones dropped; empty when unset.</summary>
    public ImmutableArray<string> GetList(SyntaxTree tree, string? ruleId, string name)
    {
        var value = ForTree(tree).Get(ruleId, name, ValueKind.List, static raw =>
        {
            var items = ImmutableArray.CreateBuilder<string>();
            foreach (var item in raw.Split(','))
            {
                var trimmed = item.Trim();
                if (trimmed.Length > 0)
                {
                    items.Add(trimmed);
                }
            }

            return items.ToImmutable();
        });
        return value is ImmutableArray<string> list ? list : ImmutableArray<string>.Empty;
    }

    private TreeOptions ForTree(SyntaxTree tree) => _trees.GetOrAdd(tree, _createTree);

    private enum ValueKind
    {
        Text,
        Int32,
        Boolean,
        List,
    }

    /// <summary>The options of one syntax tree, each value parsed at most once.</summary>
    private sealed class TreeOptions
    {
        private static readonly object Unset = new();

        private readonly AnalyzerConfigOptions _options;
        private readonly ConcurrentDictionary<(string? RuleId, string Name, ValueKind Kind), object> _values = new();

        public TreeOptions(AnalyzerConfigOptions options) => _options = options;

        /// <summary>The parsed value, or null when unset or unreadable.</summary>
        public object? Get(string? ruleId, string name, ValueKind kind, Func<string, object?> parse)
        {
            var key = (ruleId, name, kind);
            if (!_values.TryGetValue(key, out var value))
            {
                value = Read(ruleId, name, parse) ?? Unset;
                value = _values.GetOrAdd(key, value);
            }

            return ReferenceEquals(value, Unset) ? null : value;
        }

        private object? Read(string? ruleId, string name, Func<string, object?> parse)
        {
            // The rule's own key wins, even when its value is unreadable: a typo there must not silently
            // pick up the shared value.
            if (ruleId is not null && TryGetRaw(Key(ruleId, name), out var own))
            {
                return TryParse(own, parse);
            }

            return TryGetRaw(Key(null, name), out var shared) ? TryParse(shared, parse) : null;
        }

        private bool TryGetRaw(string key, out string value)
        {
            if (_options.TryGetValue(key, out var raw) && raw is not null)
            {
                value = raw.Trim();
                return value.Length > 0;
            }

            value = string.Empty;
            return false;
        }

        private static object? TryParse(string raw, Func<string, object?> parse)
        {
            try
            {
                return parse(raw);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return null;
            }
        }
    }
}
