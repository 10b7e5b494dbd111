using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The <c>.editorconfig</c> options of the blocking-call rules (GS0005, GS0006), read with <see cref="RuleOptions"/>.
/// An invalid value is ignored and the default kept; reading never throws. The documentation IDs of
/// <c>gracefulstop.blocking_methods</c> contain commas, so the raw value is split here, not as a plain list.
/// </summary>
public readonly struct BlockingOptions
{
    /// <summary>Waits shorter than this many milliseconds inside a loop that observes the token are not reported by GS0005.</summary>
    public const string ShortWaitThresholdKey = "gracefulstop.GS0005.short_wait_threshold_ms";

    /// <summary>Extra blocking methods, by documentation ID, separated by commas (outside parentheses) or white space.</summary>
    public const string BlockingMethodsKey = "gracefulstop.blocking_methods";

    /// <summary>The timeout, in seconds, the GS0006 fix writes into <c>Join</c>, <c>Monitor.Wait</c> and <c>SpinWait.SpinUntil</c>.</summary>
    public const string DefaultTimeoutKey = "gracefulstop.GS0006.default_timeout_seconds";

    public const int DefaultShortWaitThresholdMs = 100;

    public const int DefaultTimeoutSeconds = 30;

    /// <summary>The largest timeout a <c>TimeSpan</c>-taking wait accepts is <c>int.MaxValue</c> milliseconds.</summary>
    public const int MaxTimeoutSeconds = int.MaxValue / 1000;

    public static BlockingOptions Default { get; } = new(DefaultShortWaitThresholdMs, DefaultTimeoutSeconds, string.Empty);

    public BlockingOptions(int shortWaitThresholdMs, int defaultTimeoutSeconds, string blockingMethods)
    {
        ShortWaitThresholdMs = shortWaitThresholdMs;
        TimeoutSeconds = defaultTimeoutSeconds;
        BlockingMethods = blockingMethods;
    }

    public int ShortWaitThresholdMs { get; }

    /// <summary>The GS0006 fix's timeout in seconds.</summary>
    public int TimeoutSeconds { get; }

    /// <summary>The raw list of documentation IDs (empty when unset).</summary>
    public string BlockingMethods { get; }

    /// <summary>The options of <paramref name="tree"/>, read through the shared <see cref="RuleOptions"/> reader.</summary>
    public static BlockingOptions Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var rules = RuleOptions.Get(options);
        return new BlockingOptions(
            rules.GetInt32(tree, RuleIds.BlockingCallIgnoresToken, "short_wait_threshold_ms", DefaultShortWaitThresholdMs, 0, int.MaxValue),
            rules.GetInt32(tree, RuleIds.BlockingCallCanWaitForever, "default_timeout_seconds", DefaultTimeoutSeconds, 1, MaxTimeoutSeconds),
            rules.GetString(tree, null, "blocking_methods") ?? string.Empty);
    }

    /// <summary>The documentation IDs of <see cref="BlockingMethods"/>; entries that are not method IDs are dropped.</summary>
    public static IEnumerable<string> SplitIds(string raw)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= raw.Length; i++)
        {
            var c = i < raw.Length ? raw[i] : ';';
            if (c is '(' or '{' or '[')
            {
                depth++;
            }
            else if (c is ')' or '}' or ']')
            {
                depth = depth > 0 ? depth - 1 : 0;
            }
            else if (i == raw.Length || (depth == 0 && (c is ',' or ';' || char.IsWhiteSpace(c))))
            {
                var id = raw.Substring(start, i - start).Trim();
                start = i + 1;
                if (id.Length > 2 && id.StartsWith("M:", StringComparison.Ordinal))
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>The method name in a documentation ID: <c>Wait</c> in <c>M:Ns.Gate.Wait(System.Int32)</c>, <c>.ctor</c> for constructors.</summary>
    public static string MethodName(string id)
    {
        var end = id.IndexOf('(');
        if (end < 0)
        {
            end = id.Length;
        }

        // Generic arity (``1) follows the name.
        var arity = id.LastIndexOf("``", end, StringComparison.Ordinal);
        if (arity > 0 && arity > id.LastIndexOf('.', end - 1))
        {
            end = arity;
        }

        var start = id.LastIndexOf('.', end - 1) + 1;
        var name = id.Substring(start, end - start);
        return name.Replace('#', '.');
    }
}
