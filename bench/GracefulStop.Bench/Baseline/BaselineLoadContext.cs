using System.Reflection;
using System.Runtime.Loader;

namespace GracefulStop.Bench.Baseline;

/// <summary>
/// Loads another build of GracefulStop.Analyzers beside the one this program references: both have the same assembly
/// name, so the other build needs a context of its own. Roslyn and the runtime's assemblies come from the host, so that
/// both builds analyse the same compilations with the same driver.
/// </summary>
public sealed class BaselineLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public BaselineLoadContext(string assemblyPath)
        : base("GracefulStop baseline", isCollectible: false) =>
        _folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name ?? string.Empty;
        if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name is "System" or "mscorlib" or "netstandard")
        {
            return null;
        }

        var path = Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
