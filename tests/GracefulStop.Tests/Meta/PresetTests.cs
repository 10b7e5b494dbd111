using GracefulStop.Tests.Harness;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Tests.Meta;

/// <summary>The GracefulStopMode presets shipped in the package name every rule (the end-to-end tests apply them).</summary>
public sealed class PresetTests
{
    private static Dictionary<string, string> Severities(string preset)
    {
        var text = RepositoryFiles.Read("src", "Package", "presets", $"gracefulstop.{preset}.globalconfig");
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal) && line.Split('=') is [var key, var value])
            {
                entries.Add(key.Trim()["dotnet_diagnostic.".Length..^".severity".Length], value.Trim());
            }
        }

        Assert.Contains("is_global = true", text, StringComparison.Ordinal);
        return entries;
    }

    private static IEnumerable<DiagnosticDescriptor> Rules() =>
        AllRules.Descriptors.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.First());

    [Fact]
    public void Recommended_preset_sets_no_severity_so_descriptor_defaults_and_bulk_settings_apply() =>
        Assert.Empty(Severities("recommended"));

    [Fact]
    public void Strict_preset_makes_every_rule_an_error_except_info_rules_which_become_warnings()
    {
        var strict = Severities("strict");
        foreach (var rule in Rules())
        {
            Assert.True(strict.TryGetValue(rule.Id, out var severity), $"strict preset does not name {rule.Id}");
            Assert.Equal(rule.DefaultSeverity == DiagnosticSeverity.Info ? "warning" : "error", severity);
        }
    }

    [Fact]
    public void None_preset_turns_every_rule_off()
    {
        var none = Severities("none");
        foreach (var rule in Rules())
        {
            Assert.True(none.TryGetValue(rule.Id, out var severity), $"none preset does not name {rule.Id}");
            Assert.Equal("none", severity);
        }
    }
}
