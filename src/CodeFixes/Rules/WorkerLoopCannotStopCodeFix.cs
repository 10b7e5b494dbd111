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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0004: "Add a CancellationToken" (a <c>CancellationTokenSource</c> at the start site, a field next to the
/// thread's field when the type owns the thread; the work method gains a <c>CancellationToken</c> parameter or the
/// lambda captures the source; the loop is conditioned on it; <c>Task.Run</c> / <c>StartNew</c> get the token, and the
/// owner's stop methods cancel it) or, for a <c>new Thread(...)</c> that never sets <c>IsBackground</c> in a type with
/// no stop path, "Mark as background thread" instead: there nobody would cancel a new source, and the process exit is
/// the stop.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WorkerLoopCannotStopCodeFix)), Shared]
public sealed class WorkerLoopCannotStopCodeFix : CodeFixProvider
{
    public const string AddTokenTitle = "Add a CancellationToken";
    public const string BackgroundTitle = "Mark as background thread";
    public const string AddTokenKey = "GS0004.AddCancellationToken";

    /// <summary>
    /// The key of each site's one action: <see cref="AddTokenTitle"/>, or, for a thread whose owner has no stop path
    /// (the process exit is its stop), <see cref="BackgroundTitle"/>.
    /// </summary>
    public const string PreferredKey = AddTokenKey;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WorkerLoopCannotStop);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(() => new WorkerLoopCannotStopAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (diagnostic.AdditionalLocations.Count == 0
            || diagnostic.AdditionalLocations[0].SourceTree != diagnostic.Location.SourceTree
            || !diagnostic.Properties.TryGetValue(WorkerLoopCannotStopAnalyzer.StartKindProperty, out var kind)
            || kind is null)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not StatementSyntax loop || !LoopConditioning.CanCondition(loop))
        {
            return;
        }

        var startSite = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        if (kind == "NewThread" && startSite is BaseObjectCreationExpressionSyntax creation && !SetsIsBackground(model, creation, context.CancellationToken)
            && !HasStopPath(model.GetEnclosingSymbol(creation.SpanStart, context.CancellationToken)?.ContainingType))
        {
            // No stop path: the process exit is the thread's stop, and a foreground thread keeps the process alive.
            // A token source here would be one nobody cancels (the program still would not exit), so the background
            // thread is this site's preferred action, under the rule's one preferred key (Fix All, dotnet format).
            context.RegisterCodeFix(
                CodeAction.Create(BackgroundTitle, _ => Task.FromResult(MarkBackground(context.Document, root, creation)), PreferredKey),
                diagnostic);
            return;
        }

        var isMethod = diagnostic.Properties.ContainsKey(WorkerLoopCannotStopAnalyzer.WorkMethodProperty);
        var plan = Plan(model, root, loop, startSite, kind, isMethod, context.CancellationToken);
        if (plan is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(AddTokenTitle, c => AddTokenAsync(context.Document, plan, c), PreferredKey),
            diagnostic);
    }

    private sealed class FixPlan
    {
        public FixPlan(StatementSyntax loop, SyntaxNode startSite, ExpressionSyntax workArgument)
        {
            Loop = loop;
            StartSite = startSite;
            WorkArgument = workArgument;
        }

        public StatementSyntax Loop { get; }

        public SyntaxNode StartSite { get; }

        /// <summary>The argument that carries the work (method group or lambda).</summary>
        public ExpressionSyntax WorkArgument { get; }

        /// <summary>The thread's field declaration, when the type owns the thread: the source goes next to it.</summary>
        public FieldDeclarationSyntax? OwnerField { get; set; }

        public string SourceName { get; set; } = "cancellation";

        /// <summary>The owner's stop methods, which cancel the new source field (empty: nobody cancels it yet).</summary>
        public ImmutableArray<MethodDeclarationSyntax> StopMethods { get; set; } = ImmutableArray<MethodDeclarationSyntax>.Empty;

        /// <summary>With stop methods: the start statement, before which each start gets a fresh source.</summary>
        public StatementSyntax? RenewBefore { get; set; }

        /// <summary>With a renewed source: the local that holds the work's own token, captured before the work starts.</summary>
        public string TokenName { get; set; } = "token";

        /// <summary>With a renewed source: each stop method's local for the source it takes from the field (by index in <see cref="StopMethods"/>).</summary>
        public ImmutableArray<string> StopLocalNames { get; set; } = ImmutableArray<string>.Empty;

        /// <summary>The name of the thread's (or task's) field: what the stop methods join or wait for.</summary>
        public string OwnerFieldName { get; set; } = "";

        /// <summary>The statement the local source is declared before (no owner field).</summary>
        public StatementSyntax? StartStatement { get; set; }

        /// <summary>Method work: the method that gains the token parameter.</summary>
        public MethodDeclarationSyntax? WorkMethod { get; set; }

        public string ParameterName { get; set; } = "cancellationToken";

        /// <summary>Method work: the parameters of the thread delegate (<c>state</c> for ParameterizedThreadStart / WaitCallback).</summary>
        public int DelegateParameterCount { get; set; }

        public bool PassTokenToStartSite { get; set; }
    }

    private static FixPlan? Plan(SemanticModel model, SyntaxNode root, StatementSyntax loop, SyntaxNode startSite, string kind, bool isMethod, CancellationToken cancellationToken)
    {
        // A start site in a field initializer cannot reference the new source field (CS0236).
        if (kind is not ("NewThread" or "TaskRun" or "TaskFactoryStartNew" or "ThreadPool")
            || startSite is not (BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax)
            || startSite.FirstAncestorOrSelf<EqualsValueClauseSyntax>()?.Parent is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax }
            || startSite.FirstAncestorOrSelf<PropertyDeclarationSyntax>() is { Initializer: not null }
            || !LoopConditioning.EndMayBecomeReachable(loop))
        {
            return null;
        }

        var arguments = startSite switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments ?? default,
            InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments,
            _ => default,
        };
        if (arguments.Count == 0)
        {
            return null;
        }

        var workArgument = arguments[0].Expression;
        var plan = new FixPlan(loop, startSite, workArgument)
        {
            PassTokenToStartSite = kind is "TaskRun" or "TaskFactoryStartNew" && arguments.Count == 1,
        };

        if (isMethod)
        {
            var method = loop.FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method is null
                || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
                || symbol.DeclaredAccessibility != Accessibility.Private
                || symbol.IsOverride || symbol.IsVirtual || symbol.IsAbstract || symbol.IsExtensionMethod
                || symbol.Parameters.Length > 1
                || (symbol.Parameters.Length == 1 && symbol.Parameters[0].Type.SpecialType != SpecialType.System_Object)
                || method.Body is null
                || CountReferences(model, root, symbol, cancellationToken) != 1)
            {
                return null;
            }

            switch (workArgument)
            {
                case IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }:
                    // A method group: becomes a lambda with the delegate's parameters.
                    plan.DelegateParameterCount = symbol.Parameters.Length;
                    break;
                case LambdaExpressionSyntax lambda when SingleCall(lambda) is { } call
                    && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol called
                    && SymbolEqualityComparer.Default.Equals(called.OriginalDefinition, symbol.OriginalDefinition):
                    break;
                default:
                    return null;
            }

            plan.WorkMethod = method;
            plan.ParameterName = Names.UniqueLocalName(model, method.Body.SpanStart + 1, "cancellationToken");
        }
        else if (workArgument is not (LambdaExpressionSyntax or AnonymousMethodExpressionSyntax) || !workArgument.Span.Contains(loop.Span))
        {
            return null;
        }

        var type = model.GetEnclosingSymbol(startSite.SpanStart, cancellationToken)?.ContainingType;
        if (type is null)
        {
            return null;
        }

        if (OwnerField(model, startSite, cancellationToken) is { } field
            && field.DeclaringSyntaxReferences.Length > 0
            && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken).FirstAncestorOrSelf<FieldDeclarationSyntax>() is { } fieldDeclaration
            && fieldDeclaration.SyntaxTree == root.SyntaxTree)
        {
            plan.OwnerField = fieldDeclaration;
            plan.SourceName = Names.UniqueMemberName(type, Names.Derive(field.Name, "Cancellation"));
            if (fieldDeclaration.Parent is TypeDeclarationSyntax owner
                && startSite.FirstAncestorOrSelf<StatementSyntax>() is { Parent: BlockSyntax } startStatement
                && startStatement.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is { } startMethod
                && startStatement.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is null)
            {
                plan.StopMethods = StopMethods(owner, startMethod, field.IsStatic);
                plan.RenewBefore = plan.StopMethods.Length > 0 && startMethod is MethodDeclarationSyntax ? startStatement : null;
                if (plan.RenewBefore is not null)
                {
                    var inWork = workArgument.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText);
                    plan.TokenName = Names.UniqueLocalName(model, startStatement.SpanStart, Names.FieldBase(field.Name) + "Token", inWork);
                    plan.StopLocalNames = plan.StopMethods
                        .Select(m => Names.UniqueLocalName(model, m.Body!.SpanStart + 1, Names.FieldBase(field.Name) + "Cancellation"))
                        .ToImmutableArray();
                    plan.OwnerFieldName = field.Name;
                }
            }

            return plan;
        }

        if (startSite.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } statement
            || statement.Span.Contains(loop.Span) && !isMethod && statement == loop)
        {
            return null;
        }

        plan.StartStatement = statement;
        plan.SourceName = Names.UniqueLocalName(model, statement.SpanStart, "cancellation");
        return plan;
    }

    private static async Task<Document> AddTokenAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var sourceType = ParseTypeName("System.Threading.CancellationTokenSource").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        // A source renewed at each start: the work gets its own token, captured before it starts (the stop path swaps the
        // field's source for a fresh one, see SourceSwap).
        var captured = plan.OwnerField is not null && plan.RenewBefore is not null;
        var tokenExpression = captured ? IdentifierName(plan.TokenName) : ParseExpression(plan.SourceName + ".Token");

        // The loop checks the source or the captured token (lambda work), or the new parameter (method work).
        var check = plan.WorkMethod is not null ? IdentifierName(plan.ParameterName)
            : captured ? IdentifierName(plan.TokenName)
            : (ExpressionSyntax)IdentifierName(plan.SourceName);
        editor.ReplaceNode(plan.Loop, (current, _) => LoopConditioning.ConditionOn((StatementSyntax)current, check));

        if (plan.WorkMethod is { } method)
        {
            var parameter = Parameter(Identifier(plan.ParameterName))
                .WithType(ParseTypeName("System.Threading.CancellationToken").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
            editor.ReplaceNode(method.ParameterList, (current, _) => ((ParameterListSyntax)current).AddParameters(parameter));

            // The start site calls the method with the token.
            if (plan.WorkArgument is LambdaExpressionSyntax lambda && SingleCall(lambda) is { } call)
            {
                editor.ReplaceNode(call, (current, _) => ((InvocationExpressionSyntax)current).AddArgumentListArguments(Argument(tokenExpression)));
            }
            else
            {
                var state = plan.DelegateParameterCount == 1 ? "state" : null;
                var arguments = state is null
                    ? ArgumentList(SingletonSeparatedList(Argument(tokenExpression)))
                    : ArgumentList(SeparatedList(new[] { Argument(IdentifierName(state)), Argument(tokenExpression) }));
                ExpressionSyntax newLambda = state is null
                    ? ParenthesizedLambdaExpression(InvocationExpression(plan.WorkArgument.WithoutTrivia(), arguments))
                    : SimpleLambdaExpression(Parameter(Identifier(state)), InvocationExpression(plan.WorkArgument.WithoutTrivia(), arguments));
                editor.ReplaceNode(plan.WorkArgument, newLambda.WithTriviaFrom(plan.WorkArgument));
            }
        }

        if (plan.PassTokenToStartSite && plan.StartSite is InvocationExpressionSyntax startInvocation)
        {
            editor.ReplaceNode(startInvocation.ArgumentList, (current, _) => ((ArgumentListSyntax)current).AddArguments(Argument(tokenExpression)));
        }

        var creation = ObjectCreationExpression(sourceType).WithArgumentList(ArgumentList());
        if (plan.OwnerField is { } ownerField)
        {
            // Renewed at each start when the owner stops it (a second Start after Stop gets a fresh source).
            var renewed = plan.RenewBefore is not null;
            var modifiers = new List<SyntaxToken> { Token(SyntaxKind.PrivateKeyword) };
            if (ownerField.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                modifiers.Add(Token(SyntaxKind.StaticKeyword));
            }

            if (!renewed)
            {
                modifiers.Add(Token(SyntaxKind.ReadOnlyKeyword));
            }

            var field = FieldDeclaration(VariableDeclaration(sourceType).AddVariables(
                    VariableDeclarator(Identifier(plan.SourceName)).WithInitializer(EqualsValueClause(creation))))
                .WithModifiers(TokenList(modifiers))
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(ownerField, field);

            if (plan.RenewBefore is { } start)
            {
                editor.InsertBefore(start, new[]
                {
                    ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(plan.SourceName), creation))
                        .WithAdditionalAnnotations(Formatter.Annotation),
                    SourceSwap.CaptureToken(plan.TokenName, plan.SourceName).WithAdditionalAnnotations(Formatter.Annotation),
                });
            }

            // The stop path cancels first, so what it then waits for (Join, Wait) ends. A renewed source is taken from the
            // field (a fresh one is left there) and disposed after an unbounded Join() / Wait() of the work that follows.
            for (var index = 0; index < plan.StopMethods.Length; index++)
            {
                var stop = plan.StopMethods[index];
                if (!captured)
                {
                    var cancel = ExpressionStatement(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(plan.SourceName), IdentifierName("Cancel"))))
                        .WithAdditionalAnnotations(Formatter.Annotation);
                    editor.ReplaceNode(stop.Body!, (current, _) => ((BlockSyntax)current).WithStatements(((BlockSyntax)current).Statements.Insert(0, cancel)));
                    continue;
                }

                var local = plan.StopLocalNames[index];
                var waited = stop.Body!.Statements.IndexOf(s => WaitsForWork(s, plan.OwnerFieldName));
                var swap = SourceSwap.Swap(local, plan.SourceName, sourceType, ParseExpression("System.Threading.Interlocked").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                var cancelLocal = SourceSwap.Call(local, "Cancel").WithAdditionalAnnotations(Formatter.Annotation);
                var dispose = SourceSwap.Call(local, "Dispose").WithAdditionalAnnotations(Formatter.Annotation);
                editor.ReplaceNode(stop.Body, (current, _) =>
                {
                    var statements = ((BlockSyntax)current).Statements;
                    if (waited >= 0 && waited < statements.Count)
                    {
                        statements = statements.Insert(waited + 1, dispose);
                    }

                    return ((BlockSyntax)current).WithStatements(statements.InsertRange(0, new[] { swap, cancelLocal }));
                });
            }
        }
        else if (plan.StartStatement is { } statement)
        {
            var local = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var")).AddVariables(
                    VariableDeclarator(Identifier(plan.SourceName)).WithInitializer(EqualsValueClause(creation))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertBefore(statement, local);
        }

        var changed = editor.GetChangedDocument();
        return await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The field the started thread or task is stored in: <c>_worker = new Thread(...)</c>, <c>Thread _worker = new Thread(...)</c>.</summary>
    /// <summary>
    /// The owner's stop path: its parameterless <c>Stop</c>, <c>Dispose</c>, <c>Close</c> or <c>Shutdown</c> methods
    /// with a block body (not the method that starts the work). The new source is cancelled there.
    /// </summary>
    private static ImmutableArray<MethodDeclarationSyntax> StopMethods(TypeDeclarationSyntax owner, BaseMethodDeclarationSyntax startMethod, bool isStatic) =>
        owner.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m != startMethod
                && m.Identifier.ValueText is "Stop" or "Dispose" or "Close" or "Shutdown"
                && m.ParameterList.Parameters.Count == 0
                && m.Body is not null
                && m.Modifiers.Any(SyntaxKind.StaticKeyword) == isStatic
                && !m.Modifiers.Any(SyntaxKind.AbstractKeyword))
            .ToImmutableArray();

    /// <summary><c>_worker.Join();</c>, <c>_worker?.Join();</c>, <c>_task.Wait();</c>: an unbounded wait for the work in the field.</summary>
    private static bool WaitsForWork(StatementSyntax statement, string field)
    {
        if (statement is not ExpressionStatementSyntax { Expression: var expression })
        {
            return false;
        }

        var (receiver, call) = expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation => (member.Expression, (InvocationExpressionSyntax?)invocation),
            ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax } bound } conditional => (conditional.Expression, bound),
            _ => (null, null),
        };
        var name = call?.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };
        var id = receiver switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
            _ => null,
        };
        return call is { ArgumentList.Arguments.Count: 0 } && name is "Join" or "Wait" && id == field;
    }

    /// <summary>Whether the type (or a base) has a method named for stopping: <c>Stop</c>, <c>Dispose</c>, <c>Close</c>, <c>Shutdown</c>.</summary>
    private static bool HasStopPath(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.GetMembers().Any(m => m is IMethodSymbol && m.Name is "Stop" or "Dispose" or "Close" or "Shutdown"))
            {
                return true;
            }
        }

        return false;
    }

    private static IFieldSymbol? OwnerField(SemanticModel model, SyntaxNode startSite, CancellationToken cancellationToken)
    {
        var node = startSite;
        while (node.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment when assignment.Right == node => model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as IFieldSymbol,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator, cancellationToken) as IFieldSymbol,
            _ => null,
        };
    }

    private static InvocationExpressionSyntax? SingleCall(LambdaExpressionSyntax lambda) => lambda.Body switch
    {
        InvocationExpressionSyntax call => call,
        BlockSyntax { Statements.Count: 1 } block when block.Statements[0] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } => call,
        _ => null,
    };

    private static int CountReferences(SemanticModel model, SyntaxNode root, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == method.Name && token.Parent is IdentifierNameSyntax name)
            {
                var info = model.GetSymbolInfo(name, cancellationToken);
                var referenced = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
                if (SymbolEqualityComparer.Default.Equals(referenced?.OriginalDefinition, method.OriginalDefinition))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Whether the thread gets <c>IsBackground</c> somewhere: in the initializer, or through the variable or field it is stored in.</summary>
    private static bool SetsIsBackground(SemanticModel model, BaseObjectCreationExpressionSyntax creation, CancellationToken cancellationToken)
    {
        if (creation.Initializer is { } initializer && initializer.ToString().Contains("IsBackground"))
        {
            return true;
        }

        var scope = (SyntaxNode?)creation.FirstAncestorOrSelf<TypeDeclarationSyntax>() ?? creation.SyntaxTree.GetRoot(cancellationToken);
        foreach (var token in scope.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "IsBackground")
            {
                return true;
            }
        }

        _ = model;
        return false;
    }

    private static Document MarkBackground(Document document, SyntaxNode root, BaseObjectCreationExpressionSyntax creation)
    {
        // Explicit, non-elastic trivia throughout: with elastic trivia the code action's cleanup re-formats the
        // initializer over several lines when the creation spans several lines (a multi-line lambda).
        var assignment = AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            IdentifierName(Identifier(TriviaList(), "IsBackground", TriviaList(Space))),
            Token(TriviaList(), SyntaxKind.EqualsToken, TriviaList(Space)),
            LiteralExpression(SyntaxKind.TrueLiteralExpression, Token(TriviaList(), SyntaxKind.TrueKeyword, TriviaList())));
        BaseObjectCreationExpressionSyntax updated;
        if (creation.Initializer is { } initializer)
        {
            updated = creation.WithInitializer(initializer.AddExpressions(assignment));
        }
        else
        {
            var withArguments = creation.ArgumentList is null && creation is ObjectCreationExpressionSyntax explicitCreation
                ? explicitCreation.WithArgumentList(ArgumentList())
                : creation;
            var trailing = withArguments.GetTrailingTrivia();
            updated = withArguments.WithoutTrailingTrivia()
                .WithInitializer(InitializerExpression(SyntaxKind.ObjectInitializerExpression, SingletonSeparatedList<ExpressionSyntax>(assignment))
                    .WithOpenBraceToken(Token(TriviaList(Space), SyntaxKind.OpenBraceToken, TriviaList(Space)))
                    .WithCloseBraceToken(Token(TriviaList(Space), SyntaxKind.CloseBraceToken, TriviaList()))
                    .WithTrailingTrivia(trailing));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(creation, updated));
    }
}
