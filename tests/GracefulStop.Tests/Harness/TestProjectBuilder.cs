using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Harness;

/// <summary>Builds an in-memory workspace project from test sources.</summary>
public sealed record TestProjectOptions(
    TestReferences References,
    LanguageVersion LanguageVersion,
    OutputKind OutputKind,
    ImmutableArray<DiagnosticAnalyzer> Analyzers,
    ImmutableArray<string> DisabledDiagnostics);

public static class TestProjectBuilder
{
    public const string ProjectName = "TestProject";

    public static Project Create(
        TestProjectOptions options,
        IEnumerable<(string Path, string Text)> sources,
        IEnumerable<(string Path, string Text)> analyzerConfigFiles)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId(ProjectName);
        var compilationOptions = new CSharpCompilationOptions(
                options.OutputKind,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true)
            .WithSpecificDiagnosticOptions(DiagnosticOptions(options));
        var parseOptions = new CSharpParseOptions(options.LanguageVersion, DocumentationMode.Diagnose);

        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            ProjectName,
            ProjectName,
            LanguageNames.CSharp,
            filePath: "/0/" + ProjectName + ".csproj",
            compilationOptions: compilationOptions,
            parseOptions: parseOptions,
            metadataReferences: options.References.References));

        foreach (var (path, text) in sources)
        {
            solution = solution.AddDocument(
                DocumentId.CreateNewId(projectId, path),
                Path.GetFileName(path),
                SourceText.From(text, Encoding.UTF8),
                filePath: path);
        }

        foreach (var (path, text) in analyzerConfigFiles)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId, path),
                Path.GetFileName(path),
                SourceText.From(text, Encoding.UTF8),
                filePath: path);
        }

        return solution.GetProject(projectId)!;
    }

    private static ImmutableDictionary<string, ReportDiagnostic> DiagnosticOptions(TestProjectOptions options)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, ReportDiagnostic>();
        foreach (var analyzer in options.Analyzers)
        {
            foreach (var descriptor in analyzer.SupportedDiagnostics)
            {
                if (!descriptor.IsEnabledByDefault)
                {
                    builder[descriptor.Id] = ToReport(descriptor.DefaultSeverity);
                }
            }
        }

        foreach (var id in options.DisabledDiagnostics)
        {
            builder[id] = ReportDiagnostic.Suppress;
        }

        return builder.ToImmutable();
    }

    private static ReportDiagnostic ToReport(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => ReportDiagnostic.Error,
        DiagnosticSeverity.Warning => ReportDiagnostic.Warn,
        DiagnosticSeverity.Info => ReportDiagnostic.Info,
        _ => ReportDiagnostic.Hidden,
    };
}
