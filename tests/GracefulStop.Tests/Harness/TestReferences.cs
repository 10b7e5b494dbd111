using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace GracefulStop.Tests.Harness;

/// <summary>
/// The references of the harness projects (corpus runs, fix safety, hygiene, analysis tests), which build
/// compilations themselves: the same reference packs the rule tests use (Microsoft.CodeAnalysis.Testing's
/// <see cref="ReferenceAssemblies"/>), resolved once per test run.
/// </summary>
public sealed class TestReferences
{
    private TestReferences(string name, Func<ImmutableArray<MetadataReference>> load)
    {
        Name = name;
        _references = new Lazy<ImmutableArray<MetadataReference>>(load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<ImmutableArray<MetadataReference>> _references;

    public string Name { get; }

    public ImmutableArray<MetadataReference> References => _references.Value;

    public static TestReferences Net80 { get; } =
        new("net8.0", () => Resolve(ReferenceAssemblies.Net.Net80));

    public static TestReferences Net472 { get; } =
        new("net472", () => Resolve(ReferenceAssemblies.NetFramework.Net472.Default));

    public static TestReferences NetStandard20 { get; } =
        new("netstandard2.0", () => Resolve(ReferenceAssemblies.NetStandard.NetStandard20));

    /// <summary>
    /// The implementation assemblies of the runtime the tests run on (net10.0): for APIs newer than net8.0, and for
    /// tests that compile a fixed program and run it.
    /// </summary>
    public static TestReferences CurrentRuntime { get; } =
        new("current runtime", () => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    private static ImmutableArray<MetadataReference> Resolve(ReferenceAssemblies assemblies) =>
        assemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).GetAwaiter().GetResult();

    public override string ToString() => Name;
}
