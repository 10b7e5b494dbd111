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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0008 fix: make the work observe the token it was given. Its endless loops are conditioned on
/// <c>!token.IsCancellationRequested</c> (when the code after them stays valid), its other long-running loops start
/// with <c>token.ThrowIfCancellationRequested();</c>. A method that cannot see the token gets a
/// <c>CancellationToken cancellationToken = default</c> parameter, and the start site passes the token to it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TokenNotObservedByWorkCodeFix)), Shared]
public sealed class TokenNotObservedByWorkCodeFix : CodeFixProvider
{
    public const string Title = "Observe the token in the work's loops";
    public const string EquivalenceKey = "GS0008.ObserveTokenInWork";
    private const string TokenParameterName = "cancellationToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TokenNotObservedByWork);

    // Two start sites may run the same method: fixing one changes the other's diagnostic, so fix one at a time.
    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(() => new TokenNotObservedByWorkAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var plan = await PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => ApplyAsync(context.Document, plan, cancellationToken), EquivalenceKey),
            diagnostic);
    }

    /// <summary>One loop to rewrite, and how.</summary>
    private sealed class LoopEdit
    {
        public LoopEdit(StatementSyntax loop, ExpressionSyntax token, bool condition, bool leave)
        {
            Loop = loop;
            Token = token;
            Condition = condition;
            Leave = leave;
        }

        public StatementSyntax Loop { get; }

        public ExpressionSyntax Token { get; }

        public bool Condition { get; }

        /// <summary>A loop that ends on its own: <c>if (token.IsCancellationRequested) break;</c> first in its body.</summary>
        public bool Leave { get; }
    }

    /// <summary>Everything the fix changes; null members mean no change of that kind.</summary>
    private sealed class Plan
    {
        public Plan(
            ImmutableArray<LoopEdit> loops,
            BaseMethodDeclarationSyntax? methodToExtend,
            string? parameterName,
            ExpressionSyntax? callToExtend,
            ExpressionSyntax? methodGroupToWrap,
            ExpressionSyntax token)
        {
            Loops = loops;
            MethodToExtend = methodToExtend;
            ParameterName = parameterName;
            CallToExtend = callToExtend;
            MethodGroupToWrap = methodGroupToWrap;
            Token = token;
        }

        public ImmutableArray<LoopEdit> Loops { get; }

        public BaseMethodDeclarationSyntax? MethodToExtend { get; }

        public string? ParameterName { get; }

        public ExpressionSyntax? CallToExtend { get; }

        public ExpressionSyntax? MethodGroupToWrap { get; }

        public ExpressionSyntax Token { get; }
    }

    private static async Task<Plan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var argument = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentSyntax>();
        var token = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax;
        if (argument?.Parent?.Parent is not { } siteSyntax || token is null)
        {
            return null;
        }

        var types = KnownTypes.Get(model.Compilation);
        var site = model.GetOperation(siteSyntax, cancellationToken);
        if (site is null || !StartTokens.TakesToken(ThreadStartSites.Classify(site, types)))
        {
            return null;
        }

        var tokenSymbol = model.GetSymbolInfo(token, cancellationToken).Symbol;
        if (tokenSymbol is null)
        {
            return null;
        }

        var loops = ImmutableArray.CreateBuilder<LoopEdit>();
        BaseMethodDeclarationSyntax? methodToExtend = null;
        string? parameterName = null;
        ExpressionSyntax? callToExtend = null;
        ExpressionSyntax? methodGroupToWrap = null;

        foreach (var work in ThreadStartSites.GetAll(site, types))
        {
            if (!TokenNotObservedByWorkAnalyzer.IgnoresCancellation(work, model, types))
            {
                continue;
            }

            if (work.Lambda is { } lambda)
            {
                foreach (var info in StartTokens.LongLoops(lambda.Body, types))
                {
                    var loop = (StatementSyntax)info.Loop.Syntax;
                    if (!BindsTheSame(model, token, tokenSymbol, loop.SpanStart))
                    {
                        return null;
                    }

                    loops.Add(new LoopEdit(loop, token, ShouldCondition(model, info, loop, cancellationToken), !info.IsEndless));
                }
            }

            if (work.Method is not { } method || StartTokens.MethodBody(method, model) is not { } body)
            {
                continue;
            }

            var methodLoops = StartTokens.LongLoops(body, types);
            if (methodLoops.IsEmpty)
            {
                continue;
            }

            ExpressionSyntax inMethod = token;
            if (!BindsTheSame(model, token, tokenSymbol, methodLoops[0].Loop.Syntax.SpanStart))
            {
                // The method cannot see the token: give it a parameter (once; a second work of the same site is not fixed).
                if (methodToExtend is not null
                    || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not BaseMethodDeclarationSyntax declaration
                    || !await CanAddParameterAsync(document, model, method, work, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                if (work.Lambda is not null)
                {
                    callToExtend = SingleCall(work.Lambda);
                    if (callToExtend is null)
                    {
                        return null;
                    }
                }
                else if (method.Parameters.IsEmpty && UnwrapSyntax(work.WorkArgument.Syntax) is ExpressionSyntax group)
                {
                    methodGroupToWrap = group;
                }
                else
                {
                    return null;
                }

                methodToExtend = declaration;
                parameterName = Names.UniqueLocalName(model, body.Syntax.SpanStart, TokenParameterName);
                inMethod = IdentifierName(parameterName);
            }

            foreach (var info in methodLoops)
            {
                var loop = (StatementSyntax)info.Loop.Syntax;
                if (ReferenceEquals(inMethod, token) && !BindsTheSame(model, token, tokenSymbol, loop.SpanStart))
                {
                    return null;
                }

                loops.Add(new LoopEdit(loop, inMethod, ShouldCondition(model, info, loop, cancellationToken), !info.IsEndless));
            }
        }

        return loops.Count == 0 ? null : new Plan(loops.ToImmutable(), methodToExtend, parameterName, callToExtend, methodGroupToWrap, token);
    }

    private static async Task<Document> ApplyAsync(Document document, Plan plan, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var edit in plan.Loops)
        {
            editor.ReplaceNode(edit.Loop, (current, _) =>
            {
                var loop = (StatementSyntax)current;
                // Leaving the loop rather than throwing: a Stop() that waits for the task would throw on a Canceled task.
                return edit.Condition ? LoopConditioning.ConditionOn(loop, edit.Token)
                    : edit.Leave ? LoopConditioning.InsertFirstInBody(loop, LoopConditioning.BreakIfCancellationRequested(edit.Token))
                    : LoopConditioning.InsertFirstInBody(loop, LoopConditioning.ThrowIfCancellationRequested(edit.Token));
            });
        }

        if (plan.MethodToExtend is { } method && plan.ParameterName is { } name)
        {
            var parameter = Parameter(Identifier(name))
                .WithType(ParseTypeName("System.Threading.CancellationToken").WithAdditionalAnnotations(Simplifier.Annotation))
                .WithDefault(EqualsValueClause(LiteralExpression(SyntaxKind.DefaultLiteralExpression)));
            editor.ReplaceNode(method.ParameterList, (current, _) => ((ParameterListSyntax)current).AddParameters(parameter));
        }

        var tokenArgument = Argument(plan.Token.WithoutTrivia());
        if (plan.CallToExtend is InvocationExpressionSyntax call)
        {
            editor.ReplaceNode(call, (current, _) =>
            {
                var invocation = (InvocationExpressionSyntax)current;
                var argument = NeedsName(invocation, plan) ? tokenArgument.WithNameColon(NameColon(plan.ParameterName!)) : tokenArgument;
                return invocation.WithArgumentList(invocation.ArgumentList.AddArguments(argument));
            });
        }

        if (plan.MethodGroupToWrap is { } group)
        {
            editor.ReplaceNode(group, (current, _) =>
                ParenthesizedLambdaExpression(InvocationExpression(((ExpressionSyntax)current).WithoutTrivia(), ArgumentList(SingletonSeparatedList(tokenArgument))))
                    .WithTriviaFrom(current));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The token goes by name when the call leaves out optional parameters.</summary>
    private static bool NeedsName(InvocationExpressionSyntax invocation, Plan plan) =>
        plan.MethodToExtend is { } method
        && (invocation.ArgumentList.Arguments.Count < method.ParameterList.Parameters.Count
            || invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null));

    /// <summary>
    /// Condition an endless loop on the token when the code after it stays valid (its end was reachable, or the
    /// function may fall off its end); otherwise throw at the top of its body.
    /// </summary>
    private static bool ShouldCondition(SemanticModel model, LoopInfo info, StatementSyntax loop, CancellationToken cancellationToken)
    {
        if (!info.IsEndless || !LoopConditioning.CanCondition(loop))
        {
            return false;
        }

        var flow = model.AnalyzeControlFlow(loop);
        if (flow is { Succeeded: true, EndPointIsReachable: true })
        {
            return true;
        }

        var function = loop.Ancestors().FirstOrDefault(n =>
            n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
        var symbol = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol
            : function is null ? null : model.GetDeclaredSymbol(function, cancellationToken);
        if (symbol is not IMethodSymbol method || function!.DescendantNodes().Any(n => n is YieldStatementSyntax))
        {
            return false;
        }

        if (method.ReturnsVoid || TaskRunWork.Is(model, function, cancellationToken))
        {
            return true;
        }

        return method.IsAsync
            && method.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" };
    }

    private static bool BindsTheSame(SemanticModel model, ExpressionSyntax token, ISymbol symbol, int position)
    {
        var speculative = model.GetSpeculativeSymbolInfo(position, token.WithoutTrivia(), SpeculativeBindingOption.BindAsExpression).Symbol;
        return SymbolEqualityComparer.Default.Equals(symbol, speculative);
    }

    /// <summary>
    /// Whether the method can take a new optional token parameter: an ordinary, non-virtual, non-interface method of
    /// this document with no <c>params</c>, whose every other use is a call (a method group elsewhere would break).
    /// </summary>
    private static async Task<bool> CanAddParameterAsync(Document document, SemanticModel model, IMethodSymbol method, ThreadWork work, CancellationToken cancellationToken)
    {
        if (method.MethodKind != MethodKind.Ordinary
            || method.IsVirtual || method.IsOverride || method.IsAbstract || method.IsExtern
            || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || method.ExplicitInterfaceImplementations.Length > 0
            || (method.Parameters.Length > 0 && method.Parameters[method.Parameters.Length - 1].IsParams)
            || method.Parameters.Any(p => p.Name == TokenParameterName)
            || IsInterfaceImplementation(method)
            || method.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        var workSpan = work.WorkArgument.Syntax.Span;
        var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        foreach (var reference in references)
        {
            foreach (var location in reference.Locations)
            {
                if (location.Document.Id == document.Id && workSpan.Contains(location.Location.SourceSpan))
                {
                    continue;
                }

                var tree = location.Location.SourceTree;
                if (tree is null)
                {
                    return false;
                }

                var node = (await tree.GetRootAsync(cancellationToken).ConfigureAwait(false)).FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                var callee = node.Parent is MemberAccessExpressionSyntax access && access.Name == node ? access : node;
                if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsInterfaceImplementation(IMethodSymbol method)
    {
        foreach (var @interface in method.ContainingType.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The single call a lambda makes (<c>() =&gt; Run()</c>, <c>() =&gt; { Run(); }</c>).</summary>
    private static InvocationExpressionSyntax? SingleCall(IAnonymousFunctionOperation lambda)
    {
        foreach (var operation in lambda.Body.Operations)
        {
            switch (operation)
            {
                case IReturnOperation { ReturnedValue: null, IsImplicit: true }:
                    continue;
                case IExpressionStatementOperation { Operation: IInvocationOperation invocation }:
                    return invocation.Syntax as InvocationExpressionSyntax;
                case IReturnOperation { ReturnedValue: IInvocationOperation invocation }:
                    return invocation.Syntax as InvocationExpressionSyntax;
                default:
                    return null;
            }
        }

        return null;
    }

    private static SyntaxNode UnwrapSyntax(SyntaxNode node)
    {
        while (node is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized.Expression;
        }

        return node is ArgumentSyntax argument ? argument.Expression : node;
    }
}
