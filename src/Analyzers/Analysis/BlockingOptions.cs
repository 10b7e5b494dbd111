using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The <c>.editorconfig</c> keys of the blocking-call rules (GS0005, GS0006). An invalid value is ignored and the
/// default kept; reading never throws.
/// </summary>
public readonly struct BlockingOptions
{
    /// <summary>Waits shorter than this many milliseconds inside a loop that observes the token are not reported by GS0005.</summary>
    public const string ShortWaitThresholdKey = "gracefulstop.GS0005.short_wait_threshold_ms";

    /// <summary>Extra blocking methods, by documentation ID, separated by commas (outside parentheses), semicolons or white space.</summary>
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

    public static BlockingOptions Read(AnalyzerOptions options, SyntaxTree tree) =>
        Read(options.AnalyzerConfigOptionsProvider.GetOptions(tree));

    public static BlockingOptions Read(AnalyzerConfigOptions options)
    {
        var threshold = ReadInt(options, ShortWaitThresholdKey, 0, int.MaxValue) ?? DefaultShortWaitThresholdMs;
        var timeout = ReadInt(options, DefaultTimeoutKey, 1, MaxTimeoutSeconds) ?? DefaultTimeoutSeconds;
        var methods = options.TryGetValue(BlockingMethodsKey, out var raw) && raw is not null ? raw.Trim() : string.Empty;
        return new BlockingOptions(threshold, timeout, methods);
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

    private static int? ReadInt(AnalyzerConfigOptions options, string key, int min, int max)
    {
        if (!options.TryGetValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        return null;
    }
}
