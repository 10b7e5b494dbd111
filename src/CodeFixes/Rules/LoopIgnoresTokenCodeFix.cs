using System.Collections.Immutable;
using System.Composition;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0003: condition an endless loop on <c>!token.IsCancellationRequested</c>, or insert
/// <c>token.ThrowIfCancellationRequested();</c> as the first statement of the loop's body.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopIgnoresTokenCodeFix)), Shared]
public sealed class LoopIgnoresTokenCodeFix : CodeFixProvider
{
    public const string ConditionTitle = "Check the token in the loop condition";
    public const string ThrowTitle = "Throw if cancellation is requested";
    public const string ConditionKey = "GS0003.ConditionOnToken";
    public const string ThrowKey = "GS0003.ThrowIfCancellationRequested";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.LoopIgnoresToken);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(() => new LoopIgnoresTokenAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(LoopIgnoresTokenAnalyzer.TokenProperty, out var token) || token is null
            || !diagnostic.Properties.TryGetValue(LoopIgnoresTokenAnalyzer.CheckProperty, out var check) || check is null)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not StatementSyntax loop || !LoopConditioning.IsLoop(loop))
        {
            return;
        }

        if (diagnostic.Properties.ContainsKey(LoopIgnoresTokenAnalyzer.EndlessProperty)
            && LoopConditioning.CanCondition(loop)
            && LoopConditioning.EndMayBecomeReachable(loop))
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    ConditionTitle,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                        loop, LoopConditioning.ConditionOn(loop, SyntaxFactory.ParseExpression(check))))),
                    ConditionKey),
                diagnostic);
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                ThrowTitle,
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                    loop, LoopConditioning.InsertFirstInBody(loop, LoopConditioning.ThrowIfCancellationRequested(SyntaxFactory.ParseExpression(token)))))),
                ThrowKey),
            diagnostic);
    }
}
