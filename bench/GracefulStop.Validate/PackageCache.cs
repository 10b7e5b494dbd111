using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Validate;

/// <summary>
/// Package references resolved from a local package folder, with their dependencies, when they happen to be there (the
/// tool restores nothing): the newest version of each, and the <c>lib</c> folder that fits the compile target best.
/// </summary>
public sealed class PackageCache(string? root)
{
    private static readonly Dictionary<string, string[]> Preferred = new(StringComparer.Ordinal)
    {
        ["net8.0"] = ["net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.3", "netstandard1.1", "netstandard1.0"],
        ["net472"] = ["net472", "net471", "net47", "net462", "net461", "net46", "net452", "net451", "net45", "net40", "net35", "net20", "netstandard2.0"],
        ["netstandard2.0"] = ["netstandard2.0", "netstandard1.6", "netstandard1.3", "netstandard1.1", "netstandard1.0"],
    };

    private readonly Dictionary<(string, string), List<MetadataReference>> _resolved = [];

    public List<MetadataReference> Resolve(IEnumerable<string> ids, string pack)
    {
        var references = new List<MetadataReference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(ids);
        while (root is not null && pending.Count > 0)
        {
            var id = pending.Dequeue();
            // The framework packs already hold these; a second copy only makes ambiguities.
            if (!seen.Add(id) || id.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Microsoft.NETCore", StringComparison.OrdinalIgnoreCase)
                || id.Equals("NETStandard.Library", StringComparison.OrdinalIgnoreCase) || id.Equals("Microsoft.CSharp", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var folder = Path.Combine(root, id.ToLowerInvariant());
            var version = Directory.Exists(folder)
                ? Directory.GetDirectories(folder).OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).FirstOrDefault()
                : null;
            if (version is null)
            {
                continue;
            }

            if (!_resolved.TryGetValue((version, pack), out var dlls))
            {
                var lib = Path.Combine(version, "lib");
                var chosen = Preferred[pack].Select(t => Path.Combine(lib, t)).FirstOrDefault(Directory.Exists);
                dlls = chosen is null ? [] : Directory.GetFiles(chosen, "*.dll").Order(StringComparer.Ordinal).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
                _resolved[(version, pack)] = dlls;
            }

            references.AddRange(dlls);
            foreach (var nuspec in Directory.GetFiles(version, "*.nuspec"))
            {
                foreach (var dependency in XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency"))
                {
                    if (dependency.Attribute("id")?.Value is { } dependencyId)
                    {
                        pending.Enqueue(dependencyId);
                    }
                }
            }
        }

        return references;
    }
}
