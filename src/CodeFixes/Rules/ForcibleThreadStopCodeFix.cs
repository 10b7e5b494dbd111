using System.Collections.Immutable;
using System.Composition;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>GS0001/GS0002: replace <c>Abort</c> / <c>Interrupt</c> of an owned thread with cooperative cancellation.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ForcibleThreadStopCodeFix)), Shared]
public sealed class ForcibleThreadStopCodeFix : CodeFixProvider
{
    public const string Title = "Replace with cooperative cancellation";
    public const string EquivalenceKey = "GracefulStop.CooperativeCancellation";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIds.ThreadAbort, RuleIds.ThreadInterrupt);

    public override FixAllProvider GetFixAllProvider() =>
        new SequentialFixAllProvider(static () => new ForcibleThreadStopAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(ForcibleThreadStopAnalyzer.MethodProperty, out var method)
                || method is not ("Abort" or "Interrupt")
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
            {
                continue;
            }

            var plan = await CooperativeThreadStop.TryPlanAsync(context.Document, call, context.CancellationToken).ConfigureAwait(false);
            if (plan is not null)
            {
                context.RegisterCodeFix(CodeAction.Create(Title, plan, EquivalenceKey), diagnostic);
            }
        }
    }
}
