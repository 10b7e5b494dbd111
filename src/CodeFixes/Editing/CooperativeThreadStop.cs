using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Replaces forcible stops (<c>Abort</c>, <c>Interrupt</c>) of a thread that the type owns with cooperative
/// cancellation: a <c>CancellationTokenSource</c> beside the thread, the work's loops conditioned on it, its
/// sleeps woken by it, and every forcible stop of that thread turned into <c>Cancel()</c> plus a bounded join.
/// <see cref="TryPlanAsync"/> returns null for every shape it cannot rewrite correctly.
/// </summary>
public static class CooperativeThreadStop
{
    private const int JoinTimeoutSeconds = 30;

    public static async Task<Func<CancellationToken, Task<Solution>>?> TryPlanAsync(
        Document document, InvocationExpressionSyntax stopCall, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || model.GetOperation(stopCall, cancellationToken) is not IInvocationOperation stop)
        {
            return null;
        }

        var types = KnownTypes.Get(model.Compilation);
        if (types.Thread is null || types.CancellationTokenSource is null || !IsStopMethod(stop.TargetMethod, types))
        {
            return null;
        }

        var thread = ThreadSymbol(stop.Instance);
        var containingType = model.GetEnclosingSymbol(stopCall.SpanStart, cancellationToken)?.ContainingType;
        if (thread is null || containingType is null)
        {
            return null;
        }

        // `foreach (var t in _threads) t.Abort();`: the pool's field stands for its threads; one source for the pool.
        var pool = ThreadPoolField.Of(thread, stopCall, model, cancellationToken);
        thread = pool ?? thread;

