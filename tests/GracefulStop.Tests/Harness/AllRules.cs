using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Harness;

/// <summary>Every analyzer and code fix the package ships, found by reflection, and a runner over all of them.</summary>
public static class AllRules
{
    public static Assembly AnalyzerAssembly { get; } = typeof(GracefulStop.Analyzers.Descriptors).Assembly;

    public static Assembly CodeFixAssembly { get; } = typeof(GracefulStop.CodeFixes.CodeFixAssemblyMarker).Assembly;

    public static ImmutableArray<Type> AnalyzerTypes { get; } = AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<Type> CodeFixTypes { get; } = CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
        AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CreateCodeFixes() =>
        CodeFixTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = CreateAnalyzers()
        .SelectMany(a => a.SupportedDiagnostics)
        .ToImmutableArray();

    /// <summary>Runs every analyzer over the sources; throws if one throws. Compiler diagnostics are not checked.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAllAnalyzersAsync(
        IEnumerable<(string Path, string Text)> sources,
        TestReferences? references = null,
        IEnumerable<(string Path, string Text)>? analyzerConfigFiles = null,
        CancellationToken cancellationToken = default)
    {
        var analyzers = CreateAnalyzers();
        var options = new TestProjectOptions(
            references ?? TestReferences.Net80,
            Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest,
            OutputKind.DynamicallyLinkedLibrary,
            analyzers,
            ImmutableArray<string>.Empty);
        var project = TestProjectBuilder.Create(options, sources, analyzerConfigFiles ?? Array.Empty<(string, string)>());
        return await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, analyzers, cancellationToken);
    }

    public static Task<ImmutableArray<Diagnostic>> RunAllAnalyzersAsync(string source, TestReferences? references = null) =>
        RunAllAnalyzersAsync(new[] { ("/0/Test0.cs", source) }, references);
}
