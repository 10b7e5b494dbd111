using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The titles of the package's code actions, read from the metadata of the packed code-fix assembly (its public
/// string constants named <c>...Title</c>), so that a light bulb's list can be searched for them without loading
/// the assembly and its Workspaces dependency.
/// </summary>
public static class PackageFixTitles
{
    public const string CodeFixesEntry = "analyzers/dotnet/cs/GracefulStop.CodeFixes.dll";

    public static IReadOnlyList<string> Read(string packagePath)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var entry = archive.GetEntry(CodeFixesEntry) ?? throw new InvalidOperationException($"{CodeFixesEntry} is not in {packagePath}");
        using var image = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(image);
        }

        image.Position = 0;
        using var pe = new PEReader(image);
        var metadata = pe.GetMetadataReader();
        var titles = new List<string>();
        foreach (var handle in metadata.FieldDefinitions)
        {
            var field = metadata.GetFieldDefinition(handle);
            const FieldAttributes publicConstant = FieldAttributes.Public | FieldAttributes.Literal;
            if ((field.Attributes & publicConstant) != publicConstant ||
                !metadata.GetString(field.Name).EndsWith("Title", StringComparison.Ordinal))
            {
                continue;
            }

            var constant = metadata.GetConstant(field.GetDefaultValue());
            if (constant.TypeCode == ConstantTypeCode.String)
            {
                var blob = metadata.GetBlobReader(constant.Value);
                titles.Add(blob.ReadUTF16(blob.Length));
            }
        }

        return titles.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