        Scan scan;
        if (thread is IFieldSymbol field)
        {
            if (field.DeclaredAccessibility != Accessibility.Private || field.IsConst
                || !SymbolEqualityComparer.Default.Equals(field.ContainingType, containingType))
            {
                return null;
            }

            scan = new Scan(thread, types, pool is not null);
            foreach (var reference in containingType.DeclaringSyntaxReferences)
            {
                var tree = reference.SyntaxTree;
                var typeDocument = document.Project.Solution.GetDocument(tree);
                if (typeDocument is null)
                {
                    return null;
                }

                var typeModel = tree == model.SyntaxTree
                    ? model
                    : await typeDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (typeModel is null || !scan.Visit(typeDocument.Id, typeModel, await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false), cancellationToken))
                {
                    return null;
                }
            }
        }
        else
        {
            var member = stopCall.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
            scan = new Scan(thread, types, pool: false);
            if (member is null || !scan.Visit(document.Id, model, member, cancellationToken))
            {
                return null;
            }
        }

        return scan.TryCreatePlan(document.Project.Solution, containingType, cancellationToken);
    }

    private static bool IsStopMethod(IMethodSymbol method, KnownTypes types) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Thread)
        && !method.IsStatic
        && method.Name is "Abort" or "Interrupt";

    private static ISymbol? ThreadSymbol(IOperation? instance)
    {
        if (instance is IConditionalAccessInstanceOperation)
        {
            for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation conditional)
                {
                    instance = conditional.Operation;
                    break;
                }
            }
        }

        return instance switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } fieldReference => fieldReference.Field,
            ILocalReferenceOperation localReference => localReference.Local,
            _ => null,
        };
    }

    /// <summary>Everything the rewrite needs, collected in one walk over the type (or the method, for a local).</summary>
    private sealed class Scan
    {
        private readonly ISymbol _thread;
        private readonly KnownTypes _types;
        private readonly bool _pool;
        private readonly List<(DocumentId Document, SyntaxNode Statement, ExpressionSyntax Receiver, bool Conditional)> _stops = new();
        private readonly List<(DocumentId Document, SyntaxNode Node)> _joins = new();
        private readonly Dictionary<IMethodSymbol, int> _methodReferences = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<DocumentId, SemanticModel> _models = new();
        private (DocumentId Document, SyntaxNode Creation, SemanticModel Model)? _creation;
        private int _writes;
        private bool _invalid;

        public Scan(ISymbol thread, KnownTypes types, bool pool)
        {
            _thread = thread;
            _types = types;
            _pool = pool;
        }

        public bool Visit(DocumentId document, SemanticModel model, SyntaxNode root, CancellationToken cancellationToken)
        {
            _models[document] = model;
            foreach (var node in root.DescendantNodes())
            {
                if (node is not IdentifierNameSyntax identifier)
                {
                    continue;
                }

                var symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;
                if (symbol is IMethodSymbol method)
                {
                    _methodReferences[method.OriginalDefinition] = _methodReferences.TryGetValue(method.OriginalDefinition, out var count) ? count + 1 : 1;
                    continue;
                }

                if (!SymbolEqualityComparer.Default.Equals(symbol, _thread))
                {
                    continue;
                }

                ClassifyThreadUse(document, model, identifier, cancellationToken);
            }

            foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
            {
                if (declarator.Initializer is { } initializer
                    && declarator.Identifier.ValueText == _thread.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), _thread))
                {
                    RecordWrite(document, model, initializer.Value);
                }
            }

            return !_invalid;
        }

        private void ClassifyThreadUse(DocumentId document, SemanticModel model, IdentifierNameSyntax identifier, CancellationToken cancellationToken)
        {
            ExpressionSyntax reference = identifier.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == identifier
                ? qualified
                : identifier;
            switch (reference.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == reference:
                    RecordWrite(document, model, assignment.Right);
                    return;
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0 }:
                case RefExpressionSyntax:
                case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                    _invalid = true;
                    return;
                case VariableDeclaratorSyntax:
                    return;
            }

            if (_pool)
            {
                ClassifyPoolUse(document, model, reference, cancellationToken);
                return;
            }

            if (reference.Parent is MemberAccessExpressionSyntax member && member.Expression == reference
                && member.Parent is InvocationExpressionSyntax call && call.Expression == member)
            {
                RecordCall(document, model, call, reference, conditional: false, cancellationToken);
            }
            else if (reference.Parent is ConditionalAccessExpressionSyntax conditional && conditional.Expression == reference
                && conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax } boundCall)
            {
                RecordCall(document, model, boundCall, reference, conditional: true, cancellationToken);
            }
        }

        private void RecordCall(DocumentId document, SemanticModel model, InvocationExpressionSyntax call, ExpressionSyntax receiver, bool conditional, CancellationToken cancellationToken)
        {
            if (model.GetOperation(call, cancellationToken) is not IInvocationOperation operation)
            {
                return;
            }

            if (IsStopMethod(operation.TargetMethod, _types))
            {
                var expression = conditional ? (ExpressionSyntax)call.Parent! : call;
                if (expression.Parent is ExpressionStatementSyntax statement)
                {
                    _stops.Add((document, statement, receiver, conditional));
                }
                else if (expression.Parent is ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax } arrow)
                {
                    _stops.Add((document, arrow.Parent!, receiver, conditional));
                }
                else
                {
                    _invalid = true;
                }
            }
            else if (operation.TargetMethod.Name == "Join")
            {
                _joins.Add((document, call));
            }
        }

        /// <summary>
        /// A pool's field: threads added (<c>_threads.Add(t)</c>, <c>_threads[i] = new Thread(…)</c>), stopped and joined
        /// in <c>foreach</c> loops; passing the collection elsewhere makes its threads unknown.
        /// </summary>
        private void ClassifyPoolUse(DocumentId document, SemanticModel model, ExpressionSyntax reference, CancellationToken cancellationToken)
        {
            switch (reference.Parent)
            {
                case ElementAccessExpressionSyntax element when element.Parent is AssignmentExpressionSyntax assignment && assignment.Left == element:
                    RecordWrite(document, model, assignment.Right);
                    return;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add", Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } add }:
                    RecordWrite(document, model, AddedThread(model, add.ArgumentList.Arguments[0].Expression, cancellationToken));
                    return;
                case ForEachStatementSyntax loop when loop.Expression == reference:
                    if (ThreadPoolField.LoopCall(loop) is { } call && model.GetOperation(call, cancellationToken) is IInvocationOperation operation)
                    {
                        if (IsStopMethod(operation.TargetMethod, _types))
                        {
                            _stops.Add((document, loop, IdentifierName(loop.Identifier.ValueText), false));
                        }
                        else if (operation.TargetMethod.Name == "Join")
                        {
                            _joins.Add((document, loop));
                        }
                    }

                    return;
                case ArgumentSyntax:
                    _invalid = true;
                    return;
            }
        }

        /// <summary>The thread creation behind <c>_threads.Add(x)</c>: <c>x</c> itself or the initializer of the local <c>x</c>.</summary>
        private static ExpressionSyntax AddedThread(SemanticModel model, ExpressionSyntax added, CancellationToken cancellationToken) =>
            added is IdentifierNameSyntax
            && model.GetSymbolInfo(added, cancellationToken).Symbol is ILocalSymbol local
            && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } value }
                ? value
                : added;

        private void RecordWrite(DocumentId document, SemanticModel model, ExpressionSyntax value)
        {
            if (_pool && !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(value).Type, _types.Thread))
            {
                // The collection itself (`new List<Thread>()`, `new Thread[n]`): its elements are the threads.
                if (value is not (BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax)
                    && !value.IsKind(SyntaxKind.NullLiteralExpression))
                {
                    _invalid = true;
                }

                return;
            }

            _writes++;
            if (value is BaseObjectCreationExpressionSyntax && _creation is null)
            {
                _creation = (document, value, model);
            }
            else if (!value.IsKind(SyntaxKind.NullLiteralExpression))
            {
                _invalid = true;
            }
        }

        public Func<CancellationToken, Task<Solution>>? TryCreatePlan(Solution solution, INamedTypeSymbol containingType, CancellationToken cancellationToken)
        {
            if (_invalid || _creation is not { } creation || _stops.Count == 0)
            {
                return null;
            }

            var creationOperation = creation.Model.GetOperation(creation.Creation, cancellationToken);
            if (creationOperation is null || ThreadStartSites.Classify(creationOperation, _types) != ThreadStartKind.NewThread)
            {
                return null;
            }

            var work = ThreadStartSites.Get(creationOperation, _types);
            var body = WorkBody(work, containingType, cancellationToken);
            if (body is null)
            {
                return null;
            }

            var (bodyDocument, bodyNode) = body.Value;
            var loops = OwnDescendants(bodyNode).Where(LoopConditioning.IsLoop).Cast<StatementSyntax>().ToImmutableArray();
            if (loops.IsEmpty || !_models.TryGetValue(bodyDocument, out var bodyModel))
            {
                return null;
            }

            // Cancel() does not wake Monitor.Wait(gate) as Interrupt() did: the stopper pulses the gate after Cancel(), the
            // wait loop (conditioned like every loop) ends, and the worker leaves before using what it waited for. Only
            // for `while (condition) Monitor.Wait(_field);` on a field of the type; any other shape gets no fix.
            var monitorWaits = new List<(StatementSyntax WaitLoop, ExpressionSyntax Gate, StatementSyntax Exit)>();
            foreach (var wait in OwnDescendants(bodyNode).OfType<InvocationExpressionSyntax>().Where(i => IsUntimedMonitorWait(bodyModel, i, cancellationToken)))
            {
                if (MonitorWaitLoop(bodyModel, wait, containingType, cancellationToken) is not { } monitorWait)
                {
                    return null;
                }

                monitorWaits.Add(monitorWait);
            }

            var sleeps = OwnDescendants(bodyNode).OfType<ExpressionStatementSyntax>()
                .Where(s => IsThreadSleep(bodyModel, s, cancellationToken))
                .ToImmutableArray();

            var declaration = PlanDeclaration(creation, containingType, cancellationToken);
            if (declaration is null)
            {
                return null;
            }

            // Where the source is renewed at each start, the work captures its own token before its thread starts, and
            // the stop path swaps the field for a fresh source, so that it can dispose the one it cancelled once a join
            // proves the work ended (see PlanCapture and SourceSwap). Otherwise (a source created once, a pool, a local) the work reads the
            // source itself, which is never swapped nor disposed.
            var capture = declaration.Value.Renewal is { } renewalStatement && !_pool
                ? PlanCapture(work, creation, renewalStatement, declaration.Value.Name, bodyModel, bodyNode, cancellationToken)
                : null;

            var stops = _stops.ToImmutableArray();
            var joins = _joins.ToImmutableArray();
            return async token =>
            {
                var editor = new SolutionEditor(solution);
                var name = IdentifierName(declaration.Value.Name);
                await declaration.Value.Apply(editor, capture?.Statement, token).ConfigureAwait(false);
                var workToken = capture?.WorkToken;

                var bodyEditor = await editor.GetDocumentEditorAsync(bodyDocument, token).ConfigureAwait(false);
                if (capture is { Method: { } workMethod, MethodGroup: { } methodGroup, Parameter: { } parameter })
                {
                    var creationEditor = await editor.GetDocumentEditorAsync(creation.Document, token).ConfigureAwait(false);
                    creationEditor.ReplaceNode(methodGroup, ParenthesizedLambdaExpression(
                            InvocationExpression(methodGroup.WithoutTrivia(), ArgumentList(SingletonSeparatedList(Argument(IdentifierName(capture.Value.TokenName))))))
                        .WithTriviaFrom(methodGroup));
                    bodyEditor.ReplaceNode(workMethod.ParameterList, workMethod.ParameterList.AddParameters(parameter));
                }

                foreach (var loop in loops)
                {
                    bodyEditor.ReplaceNode(loop, (current, _) => LoopConditioning.CanCondition(current)
                        ? LoopConditioning.ConditionOn((StatementSyntax)current, workToken ?? name)
                        : LoopConditioning.InsertFirstInBody((StatementSyntax)current, LoopConditioning.BreakIfCancellationRequested(workToken ?? name)));
                }

                foreach (var sleep in sleeps)
                {
                    bodyEditor.ReplaceNode(sleep, (current, _) => WakeOnCancel((ExpressionStatementSyntax)current, workToken ?? name, isToken: workToken is not null));
                }

                foreach (var (waitLoop, _, exit) in monitorWaits)
                {
                    bodyEditor.InsertAfter(waitLoop, IfStatement(LoopConditioning.IsCancellationRequested(workToken ?? name), exit).WithAdditionalAnnotations(Formatter.Annotation));
                }

                var pulses = monitorWaits
                    .GroupBy(w => w.Gate.ToString(), StringComparer.Ordinal)
                    .Select(g => (StatementSyntax)LockStatement(
                        g.First().Gate,
                        Block(ExpressionStatement(InvocationExpression(
                            MemberAccessExpression(
                                SyntaxKind.SimpleMemberAccessExpression,
                                ParseExpression("System.Threading.Monitor").WithAdditionalAnnotations(Simplifier.Annotation),
                                IdentifierName("PulseAll")),
                            ArgumentList(SingletonSeparatedList(Argument(g.First().Gate)))))))
                        .WithAdditionalAnnotations(Formatter.Annotation))
                    .ToArray();

                var stopLocals = new Dictionary<SyntaxNode, HashSet<string>>();
                foreach (var (documentId, statement, receiver, conditional) in stops)
                {
                    var stopEditor = await editor.GetDocumentEditorAsync(documentId, token).ConfigureAwait(false);
                    var followingJoin = joins
                        .Where(j => j.Document == documentId && j.Node.SpanStart > statement.SpanStart && SameMember(j.Node, statement))
                        .OrderBy(j => j.Node.SpanStart)
                        .Select(j => j.Node)
                        .FirstOrDefault();
                    var needsJoin = followingJoin is null
                        && !(documentId == bodyDocument && bodyNode.Span.Contains(statement.Span));
                    var join = statement is ForEachStatementSyntax poolLoop ? JoinEach(poolLoop, receiver) : Join(receiver, conditional);
                    StatementSyntax[] replacement;
                    if (capture is null)
                    {
                        var cancel = ExpressionStatement(InvocationExpression(MemberAccessExpression(
                            SyntaxKind.SimpleMemberAccessExpression, name, IdentifierName("Cancel"))));
                        replacement = new StatementSyntax[] { cancel }.Concat(pulses).Concat(needsJoin ? new[] { join } : Array.Empty<StatementSyntax>()).ToArray();
                    }
                    else
                    {
                        // `var c = Interlocked.Exchange(ref _source, new CancellationTokenSource()); c.Cancel();`, and
                        // `c.Dispose();` once a join proves the work ended: the added bounded join when it returns true, or
                        // an unbounded Join() the stopper already made in the same block.
                        var member = statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? statement;
                        if (!stopLocals.TryGetValue(member, out var taken))
                        {
                            stopLocals[member] = taken = new HashSet<string>(StringComparer.Ordinal);
                        }

                        var local = Names.UniqueLocalName(_models[documentId], statement.SpanStart, Names.FieldBase(_thread.Name) + "Cancellation", taken);
                        taken.Add(local);
                        var dispose = SourceSwap.Call(local, "Dispose");
                        var tail = Array.Empty<StatementSyntax>();
                        if (needsJoin)
                        {
                            var joined = ((ExpressionStatementSyntax)join).Expression;
                            tail = new StatementSyntax[]
                            {
                                IfStatement(
                                    conditional ? BinaryExpression(SyntaxKind.EqualsExpression, joined, LiteralExpression(SyntaxKind.TrueLiteralExpression)) : joined,
                                    Block(dispose)).WithAdditionalAnnotations(Formatter.Annotation),
                            };
                        }
                        else if (followingJoin is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } unbounded
                            && (unbounded.Parent is ConditionalAccessExpressionSyntax ? unbounded.Parent.Parent : unbounded.Parent) is ExpressionStatementSyntax joinStatement
                            && statement.Parent is BlockSyntax
                            && joinStatement.Parent == statement.Parent)
                        {
                            stopEditor.InsertAfter(joinStatement, dispose.WithAdditionalAnnotations(Formatter.Annotation));
                        }

                        replacement = new StatementSyntax[] { SourceSwap.Swap(local, declaration.Value.Name,
                            ParseTypeName("global::System.Threading.CancellationTokenSource").WithAdditionalAnnotations(Simplifier.Annotation),
                            ParseExpression("global::System.Threading.Interlocked").WithAdditionalAnnotations(Simplifier.Annotation)), SourceSwap.Call(local, "Cancel") }.Concat(pulses).Concat(tail).ToArray();
                    }
                    if (statement is not StatementSyntax)
                    {
                        stopEditor.ReplaceNode(statement, (current, _) => WithBlockBody(current, replacement));
                    }
                    else if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
                    {
                        replacement[0] = replacement[0].WithTriviaFrom(statement);
                        if (replacement.Length > 1)
                        {
                            var last = replacement.Length - 1;
                            replacement[0] = replacement[0].WithTrailingTrivia(Trivia.EndOfLine(statement));
                            for (var i = 1; i <= last; i++)
                            {
                                replacement[i] = replacement[i].WithLeadingTrivia(Trivia.Indentation(statement)).WithTrailingTrivia(Trivia.EndOfLine(statement));
                            }

                            // The stop's own trailing comment stays with the statement that stops: Cancel().
                            var stopping = capture is null ? last : 1;
                            replacement[stopping] = replacement[stopping].WithTrailingTrivia(statement.GetTrailingTrivia());
                            stopEditor.InsertBefore(statement, replacement.Take(last));
                            stopEditor.ReplaceNode(statement, replacement[last]);
                        }
                        else
                        {
                            stopEditor.ReplaceNode(statement, replacement[0]);
                        }
                    }
                    else
                    {
                        stopEditor.ReplaceNode(statement, Block(replacement).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
                    }
                }

                return editor.GetChangedSolution();
            };
        }

        /// <summary>Turns <c>void Stop() => t.Abort();</c> into a block-bodied member with the given statements.</summary>
        private static SyntaxNode WithBlockBody(SyntaxNode member, StatementSyntax[] statements)
        {
            var (semicolon, arrow) = member switch
            {
                MethodDeclarationSyntax m => (m.SemicolonToken, m.ExpressionBody),
                LocalFunctionStatementSyntax f => (f.SemicolonToken, f.ExpressionBody),
                AccessorDeclarationSyntax a => (a.SemicolonToken, a.ExpressionBody),
                _ => (default, null),
            };
            var block = Block(statements).WithTrailingTrivia(semicolon.TrailingTrivia).WithAdditionalAnnotations(Formatter.Annotation);
            var beforeArrow = arrow?.GetLeadingTrivia() ?? default;
            return member switch
            {
                MethodDeclarationSyntax m => m.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithParameterList(m.ParameterList.WithTrailingTrivia(beforeArrow.Count > 0 ? m.ParameterList.GetTrailingTrivia() : default))
                    .WithBody(block),
                LocalFunctionStatementSyntax f => f.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                AccessorDeclarationSyntax a => a.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                _ => member,
            };
        }

        private static bool SameMember(SyntaxNode a, SyntaxNode b) =>
            a.FirstAncestorOrSelf<MemberDeclarationSyntax>() == b.FirstAncestorOrSelf<MemberDeclarationSyntax>();

        private (DocumentId Document, SyntaxNode Body)? WorkBody(ThreadWork work, INamedTypeSymbol containingType, CancellationToken cancellationToken)
        {
            if (!work.IsValid)
            {
                return null;
            }

            if (work.Lambda?.Syntax is AnonymousFunctionExpressionSyntax lambda
                && OwnDescendants(lambda.Body).Any(LoopConditioning.IsLoop))
            {
                return (_creation!.Value.Document, lambda.Body);
            }

            // A method's body can see a field of the type, not a local of another method.
            if (_thread is not IFieldSymbol field || work.Method is not { } method
                || !SymbolEqualityComparer.Default.Equals(method.ContainingType, containingType)
                || (method.IsStatic && !field.IsStatic)
                || (_methodReferences.TryGetValue(method.OriginalDefinition, out var references) && references > 1))
            {
                return null;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax { Body: { } body })
                {
                    foreach (var entry in _models)
                    {
                        if (entry.Value.SyntaxTree == reference.SyntaxTree)
                        {
                            return (entry.Key, body);
                        }
                    }
                }
            }

            return null;
        }

        private static IEnumerable<SyntaxNode> OwnDescendants(SyntaxNode body) =>
            body.DescendantNodes(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));

        /// <summary>
        /// <c>while (condition) Monitor.Wait(_gate);</c> (or with a block of that one statement) on a field of the type,
        /// in a loop that the worker can leave after it (<c>break</c>, or <c>return</c> in a void method).
        /// </summary>
        private static (StatementSyntax WaitLoop, ExpressionSyntax Gate, StatementSyntax Exit)? MonitorWaitLoop(
            SemanticModel model, InvocationExpressionSyntax wait, INamedTypeSymbol containingType, CancellationToken cancellationToken)
        {
            var gate = wait.ArgumentList.Arguments[0].Expression;
            if (wait.Parent is not ExpressionStatementSyntax statement
                || (statement.Parent is BlockSyntax { Statements.Count: 1 } block ? block.Parent : statement.Parent) is not WhileStatementSyntax waitLoop
                || gate is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax })
                || model.GetSymbolInfo(gate, cancellationToken).Symbol is not IFieldSymbol field
                || !SymbolEqualityComparer.Default.Equals(field.ContainingType, containingType)
                || BlockingRewrite.ExitStatement(waitLoop, model, mustBeInLoop: false) is not { } exit)
            {
                return null;
            }

            return (waitLoop, gate.WithoutTrivia(), exit);
        }

        private static bool IsUntimedMonitorWait(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken) =>
            invocation.ArgumentList.Arguments.Count == 1
            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "Wait", IsStatic: true, ContainingType: { Name: "Monitor", ContainingNamespace.Name: "Threading" } };

        private bool IsThreadSleep(SemanticModel model, ExpressionStatementSyntax statement, CancellationToken cancellationToken) =>
            statement.Expression is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "Sleep", IsStatic: true } method
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Thread);

        private static StatementSyntax WakeOnCancel(ExpressionStatementSyntax sleep, ExpressionSyntax source, bool isToken)
        {
            var argument = ((InvocationExpressionSyntax)sleep.Expression).ArgumentList.Arguments[0];
            var waitHandle = MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                isToken ? source : MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, source, IdentifierName("Token")),
                IdentifierName("WaitHandle"));
            var wait = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, waitHandle, IdentifierName("WaitOne")),
                ArgumentList(SingletonSeparatedList(argument)));
            return sleep.WithExpression(wait.WithTriviaFrom(sleep.Expression));
        }

        /// <summary>
        /// The work's own token: <c>var workerToken = _workerCancellation.Token;</c> right after the source is renewed,
        /// read by an inline lambda, or passed to a parameterless work method as <c>() =&gt; Run(workerToken)</c> (a new
        /// token parameter). Null for any other shape (the work then reads the field, which is not swapped).
        /// </summary>
        /// <returns>The token local written after the renewal, the token the work reads, and for a work method the edits that pass it.</returns>
        private (string TokenName, StatementSyntax Statement, ExpressionSyntax WorkToken, MethodDeclarationSyntax? Method, ExpressionSyntax? MethodGroup, ParameterSyntax? Parameter)? PlanCapture(ThreadWork work, (DocumentId Document, SyntaxNode Creation, SemanticModel Model) creation,
            StatementSyntax renewal, string sourceName, SemanticModel bodyModel, SyntaxNode bodyNode, CancellationToken cancellationToken)
        {
            MethodDeclarationSyntax? method = null;
            ExpressionSyntax? methodGroup = null;
            SyntaxNode scope;
            if (work.Lambda?.Syntax is AnonymousFunctionExpressionSyntax lambda && lambda.Body == bodyNode)
            {
                scope = lambda;
            }
            else if (bodyNode.Parent is MethodDeclarationSyntax { ParameterList.Parameters.Count: 0, ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } declaration
                && creation.Creation is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
                && arguments[0].Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
                && creation.Model.GetSymbolInfo(arguments[0].Expression, cancellationToken).Symbol is IMethodSymbol target
                && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, work.Method?.OriginalDefinition))
            {
                method = declaration;
                methodGroup = arguments[0].Expression;
                scope = declaration;
            }
            else
            {
                return null;
            }

            var inScope = scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToList();
            var tokenName = Names.UniqueLocalName(creation.Model, renewal.SpanStart, Names.FieldBase(_thread.Name) + "Token", inScope);
            var statement = SourceSwap.CaptureToken(tokenName, sourceName).WithAdditionalAnnotations(Formatter.Annotation);
            if (method is null)
            {
                return (tokenName, statement, IdentifierName(tokenName), null, null, null);
            }

            var parameterName = Names.UniqueLocalName(bodyModel, bodyNode.SpanStart, "cancellationToken", inScope);
            var parameter = Parameter(Identifier(parameterName))
                .WithType(ParseTypeName("global::System.Threading.CancellationToken").WithAdditionalAnnotations(Simplifier.Annotation));
            return (tokenName, statement, IdentifierName(parameterName), method, methodGroup, parameter);
        }

        private static StatementSyntax Join(ExpressionSyntax receiver, bool conditional)
        {
            var timeout = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseExpression("global::System.TimeSpan").WithAdditionalAnnotations(Simplifier.Annotation), IdentifierName("FromSeconds")),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(JoinTimeoutSeconds))))));
            var arguments = ArgumentList(SingletonSeparatedList(Argument(timeout)));
            ExpressionSyntax call = conditional
                ? ConditionalAccessExpression(receiver.WithoutTrivia(), InvocationExpression(MemberBindingExpression(IdentifierName("Join")), arguments))
                : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName("Join")), arguments);
            return ExpressionStatement(call);
        }

        /// <summary><c>foreach (var t in _threads) t.Abort();</c> becomes <c>foreach (var t in _threads) t.Join(timeout);</c>.</summary>
        private static StatementSyntax JoinEach(ForEachStatementSyntax loop, ExpressionSyntax receiver)
        {
            var stop = ThreadPoolField.LoopCall(loop)!.Parent!;
            return loop.ReplaceNode(stop, Join(receiver, conditional: false).WithTriviaFrom(stop));
        }

        private (string Name, StatementSyntax? Renewal, Func<SolutionEditor, StatementSyntax?, CancellationToken, Task> Apply)? PlanDeclaration(
            (DocumentId Document, SyntaxNode Creation, SemanticModel Model) creation, INamedTypeSymbol containingType, CancellationToken cancellationToken)
        {
            var sourceType = ParseTypeName("global::System.Threading.CancellationTokenSource").WithAdditionalAnnotations(Simplifier.Annotation);
            ExpressionSyntax NewSource() => ObjectCreationExpression(sourceType, ArgumentList(), null);

            if (_thread is IFieldSymbol field)
            {
                var fieldDeclaration = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken)
                    .FirstAncestorOrSelf<FieldDeclarationSyntax>();
                var fieldDocument = fieldDeclaration is null ? null : _models.FirstOrDefault(m => m.Value.SyntaxTree == fieldDeclaration.SyntaxTree).Key;
                if (fieldDeclaration is null || fieldDocument is null)
                {
                    return null;
                }

                var name = Names.UniqueMemberName(containingType, field.Name + "Cancellation");
                // Created once (field initializer or constructor): one readonly source is enough.
                // (A pool's thread may come from a local's initializer: that is not the field's.)
                var inFieldInitializer = creation.Creation.Parent is EqualsValueClauseSyntax { Parent.Parent.Parent: FieldDeclarationSyntax };
                var inInitializer = inFieldInitializer
                    || creation.Creation.FirstAncestorOrSelf<MemberDeclarationSyntax>() is ConstructorDeclarationSyntax;
                if (inFieldInitializer && !field.IsStatic)
                {
                    // An instance field initializer cannot read another instance field.
                    return null;
                }

                StatementSyntax? renewal = null;
                if (!inInitializer)
                {
                    // A pool's threads are created in a loop: the pool's one source is renewed before the outermost one.
                    var creationStatement = _pool
                        ? creation.Creation.Ancestors().TakeWhile(n => n is not MemberDeclarationSyntax).LastOrDefault(LoopConditioning.IsLoop) as StatementSyntax
                            ?? creation.Creation.FirstAncestorOrSelf<StatementSyntax>()
                        : creation.Creation.FirstAncestorOrSelf<StatementSyntax>();
                    if (creationStatement is not { Parent: BlockSyntax })
                    {
                        return null;
                    }

                    renewal = creationStatement;
                }

                var modifiers = TokenList(Token(SyntaxKind.PrivateKeyword));
                if (field.IsStatic)
                {
                    modifiers = modifiers.Add(Token(SyntaxKind.StaticKeyword));
                }

                if (inInitializer)
                {
                    modifiers = modifiers.Add(Token(SyntaxKind.ReadOnlyKeyword));
                }

                var newField = FieldDeclaration(VariableDeclaration(sourceType,
                        SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(NewSource())))))
                    .WithModifiers(modifiers)
                    .WithAdditionalAnnotations(Formatter.Annotation);

                return (name, renewal, async (editor, capture, token) =>
                {
                    var fieldEditor = await editor.GetDocumentEditorAsync(fieldDocument, token).ConfigureAwait(false);
                    fieldEditor.InsertAfter(fieldDeclaration, newField);
                    if (renewal is not null)
                    {
                        var renewalEditor = await editor.GetDocumentEditorAsync(creation.Document, token).ConfigureAwait(false);
                        var assignment = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(name), NewSource()))
                            .WithAdditionalAnnotations(Formatter.Annotation);
                        renewalEditor.InsertBefore(renewal, capture is null ? new[] { assignment } : new[] { assignment, capture });
                    }
                });
            }

            if (creation.Creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax } localDeclaration } } })
            {
                return null;
            }

            var localName = Names.UniqueLocalName(creation.Model, localDeclaration.SpanStart, _thread.Name + "Cancellation");
            var newLocal = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"),
                    SingletonSeparatedList(VariableDeclarator(Identifier(localName)).WithInitializer(EqualsValueClause(NewSource())))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return (localName, null, async (editor, _, token) =>
            {
                var localEditor = await editor.GetDocumentEditorAsync(creation.Document, token).ConfigureAwait(false);
                localEditor.InsertBefore(localDeclaration, newLocal);
            });
        }
    }
}
