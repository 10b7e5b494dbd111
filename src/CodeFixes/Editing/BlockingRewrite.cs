using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Rewrites a blocking call into its token-aware form (the right-hand side of the GS0005 table), shared by the
/// GS0005 fix and the GS0006 "add a CancellationToken parameter" fix.
/// </summary>
public static class BlockingRewrite
{
    /// <summary>
    /// The node to replace, its replacement and the method the replacement calls that the original did not (a token
    /// overload or an async method; null for APIs every target has), or null when no correct rewrite exists for this
    /// shape. A fix asks <see cref="EveryTarget"/> about <c>Calls</c> before it offers the rewrite.
    /// </summary>
    /// <param name="model">The semantic model of the call's document.</param>
    /// <param name="call">The blocking call.</param>
    /// <param name="replacement">The table's replacement kind.</param>
    /// <param name="token">The token expression to pass (parsed, without trivia).</param>
    /// <param name="asyncName">For <see cref="BlockingReplacement.AwaitAsyncOverload"/>: the async method.</param>
    /// <param name="tokenParameter">The call's own omitted optional token parameter, if any.</param>
    /// <param name="cancellationToken">Cancellation of the fix computation.</param>
    public static (SyntaxNode Old, SyntaxNode New, IMethodSymbol? Calls)? TryRewrite(
        SemanticModel model,
        InvocationExpressionSyntax call,
        BlockingReplacement replacement,
        ExpressionSyntax token,
        string? asyncName,
        string? tokenParameter,
        CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        token = token.WithoutTrivia();
        switch (replacement)
        {
            case BlockingReplacement.TokenOverload when DelayWait(model, call, invocation, token) is var (oldDelay, newDelay):
                return (oldDelay, newDelay, null);
            case BlockingReplacement.TokenOverload:
                return AppendToken(model, call, invocation, token, tokenParameter) is ({ } appended, var overload)
                    ? LeaveOnCancellation.TryWrap(model, call, appended, cancellationToken) is var (oldWrapped, newWrapped)
                        ? (oldWrapped, newWrapped, overload)
                        : (call, appended, overload)
                    : null;
            case BlockingReplacement.SleepOnToken:
                return Sleep(model, call, token) is var (oldSleep, newSleep) ? (oldSleep, newSleep, null) : null;
            case BlockingReplacement.WaitAnyWithToken:
                return WaitAny(model, call, token) is var (oldWait, newWait) ? (oldWait, newWait, null) : null;
            case BlockingReplacement.AwaitAsyncOverload when asyncName is not null
                && TokenOnlyMethod(invocation.Instance?.Type ?? invocation.TargetMethod.ContainingType, asyncName, model.Compilation) is { } asyncMethod:
                if (AwaitAsync(call, asyncName, token) is not var (oldCall, awaited))
                {
                    return null;
                }

                return oldCall == call && awaited is ExpressionSyntax awaitExpression
                    && LeaveOnCancellation.TryWrap(model, call, awaitExpression, cancellationToken) is var (oldWrapped2, newWrapped2)
                    ? (oldWrapped2, newWrapped2, asyncMethod)
                    : (oldCall, awaited, asyncMethod);
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="node"/> is in an <c>async</c> function where an <c>await</c> may be written.</summary>
    public static bool CanAwait(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax or QueryExpressionSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The statement that leaves the enclosing loop or function: <c>break;</c>, <c>return;</c>, or null.</summary>
    public static StatementSyntax? ExitStatement(SyntaxNode node, SemanticModel model, bool mustBeInLoop)
    {
        var inLoop = false;
        var breakable = true;
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is SwitchStatementSyntax && !inLoop)
            {
                breakable = false;
            }
            else if (LoopConditioning.IsLoop(current))
            {
                if (breakable)
                {
                    // Leaving the loop is not leaving the method: a value-returning method would fall off its end.
                    return LoopConditioning.EndMayBecomeReachable(current) ? BreakStatement() : null;
                }

                inLoop = true;
            }
            else if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
            {
                if (mustBeInLoop && !inLoop)
                {
                    return null;
                }

                return ReturnsVoid(current, model) ? ReturnStatement() : null;
            }
        }

        return null;
    }

    /// <summary>Whether the statement sits in a loop of the same function.</summary>
    public static bool IsInLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (LoopConditioning.IsLoop(current))
            {
                return true;
            }

            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ReturnsVoid(SyntaxNode function, SemanticModel model)
    {
        switch (function)
        {
            case ConstructorDeclarationSyntax or DestructorDeclarationSyntax:
                return true;
            case AccessorDeclarationSyntax accessor:
                return accessor.Keyword.Kind() is SyntaxKind.SetKeyword or SyntaxKind.InitKeyword or SyntaxKind.AddKeyword or SyntaxKind.RemoveKeyword;
            case MethodDeclarationSyntax method:
                return method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } && !method.Modifiers.Any(SyntaxKind.AsyncKeyword);
            case LocalFunctionStatementSyntax local:
                return local.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } && !local.Modifiers.Any(SyntaxKind.AsyncKeyword);
            case AnonymousFunctionExpressionSyntax lambda:
                return !lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)
                    && model.GetSymbolInfo(lambda).Symbol is IMethodSymbol { ReturnsVoid: true };
            default:
                return false;
        }
    }

    /// <summary>The call with the token appended, and the method that call binds to.</summary>
    private static (InvocationExpressionSyntax? Call, IMethodSymbol? Method) AppendToken(
        SemanticModel model, InvocationExpressionSyntax call, IInvocationOperation invocation, ExpressionSyntax token, string? tokenParameter)
    {
        IMethodSymbol target = invocation.TargetMethod;
        var arguments = call.ArgumentList.Arguments;
        var named = false;
        foreach (var argument in arguments)
        {
            named |= argument.NameColon is not null;
        }

        ArgumentSyntax tokenArgument;
        if (tokenParameter is not null)
        {
            var ordinal = -1;
            foreach (var parameter in invocation.TargetMethod.Parameters)
            {
                if (parameter.Name == tokenParameter)
                {
                    ordinal = parameter.Ordinal;
                }
            }

            if (ordinal < 0)
            {
                return default;
            }

            // Arguments given in the call, counting the receiver of an extension call (it fills parameter 0).
            var explicitCount = 0;
            foreach (var argument in invocation.Arguments)
            {
                explicitCount += argument.ArgumentKind == ArgumentKind.DefaultValue ? 0 : 1;
            }

            var positional = !named && explicitCount == ordinal;
            tokenArgument = positional
                ? Argument(token)
                : Argument(NameColon(IdentifierName(tokenParameter)), default, token);
        }
        else
        {
            var apis = BlockingApis.Get(model.Compilation);
            if (apis.FindTokenOverload(invocation.TargetMethod) is not { } overload)
            {
                return default;
            }

            if (!KeepsItsValue(call, invocation.TargetMethod, overload))
            {
                return default;
            }

            target = overload;

            var parameters = overload.Parameters;
            tokenArgument = named
                ? Argument(NameColon(IdentifierName(parameters[parameters.Length - 1].Name)), default, token)
                : Argument(token);

            // A params call in expanded form needs its array written out before a trailing argument.
            if (!named && ExpandParams(model, call, invocation) is { } expanded)
            {
                arguments = expanded;
            }
            else if (HasExpandedParams(invocation))
            {
                return default;
            }
        }

        var list = call.ArgumentList;
        var withSeparators = new List<SyntaxNodeOrToken>();
        foreach (var item in arguments.GetWithSeparators())
        {
            withSeparators.Add(item);
        }

        if (arguments.Count > 0)
        {
            withSeparators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
        }

        withSeparators.Add(tokenArgument);
        return (call.WithArgumentList(list.WithArguments(SeparatedList<ArgumentSyntax>(withSeparators))), target);
    }

    /// <summary>
    /// Whether the token overload can stand where the call stands: it returns the same type, or the call's value is
    /// only awaited (a <c>ValueTask&lt;T&gt;</c> and a <c>Task&lt;T&gt;</c> both give <c>T</c>) or dropped.
    /// <c>Task.Run(() =&gt; listener.AcceptTcpClientAsync(), token)</c> would otherwise become a lambda returning
    /// <c>ValueTask&lt;TcpClient&gt;</c>, which no <c>Task.Run</c> overload takes.
    /// </summary>
    private static bool KeepsItsValue(InvocationExpressionSyntax call, IMethodSymbol method, IMethodSymbol overload)
    {
        // The table's overload is the definition (BlockingCollection<T>.Take(CancellationToken) returns T) and a
        // generic method's type parameter is its own: compare the definitions' return types as written.
        if (method.OriginalDefinition.ReturnType.ToDisplayString() == overload.OriginalDefinition.ReturnType.ToDisplayString())
        {
            return true;
        }

        SyntaxNode used = call;
        while (used.Parent is ParenthesizedExpressionSyntax)
        {
            used = used.Parent;
        }

        if (used.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } access
            && access.Expression == used
            && access.Parent is InvocationExpressionSyntax configured)
        {
            used = configured;
        }

        return used.Parent is AwaitExpressionSyntax or ExpressionStatementSyntax;
    }

    private static bool HasExpandedParams(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                return true;
            }
        }

        return false;
    }

    private static SeparatedSyntaxList<ArgumentSyntax>? ExpandParams(SemanticModel model, InvocationExpressionSyntax call, IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.ParamArray || argument.Parameter?.Type is not IArrayTypeSymbol arrayType)
            {
                continue;
            }

            var elements = new List<ExpressionSyntax>();
            var first = -1;
            for (var i = 0; i < call.ArgumentList.Arguments.Count; i++)
            {
                var syntax = call.ArgumentList.Arguments[i];
                if (model.GetOperation(syntax) is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray })
                {
                    continue;
                }

                if (argument.Value is IArrayCreationOperation { Initializer: { } initializer } && Contains(initializer, syntax.Expression))
                {
                    first = first < 0 ? i : first;
                    elements.Add(syntax.Expression.WithoutTrivia());
                }
            }

            if (first < 0)
            {
                return null;
            }

            var elementType = ParseTypeName(arrayType.ElementType.ToMinimalDisplayString(model, call.SpanStart));
            var array = ArrayCreationExpression(
                ArrayType(elementType, SingletonList(ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(OmittedArraySizeExpression())))),
                InitializerExpression(SyntaxKind.ArrayInitializerExpression, SeparatedList(elements, Enumerable.Repeat(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space), Math.Max(0, elements.Count - 1)))).WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space)).WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Space)))
                .WithNewKeyword(Token(SyntaxKind.NewKeyword).WithTrailingTrivia(Space));
            var kept = new List<ArgumentSyntax>();
            for (var i = 0; i < first; i++)
            {
                kept.Add(call.ArgumentList.Arguments[i]);
            }

            kept.Add(Argument(array).WithLeadingTrivia(call.ArgumentList.Arguments[first].GetLeadingTrivia()));
            return SeparatedList(kept, Enumerable.Repeat(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space), kept.Count - 1));
        }

        return null;
    }

    private static bool Contains(IArrayInitializerOperation initializer, ExpressionSyntax expression)
    {
        foreach (var element in initializer.ElementValues)
        {
            var value = element;
            if (value.Syntax == expression || (value is IConversionOperation { Operand.Syntax: var operandSyntax } && operandSyntax == expression))
            {
                return true;
            }
        }

        return false;
    }

    private static (SyntaxNode, SyntaxNode)? Sleep(SemanticModel model, InvocationExpressionSyntax call, ExpressionSyntax token)
    {
        if (call.ArgumentList.Arguments.Count != 1)
        {
            return null;
        }

        var delay = call.ArgumentList.Arguments[0].Expression.WithoutTrivia();
        if (CanAwait(call))
        {
            var task = ParseExpression("System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation);
            var awaitDelay = AwaitExpression(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, IdentifierName("Delay")),
                ArgumentList(SeparatedList(new[] { Argument(delay), Argument(token) }, new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) }))))
                .WithAwaitKeyword(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space))
                .WithTriviaFrom(call);
            return LeaveOnCancellation.TryWrap(model, call, awaitDelay, CancellationToken.None) ?? (call, awaitDelay);
        }

        var waitOne = InvocationExpression(
            MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token, IdentifierName("WaitHandle")),
                IdentifierName("WaitOne")),
            ArgumentList(SingletonSeparatedList(Argument(delay))));
        if (call.Parent is ExpressionStatementSyntax statement && IsInLoop(statement))
        {
            return SleepInLoop(model, statement, waitOne);
        }

        return (call, waitOne.WithTriviaFrom(call));
    }

    /// <summary>
    /// <c>Task.Delay(t).Wait();</c> is a sleep: <c>Task.Delay(t, token).Wait()</c> would throw an
    /// <c>AggregateException</c> on cancellation, so it becomes <c>token.WaitHandle.WaitOne(t)</c> (in a loop,
    /// <c>if (token.WaitHandle.WaitOne(t)) break;</c>), which returns instead.
    /// </summary>
    private static (SyntaxNode, SyntaxNode)? DelayWait(SemanticModel model, InvocationExpressionSyntax call, IInvocationOperation invocation, ExpressionSyntax token)
    {
        if (invocation.TargetMethod is not { Name: "Delay", IsStatic: true, ContainingType.Name: "Task" }
            || invocation.TargetMethod.Parameters.Length != 1
            || call.ArgumentList.Arguments.Count != 1
            || call.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait", Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } wait }
            || wait.Parent is not ExpressionStatementSyntax statement)
        {
            return null;
        }

        var waitOne = InvocationExpression(
            MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token, IdentifierName("WaitHandle")),
                IdentifierName("WaitOne")),
            ArgumentList(SingletonSeparatedList(Argument(call.ArgumentList.Arguments[0].Expression.WithoutTrivia()))));
        return IsInLoop(statement)
            ? SleepInLoop(model, statement, waitOne)
            : (wait, waitOne.WithTriviaFrom(wait));
    }

    private static (SyntaxNode, SyntaxNode)? SleepInLoop(SemanticModel model, ExpressionStatementSyntax statement, ExpressionSyntax waitOne)
    {
        // Leave the loop when the wait reports cancellation: break, or return when a switch is in between.
        if (ExitStatement(statement, model, mustBeInLoop: true) is not { } exit)
        {
            return null;
        }

        var check = IfStatement(waitOne, exit.WithLeadingTrivia(Space))
            .WithIfKeyword(Token(SyntaxKind.IfKeyword).WithTrailingTrivia(Space))
            .WithTriviaFrom(statement);
        return (statement, check);
    }

    private static (SyntaxNode, SyntaxNode)? WaitAny(SemanticModel model, InvocationExpressionSyntax call, ExpressionSyntax token)
    {
        if (call.Expression is not MemberAccessExpressionSyntax { Expression: var handle }
            || call.Parent is not ExpressionStatementSyntax statement
            || handle is BaseExpressionSyntax)
        {
            return null;
        }

        var exit = ExitStatement(statement, model, mustBeInLoop: false)
            ?? ThrowStatement(ObjectCreationExpression(
                QualifiedName(IdentifierName("System"), IdentifierName("OperationCanceledException")).WithAdditionalAnnotations(Simplifier.Annotation),
                ArgumentList(SingletonSeparatedList(Argument(token))),
                null));

        var waitHandleType = ParseExpression("System.Threading.WaitHandle").WithAdditionalAnnotations(Simplifier.Annotation);
        var handles = ImplicitArrayCreationExpression(InitializerExpression(
            SyntaxKind.ArrayInitializerExpression,
            SeparatedList(
                new ExpressionSyntax[] { handle.WithoutTrivia(), MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token, IdentifierName("WaitHandle")) },
                new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) })));
        var arguments = new List<ArgumentSyntax> { Argument(handles) };
        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null)
            {
                return null;
            }

            arguments.Add(argument.WithoutTrivia());
        }

        var waitAny = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, waitHandleType, IdentifierName("WaitAny")),
            ArgumentList(SeparatedList(arguments, Enumerable.Repeat(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space), arguments.Count - 1))));
        var cancelled = BinaryExpression(SyntaxKind.EqualsExpression, waitAny, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1)));
        var check = IfStatement(cancelled, exit)
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (statement, check);
    }

    private static (SyntaxNode, SyntaxNode)? AwaitAsync(InvocationExpressionSyntax call, string asyncName, ExpressionSyntax token)
    {
        if (!CanAwait(call) || call.ArgumentList.Arguments.Count != 0)
        {
            return null;
        }

        ExpressionSyntax target;
        switch (call.Expression)
        {
            case MemberAccessExpressionSyntax member:
                target = member.WithName(IdentifierName(asyncName).WithTriviaFrom(member.Name));
                break;
            case MemberBindingExpressionSyntax:
                return null;
            default:
                return null;
        }

        ExpressionSyntax awaited = AwaitExpression(
            Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space),
            call.WithExpression(target).WithArgumentList(call.ArgumentList.WithArguments(SingletonSeparatedList(Argument(token)))).WithoutTrivia());
        if (NeedsParentheses(call))
        {
            awaited = ParenthesizedExpression(awaited);
        }

        return (call, awaited.WithTriviaFrom(call));
    }

    /// <summary>The method <paramref name="name"/>(CancellationToken) of <paramref name="type"/> or a base type.</summary>
    private static IMethodSymbol? TokenOnlyMethod(ITypeSymbol? type, string name, Compilation compilation)
    {
        var tokenType = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        for (var current = type; current is not null && tokenType is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                if (member is IMethodSymbol { Parameters.Length: 1 } method
                    && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, tokenType))
                {
                    return method;
                }
            }
        }

        return null;
    }

    private static bool NeedsParentheses(ExpressionSyntax expression) =>
        expression.Parent switch
        {
            MemberAccessExpressionSyntax member => member.Expression == expression,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression == expression,
            ElementAccessExpressionSyntax element => element.Expression == expression,
            InvocationExpressionSyntax invocation => invocation.Expression == expression,
            PostfixUnaryExpressionSyntax => true,
            _ => false,
        };
}
