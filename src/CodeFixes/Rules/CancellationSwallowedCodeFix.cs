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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0009 fixes: add (or extend) a <c>when (!token.IsCancellationRequested)</c> filter so cancellation passes the
/// catch; or insert a preceding <c>catch (OperationCanceledException) when (token.IsCancellationRequested)</c>
/// that leaves the loop (<c>break;</c>, or <c>throw;</c> where the caller expects the exception).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CancellationSwallowedCodeFix)), Shared]
public sealed class CancellationSwallowedCodeFix : CodeFixProvider
{
    public const string FilterTitle = "Let cancellation pass through this catch";
    public const string FilterKey = "GS0009.AddCancellationFilter";
    public const string LeaveLoopTitle = "Leave the loop when the token is cancelled";
    public const string LeaveLoopKey = "GS0009.CatchCancellationAndLeaveLoop";

    /// <summary>
    /// The key of each site's preferred action: <see cref="LeaveLoopTitle"/>, or where the loop cannot be left and the
    /// caller expects cancellation (async code, task work), <see cref="FilterTitle"/>.
    /// </summary>
    public const string PreferredKey = LeaveLoopKey;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CancellationSwallowed);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var catchClause = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<CatchClauseSyntax>();
        var token = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax;
        if (catchClause?.Parent is not TryStatementSyntax tryStatement
            || token is null
            || !BindsTheSame(model, token, catchClause.Block.SpanStart, context.CancellationToken))
        {
            return;
        }

        // The preferred action (the same key at every site) leaves the loop; where it cannot, and the exception goes to a
        // caller that expects it (async code, task work), the filter lets it pass. On a thread nothing is offered then:
        // an exception escaping a thread's entry method ends the process.
        var function = catchClause.Ancestors().FirstOrDefault(IsFunction);
        var expectsCancellation = function is not null && (IsAsync(function) || IsTaskWork(model, function, context.CancellationToken));
        var leave = diagnostic.Properties.TryGetValue(CancellationSwallowedAnalyzer.KindProperty, out var kind) && kind == CancellationSwallowedAnalyzer.KindCancellation
            ? LeaveStatement(model, catchClause, context.CancellationToken)
            : null;
        if (leave is not null)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    LeaveLoopTitle,
                    cancellationToken => InsertLeavingCatchAsync(context.Document, tryStatement, catchClause, token, leave, cancellationToken),
                    PreferredKey),
                diagnostic);

            // Letting the exception pass is not offered beside leaving: it would end a thread's process or make the
            // stopper's Wait() throw, so it could not make the program stop cleanly.
            return;
        }

        if (!expectsCancellation)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                FilterTitle,
                cancellationToken => AddFilterAsync(context.Document, catchClause, token, cancellationToken),
                PreferredKey),
            diagnostic);
    }

    /// <summary>Whether <paramref name="token"/>, written at <paramref name="position"/>, names what it names where it is.</summary>
    private static bool BindsTheSame(SemanticModel model, ExpressionSyntax token, int position, CancellationToken cancellationToken)
    {
        var symbol = model.GetSymbolInfo(token, cancellationToken).Symbol;
        var speculative = model.GetSpeculativeSymbolInfo(position, token.WithoutTrivia(), SpeculativeBindingOption.BindAsExpression).Symbol;
        return symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, speculative);
    }

    private static async Task<Document> AddFilterAsync(Document document, CatchClauseSyntax catchClause, ExpressionSyntax token, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var check = LoopConditioning.NotCancelled(token);
        CatchClauseSyntax newCatch;
        if (catchClause.Filter is { } filter)
        {
            var existing = filter.FilterExpression;
            var right = NeedsParentheses(existing) ? ParenthesizedExpression(existing.WithoutTrivia()) : existing.WithoutTrivia();
            newCatch = catchClause.WithFilter(filter.WithFilterExpression(
                BinaryExpression(SyntaxKind.LogicalAndExpression, check, right).WithTriviaFrom(existing)));
        }
        else if (catchClause.Declaration is { } declaration)
        {
            var trailing = declaration.GetTrailingTrivia();
            newCatch = catchClause
                .WithDeclaration(declaration.WithTrailingTrivia(Space))
                .WithFilter(Filter(check, trailing));
        }
        else
        {
            var trailing = catchClause.CatchKeyword.TrailingTrivia;
            newCatch = catchClause
                .WithCatchKeyword(catchClause.CatchKeyword.WithTrailingTrivia(Space))
                .WithFilter(Filter(check, trailing));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(catchClause, newCatch));
    }

    private static bool WaitsForATask(BlockSyntax block) =>
        block.DescendantNodes().Any(n => n is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" or "WaitAll" or "WaitAny" } }
            or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" });

    private static async Task<Document> InsertLeavingCatchAsync(
        Document document,
        TryStatementSyntax tryStatement,
        CatchClauseSyntax catchClause,
        ExpressionSyntax token,
        StatementSyntax leave,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // A task waited for synchronously reports cancellation as an AggregateException: leave on any exception then.
        var type = ParseTypeName(WaitsForATask(tryStatement.Block) ? "System.Exception" : "System.OperationCanceledException").WithAdditionalAnnotations(Simplifier.Annotation);
        var newCatch = CatchClause(
                CatchDeclaration(type),
                CatchFilterClause(LoopConditioning.IsCancellationRequested(token)),
                Block(leave))
            .WithLeadingTrivia(Indentation(catchClause))
            .WithTrailingTrivia(EndOfLine(catchClause))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var index = tryStatement.Catches.IndexOf(catchClause);
        var newTry = tryStatement.WithCatches(tryStatement.Catches.Insert(index, newCatch));
        return document.WithSyntaxRoot(root.ReplaceNode(tryStatement, newTry));
    }

    /// <summary>The whitespace that indents <paramref name="node"/>'s line (comments above it stay with it).</summary>
    private static SyntaxTriviaList Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        var indentation = new List<SyntaxTrivia>();
        for (var i = leading.Count - 1; i >= 0 && leading[i].IsKind(SyntaxKind.WhitespaceTrivia); i--)
        {
            indentation.Insert(0, leading[i]);
        }

        return TriviaList(indentation);
    }

    /// <summary>The end of line the document uses before <paramref name="node"/>.</summary>
    private static SyntaxTrivia EndOfLine(SyntaxNode node)
    {
        foreach (var trivia in node.GetFirstToken().GetPreviousToken().TrailingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return ElasticCarriageReturnLineFeed;
    }

    /// <summary>
    /// <c>throw;</c> in async code and task work, whose caller expects OperationCanceledException; otherwise
    /// <c>break;</c> when that leaves the outermost loop of the function and the code after it stays valid;
    /// otherwise null (no fix).
    /// </summary>
    private static StatementSyntax? LeaveStatement(SemanticModel model, CatchClauseSyntax catchClause, CancellationToken cancellationToken)
    {
        var function = catchClause.Ancestors().FirstOrDefault(IsFunction);
        if (function is null)
        {
            return null;
        }

        var throwInstead = IsAsync(function) || IsTaskWork(model, function, cancellationToken) ? ThrowStatement() : null;
        StatementSyntax? loop = null;
        foreach (var ancestor in catchClause.Ancestors())
        {
            if (ancestor == function)
            {
                break;
            }

            if (ancestor is SwitchSectionSyntax or FinallyClauseSyntax && loop is null)
            {
                return throwInstead;
            }

            if (LoopConditioning.IsLoop(ancestor))
            {
                if (loop is not null)
                {
                    // break would only leave the inner loop.
                    return throwInstead;
                }

                loop = (StatementSyntax)ancestor;
            }
        }

        if (loop is null)
        {
            return throwInstead;
        }

        var flow = model.AnalyzeControlFlow(loop);
        if (flow is null || !flow.Succeeded)
        {
            return throwInstead;
        }

        if (!flow.EndPointIsReachable && !FallingOffTheEndIsFine(model, function, cancellationToken))
        {
            return throwInstead;
        }

        return BreakStatement();
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax;

    private static bool IsAsync(SyntaxNode function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
        LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
        BaseMethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
        _ => false,
    };

    /// <summary>Whether the function is a lambda given to Task.Run, Task.Factory.StartNew or new Task.</summary>
    private static bool IsTaskWork(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken)
    {
        if (model.GetOperation(function, cancellationToken) is not IAnonymousFunctionOperation lambda)
        {
            return false;
        }

        var kind = ThreadStartSites.GetWorkOf(lambda, KnownTypes.Get(model.Compilation)).Kind;
        return kind is ThreadStartKind.TaskRun or ThreadStartKind.TaskFactoryStartNew or ThreadStartKind.NewTask;
    }

    /// <summary>Whether the function may end by falling off its end (it returns nothing).</summary>
    private static bool FallingOffTheEndIsFine(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken)
    {
        var symbol = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol
            : model.GetDeclaredSymbol(function, cancellationToken);
        if (symbol is not IMethodSymbol method)
        {
            return false;
        }

        if (function.DescendantNodes().Any(n => n is YieldStatementSyntax))
        {
            return false;
        }

        // An async Task / ValueTask method (or lambda) may end without a return statement too.
        return method.ReturnsVoid
            || (method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" })
            || TaskRunWork.Is(model, function, cancellationToken);
    }

    /// <summary><c>when (check)</c> with plain spaces (no elastic trivia, so the formatter leaves the braces alone).</summary>
    private static CatchFilterClauseSyntax Filter(ExpressionSyntax check, SyntaxTriviaList trailing) =>
        CatchFilterClause(
            Token(TriviaList(), SyntaxKind.WhenKeyword, TriviaList(Space)),
            Token(TriviaList(), SyntaxKind.OpenParenToken, TriviaList()),
            check,
            Token(TriviaList(), SyntaxKind.CloseParenToken, trailing));

    private static bool NeedsParentheses(ExpressionSyntax expression) =>
        expression is BinaryExpressionSyntax binary
            ? binary.IsKind(SyntaxKind.LogicalOrExpression) || binary.IsKind(SyntaxKind.CoalesceExpression)
            : expression is ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax;
}
