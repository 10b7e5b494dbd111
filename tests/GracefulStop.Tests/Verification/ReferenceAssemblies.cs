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

    public override string ToString() => Name;
}
