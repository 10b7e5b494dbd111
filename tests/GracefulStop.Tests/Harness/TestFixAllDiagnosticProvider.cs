using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Harness;

/// <summary>Gives Fix All the diagnostics of a document or project by running the analyzers on it.</summary>
public sealed class TestFixAllDiagnosticProvider(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<string> ids)
    : FixAllContext.DiagnosticProvider
{
    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken);
        return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
    }

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        (await GetAllDiagnosticsAsync(project, cancellationToken)).Where(d => !d.Location.IsInSource);

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        (await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, analyzers, cancellationToken)).Where(d => ids.Contains(d.Id));
}
