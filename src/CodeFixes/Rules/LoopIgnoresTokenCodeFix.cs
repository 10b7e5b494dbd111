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
            && EndMayBecomeReachable(loop))
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

    /// <summary>
    /// A conditioned loop can end, so the code after it becomes reachable: fine in a function that returns nothing
    /// (void, Task, ValueTask, an iterator), and when a statement follows the loop in its block.
    /// </summary>
    private static bool EndMayBecomeReachable(SyntaxNode loop)
    {
        if (loop.Parent is BlockSyntax block && block.Statements.IndexOf((StatementSyntax)loop) < block.Statements.Count - 1)
        {
            return true;
        }

        foreach (var ancestor in loop.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    // A lambda's return type is not written; only a block-bodied lambda with no 'return value;' is safe.
                    return lambda.Body is BlockSyntax body && !ReturnsValue(body);
                case LocalFunctionStatementSyntax localFunction:
                    return ReturnsNothing(localFunction.ReturnType, localFunction.Body);
                case MethodDeclarationSyntax method:
                    return ReturnsNothing(method.ReturnType, method.Body);
                case AccessorDeclarationSyntax accessor:
                    return accessor.Keyword.IsKind(SyntaxKind.SetKeyword) || accessor.Keyword.IsKind(SyntaxKind.InitKeyword)
                        || accessor.Keyword.IsKind(SyntaxKind.AddKeyword) || accessor.Keyword.IsKind(SyntaxKind.RemoveKeyword);
                case ConstructorDeclarationSyntax or DestructorDeclarationSyntax:
                    return true;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool ReturnsNothing(TypeSyntax returnType, BlockSyntax? body)
    {
        if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return true;
        }

        var name = returnType switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        if (name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" })
        {
            return true;
        }

        return body is not null && IsIterator(body);
    }

    private static bool ReturnsValue(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is ReturnStatementSyntax { Expression: not null })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIterator(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (node is YieldStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
