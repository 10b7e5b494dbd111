using System.Text.Json;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One diagnostic of a <c>textDocument/publishDiagnostics</c> notification. <see cref="Line"/> is 1-based like the
/// build's; <see cref="Severity"/> is LSP's number (1 error, 2 warning, 3 information, 4 hint).
/// </summary>
public sealed record LspDiagnostic(string File, int Line, string Code, int? Severity, string Message, string? HelpLink, string? Source, JsonElement Raw)
{
    public const int Warning = 2;

    public static LspDiagnostic From(string file, JsonElement diagnostic)
    {
        var code = diagnostic.TryGetProperty("code", out var c) ? (c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText()) : string.Empty;
        return new LspDiagnostic(
            file,
            diagnostic.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32() + 1,
            code,
            diagnostic.TryGetProperty("severity", out var severity) ? severity.GetInt32() : null,
            diagnostic.GetProperty("message").GetString()!,
            diagnostic.TryGetProperty("codeDescription", out var description) ? description.GetProperty("href").GetString() : null,
            diagnostic.TryGetProperty("source", out var source) ? source.GetString() : null,
            diagnostic.Clone());
    }

    public bool IsRule => BuildDiagnostic.IsRuleId(Code);

    public override string ToString() => $"{File}({Line}): {Code} severity {Severity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}: {Message} <{HelpLink}>";
}
