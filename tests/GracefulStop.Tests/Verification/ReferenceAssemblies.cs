using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Tests.Verification;

/// <summary>The framework a test compiles against (reference assemblies from Basic.Reference.Assemblies).</summary>
public sealed class ReferenceAssemblies
{
    private ReferenceAssemblies(string name, Func<ImmutableArray<MetadataReference>> load)
    {
        Name = name;
        _references = new Lazy<ImmutableArray<MetadataReference>>(load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<ImmutableArray<MetadataReference>> _references;

    public string Name { get; }

    public ImmutableArray<MetadataReference> References => _references.Value;

    public static ReferenceAssemblies Net80 { get; } =
        new("net8.0", () => Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().ToImmutableArray());

    public static ReferenceAssemblies Net472 { get; } =
        new("net472", () => Basic.Reference.Assemblies.Net472.References.All.Cast<MetadataReference>().ToImmutableArray());

    public static ReferenceAssemblies NetStandard20 { get; } =
        new("netstandard2.0", () => Basic.Reference.Assemblies.NetStandard20.References.All.Cast<MetadataReference>().ToImmutableArray());

    /// <summary>
    /// The implementation assemblies of the runtime the tests run on (net10.0): for APIs newer than net8.0, and for
    /// tests that compile a fixed program and run it.
    /// </summary>
    public static ReferenceAssemblies CurrentRuntime { get; } =
        new("current runtime", () => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public override string ToString() => Name;
}
