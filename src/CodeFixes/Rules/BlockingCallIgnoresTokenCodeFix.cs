using System.Collections.Immutable;
using System.Composition;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Analysis;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>GS0005: pass the token in scope, writing the replacement from the blocking-API table.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallIgnoresTokenCodeFix)), Shared]
public sealed class BlockingCallIgnoresTokenCodeFix : CodeFixProvider
{
    public const string Title = "Observe the cancellation token in the wait";
    public const string EquivalenceKey = "GS0005.UseToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.BlockingCallIgnoresToken);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(() => new BlockingCallIgnoresTokenAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!Enum.TryParse<BlockingReplacement>(diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.Replacement), out var replacement)
            || diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.Token) is not { Length: > 0 } tokenText)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var call = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || call is null || model is null)
        {
            return;
        }

        var token = SyntaxFactory.ParseExpression(tokenText);
        if (replacement == BlockingReplacement.AwaitAsyncOverload
            && (diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.AsyncAvailable) != "true" || !BlockingRewrite.CanAwait(call)))
        {
            // Outside async code an accept is ended by stopping the listener when the token is cancelled.
            if (StopListenerOnCancellation.TryRewrite(model, call, token, context.CancellationToken) is var (oldLoop, newLoop))
            {
                Register(context, diagnostic, root, oldLoop, newLoop);
            }

            return;
        }

        var rewrite = BlockingRewrite.TryRewrite(
            model,
            call,
            replacement,
            token,
            diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.AsyncName),
            diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.TokenParameter),
            context.CancellationToken);
        // On a multi-targeted project the overload must exist for every target, not only this compilation's.
        if (rewrite is not { } change
            || !await EveryTarget.HasAsync(context.Document, change.Calls, context.CancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Register(context, diagnostic, root, change.Old, change.New);
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode oldNode, SyntaxNode newNode)
    {
        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode))),
                EquivalenceKey),
            diagnostic);
    }
}
