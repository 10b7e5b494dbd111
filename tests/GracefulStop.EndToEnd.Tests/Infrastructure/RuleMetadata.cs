using System.Reflection;
using GracefulStop.Analyzers;
using Microsoft.CodeAnalysis;

namespace GracefulStop.EndToEnd.Tests.Infrastructure;

/// <summary>The shipped descriptors, the source of truth for the metadata a build must report.</summary>
public static class RuleMetadata
{
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(Descriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    public static DiagnosticDescriptor ById(string id) =>
        All.FirstOrDefault(d => d.Id == id) ?? throw new InvalidOperationException($"No descriptor for {id}");
}
