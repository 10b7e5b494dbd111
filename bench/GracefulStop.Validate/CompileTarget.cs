using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.Validate;

/// <summary>
/// The framework a project is compiled for: the reference assemblies (the nearest pack we have: .NET 8, .NET Framework
/// 4.7.2 or .NET Standard 2.0) and the preprocessor symbols the SDK defines for the declared target framework, so the
/// branches of <c>#if</c> that are inactive for that target are not analysed; and the C# version the SDK uses for
/// that target when the project sets none (<see cref="DefaultLanguage"/>).
/// </summary>
public sealed record CompileTarget(string Moniker, string Pack, ImmutableArray<string> Symbols, LanguageVersion DefaultLanguage)
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Net80 =
        new(() => Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().ToImmutableArray());

    private static readonly Lazy<ImmutableArray<MetadataReference>> Net472 =
        new(() => Basic.Reference.Assemblies.Net472.References.All.Cast<MetadataReference>().ToImmutableArray());

    private static readonly Lazy<ImmutableArray<MetadataReference>> NetStandard20 =
        new(() => Basic.Reference.Assemblies.NetStandard20.References.All.Cast<MetadataReference>().ToImmutableArray());

    public ImmutableArray<MetadataReference> References => Pack switch
    {
        "net472" => Net472.Value,
        "netstandard2.0" => NetStandard20.Value,
        _ => Net80.Value,
    };

    /// <summary>
    /// One target out of a project's target frameworks: the newest .NET (Core) one, else the newest .NET Standard one,
    /// else .NET Framework (the .NET Framework one first when <paramref name="preferFramework"/>). A project with no target
    /// framework we can read is .NET 8 when SDK-style, else (old-style) .NET Framework.
    /// </summary>
    public static CompileTarget Choose(IReadOnlyList<string> monikers, bool preferFramework = false, bool sdkStyle = false)
    {
        var parsed = monikers.Select(Parse).Where(t => t is not null).Select(t => t!).ToList();
        if (parsed.Count == 0 && sdkStyle)
        {
            // An SDK-style project whose target framework could not be read (a property we do not evaluate): modern .NET.
            parsed.Add(Parse("net8.0")!);
        }

        var framework = parsed.Where(t => t.Pack == "net472").OrderByDescending(t => t.Version).FirstOrDefault();
        var chosen = (preferFramework ? framework : null)
            ?? parsed.Where(t => t.Pack == "net8.0").OrderByDescending(t => t.Version).FirstOrDefault()
            ?? parsed.Where(t => t.Pack == "netstandard2.0").OrderByDescending(t => t.Version).FirstOrDefault()
            ?? parsed.Where(t => t.Pack == "net472").OrderByDescending(t => t.Version).FirstOrDefault()
            ?? Parse("net472")!;
        return chosen.Target;
    }

    private sealed record Parsed(CompileTarget Target, string Pack, Version Version);

    private static Parsed? Parse(string moniker)
    {
        // MSBuild takes ".net6.0" (a leading dot) as net6.0, and so do real projects.
        var tfm = moniker.Trim().TrimStart('.').ToLowerInvariant();
        var platform = tfm.IndexOf('-', StringComparison.Ordinal);
        if (platform >= 0)
        {
            tfm = tfm[..platform];
        }

        var match = Regex.Match(tfm, @"^(netcoreapp|netstandard|net)(\d+(?:\.\d+)*)$", RegexOptions.None, RegexTimeout.Value);
        if (!match.Success)
        {
            return null;
        }

        var family = match.Groups[1].Value;
        var digits = match.Groups[2].Value;
        var symbols = new List<string>();
        if (family == "netstandard")
        {
            var version = Version.Parse(digits.Contains('.') ? digits : digits + ".0");
            symbols.Add("NETSTANDARD");
            symbols.Add("NETSTANDARD" + Underscored(version));
            symbols.AddRange(OrGreater("NETSTANDARD", ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.0", "2.1"], version));
            var language = version >= new Version(2, 1) ? LanguageVersion.CSharp8 : LanguageVersion.CSharp7_3;
            return new Parsed(new CompileTarget(tfm, "netstandard2.0", [.. symbols], language), "netstandard2.0", version);
        }

        if (family == "net" && digits.Contains('.') && int.Parse(digits.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) < 5)
        {
            // net4.8.1, net4.5: NuGet reads a dotted version below 5 as .NET Framework, as it reads net481 and net45.
            digits = digits.Replace(".", string.Empty, StringComparison.Ordinal);
        }

        if (family == "net" && !digits.Contains('.') && digits.Length >= 2)
        {
            // net20 ... net481: .NET Framework, written without dots (a single digit, "net5", is net5.0).
            var version = Version.Parse(digits.Length == 2 ? $"{digits[0]}.{digits[1]}" : $"{digits[0]}.{digits[1]}.{digits[2..]}");
            symbols.Add("NETFRAMEWORK");
            symbols.Add("NET" + digits);
            symbols.AddRange(OrGreater("NET", ["2.0", "3.0", "3.5", "4.0", "4.5", "4.5.1", "4.5.2", "4.6", "4.6.1", "4.6.2", "4.7", "4.7.1", "4.7.2", "4.8", "4.8.1"], version, dots: false));
            return new Parsed(new CompileTarget(tfm, "net472", [.. symbols], LanguageVersion.CSharp7_3), "net472", version);
        }

        // netcoreapp1.0 ... netcoreapp3.1, net5.0 and later.
        var core = Version.Parse(digits.Contains('.') ? digits : digits + ".0");
        symbols.Add("NETCOREAPP");
        symbols.Add((family == "netcoreapp" ? "NETCOREAPP" : "NET") + Underscored(core));
        if (family == "net")
        {
            symbols.Add("NET");
        }

        symbols.AddRange(OrGreater("NETCOREAPP", ["1.0", "1.1", "2.0", "2.1", "2.2", "3.0", "3.1"], core));
        symbols.AddRange(OrGreater("NET", ["5.0", "6.0", "7.0", "8.0", "9.0", "10.0", "11.0"], core));
        return new Parsed(new CompileTarget(tfm, "net8.0", [.. symbols], CoreLanguage(core)), "net8.0", core);
    }

    /// <summary>
    /// The SDK's default C# version for a .NET (Core) target: 7.3 up to netcoreapp2.2, 8 for 3.x, then one version a
    /// release (net5.0 is C# 9 ... net10.0 is C# 14).
    /// </summary>
    private static LanguageVersion CoreLanguage(Version core) => core.Major switch
    {
        < 3 => LanguageVersion.CSharp7_3,
        < 5 => LanguageVersion.CSharp8,
        5 => LanguageVersion.CSharp9,
        6 => LanguageVersion.CSharp10,
        7 => LanguageVersion.CSharp11,
        8 => LanguageVersion.CSharp12,
        9 => LanguageVersion.CSharp13,
        _ => LanguageVersion.CSharp14,
    };

    private static string Underscored(Version version) => $"{version.Major}_{version.Minor}";

    private static IEnumerable<string> OrGreater(string prefix, string[] versions, Version version, bool dots = true) =>
        versions.Where(v => Version.Parse(v.Count(c => c == '.') == 0 ? v + ".0" : v) <= version)
            .Select(v => prefix + (dots ? v.Replace('.', '_') : v.Replace(".", string.Empty, StringComparison.Ordinal)) + "_OR_GREATER");
}
