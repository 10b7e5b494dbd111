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
/// GS0003: condition an endless loop on <c>!token.IsCancellationRequested</c>, or leave another loop with
/// <c>if (token.IsCancellationRequested) break;</c>; secondary: <c>token.ThrowIfCancellationRequested();</c> first in the body.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopIgnoresTokenCodeFix)), Shared]
public sealed class LoopIgnoresTokenCodeFix : CodeFixProvider
{
    public const string ConditionTitle = "Check the token in the loop condition";
    public const string ThrowTitle = "Throw if cancellation is requested";
    public const string ConditionKey = "GS0003.ConditionOnToken";
    public const string ThrowKey = "GS0003.ThrowIfCancellationRequested";
    public const string BreakTitle = "Leave the loop when the token is cancelled";

    /// <summary>
    /// The key of each site's preferred action: <see cref="ConditionTitle"/> for an endless loop, <see cref="BreakTitle"/>
    /// for the others, <see cref="ThrowTitle"/> where leaving the loop would leave a value-returning method without a value.
    /// </summary>
    public const string PreferredKey = ConditionKey;

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

        // The preferred action (the same key at every site) leaves the loop without throwing: on a thread an escaping
        // exception ends the process, and in task work it makes the stopper's Wait() throw. Only where leaving the loop
        // would make a value-returning method fall off its end does it throw, to the caller, as .NET's own waits do.
        var endless = diagnostic.Properties.ContainsKey(LoopIgnoresTokenAnalyzer.EndlessProperty);
        var canLeave = !endless || LoopConditioning.EndMayBecomeReachable(loop);
        var cancellation = SyntaxFactory.ParseExpression(check);
        var throwStatement = LoopConditioning.ThrowIfCancellationRequested(SyntaxFactory.ParseExpression(token));
        var (title, preferred) = endless && canLeave && LoopConditioning.CanCondition(loop)
            ? (ConditionTitle, LoopConditioning.ConditionOn(loop, cancellation))
            : canLeave
                ? (BreakTitle, LoopConditioning.InsertFirstInBody(loop, LoopConditioning.BreakIfCancellationRequested(cancellation)))
                : (ThrowTitle, LoopConditioning.InsertFirstInBody(loop, throwStatement));
        // Throwing where the loop can be left is not offered beside it: the exception would end a thread's process or
        // make a stopper's Wait() throw, so it could not make the program stop cleanly.
        context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(loop, preferred))), PreferredKey),
            diagnostic);
    }
}
