using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Where a blocking call sits: its loop, its function, whether that function is thread work.</summary>
public static class BlockingSites
{
    /// <summary>The diagnostic properties the blocking rules give their fixers.</summary>
    public static class Properties
    {
        /// <summary>A <see cref="BlockingReplacement"/> name.</summary>
        public const string Replacement = "Replacement";

        /// <summary>The C# of the preferred token (GS0005).</summary>
        public const string Token = "Token";

        /// <summary>For <see cref="BlockingReplacement.AwaitAsyncOverload"/>: the async method's name.</summary>
        public const string AsyncName = "AsyncName";

        /// <summary>When the call leaves out its own optional token parameter: that parameter's name.</summary>
        public const string TokenParameter = "TokenParameter";

        /// <summary>"true" when the async replacement exists in the compilation.</summary>
        public const string AsyncAvailable = "AsyncAvailable";

        /// <summary>GS0006: "true" for a timeout-only wait (Join, Monitor.Wait, SpinWait.SpinUntil).</summary>
        public const string TimeoutOnly = "TimeoutOnly";

        /// <summary>GS0006: the configured default timeout in seconds.</summary>
        public const string TimeoutSeconds = "TimeoutSeconds";
    }

    /// <summary>
    /// The tokens a blocking call should take, best first: every parameter and local (captured or not) from
    /// <see cref="TokenScope"/>, and a field or property only when the member that holds the call already observes
    /// it somewhere. A token field the method never touches usually belongs to another activity (a recovery loop,
    /// a flush timeout); passing it would cancel the wrong work. GS0003 reports loops that should observe it.
    /// </summary>
    public static ImmutableArray<TokenInScope> UsableTokens(IOperation operation, ISymbol containingSymbol, KnownTypes types)
    {
        var tokens = TokenScope.GetTokens(operation, containingSymbol, types);
        if (tokens.IsEmpty)
        {
            return tokens;
        }

        var root = OperationScopes.Root(operation);

        ImmutableArray<TokenInScope>.Builder? builder = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var usable = token.Origin is TokenOrigin.Parameter or TokenOrigin.Local || TokenObservation.Observes(root, token.Symbol, types);
            if (!usable && builder is null)
            {
                builder = ImmutableArray.CreateBuilder<TokenInScope>(tokens.Length);
                for (var j = 0; j < i; j++)
                {
                    builder.Add(tokens[j]);
                }
            }
            else if (usable)
            {
                builder?.Add(token);
            }
        }

        return builder?.ToImmutable() ?? tokens;
    }

    /// <summary>The nearest loop around <paramref name="operation"/> in the same function (lambdas and local functions stop the search).</summary>
    public static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The lambda or anonymous method whose body holds <paramref name="operation"/> directly, if any.</summary>
    public static IAnonymousFunctionOperation? EnclosingLambda(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda;
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Whether the function that holds <paramref name="operation"/> (method, lambda, local function) is <c>async</c>.</summary>
    public static bool IsInAsyncFunction(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol.IsAsync;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol.IsAsync;
            }
        }

        return containingSymbol is IMethodSymbol { IsAsync: true };
    }

    /// <summary><c>token.WaitHandle.WaitOne(...)</c> (or <c>cts.Token.WaitHandle</c>): already the token's own wait.</summary>
    public static bool IsOnTokenWaitHandle(IInvocationOperation invocation, KnownTypes types)
    {
        var receiver = invocation.Instance;
        while (receiver is IConversionOperation conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver is IPropertyReferenceOperation { Property.Name: "WaitHandle" } property
            && (SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, types.CancellationToken)
                || SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, types.CancellationTokenSource));
    }

    /// <summary>
    /// <c>e.WaitHandle.WaitOne()</c> or <c>e.WaitOne()</c> where <c>e</c> is a local built from a token in scope
    /// (<c>using var e = GetCancellationEvent(token);</c>): the handle already wakes on cancellation.
    /// </summary>
    public static bool IsOnHandleBuiltFromToken(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        var receiver = invocation.Instance;
        while (receiver is IConversionOperation or IPropertyReferenceOperation { Property.Name: "WaitHandle" })
        {
            receiver = receiver is IConversionOperation conversion ? conversion.Operand : ((IPropertyReferenceOperation)receiver).Instance;
        }

        if (receiver is not ILocalReferenceOperation local || local.Local.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        var declaration = local.Local.DeclaringSyntaxReferences[0].GetSyntax();
        if (declaration is not VariableDeclaratorSyntax { Initializer.Value: { } value } || invocation.SemanticModel is not { } model
            || model.SyntaxTree != declaration.SyntaxTree
            || model.GetOperation(value) is not { } initializer)
        {
            return false;
        }

        return TokenObservation.ObservesAny(initializer, tokens, types);
    }

    /// <summary>The method name of the call (the smallest meaningful span).</summary>
    public static Location NameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
            ? member.Name.GetLocation()
            : invocation.Syntax is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding }
                ? binding.Name.GetLocation()
                : invocation.Syntax is InvocationExpressionSyntax { Expression: SimpleNameSyntax name }
                    ? name.GetLocation()
                    : invocation.Syntax.GetLocation();

    /// <summary>The call as messages show it: <c>handle.WaitOne()</c>, <c>Thread.Sleep()</c>.</summary>
    public static string CallText(IInvocationOperation invocation, string display)
    {
        var name = invocation.TargetMethod.Name;
        if (invocation.Instance is IConditionalAccessInstanceOperation
            && invocation.Syntax.Parent is ConditionalAccessExpressionSyntax access
            && access.WhenNotNull == invocation.Syntax
            && access.Expression.ToString() is { Length: <= 40 } conditional
            && conditional.IndexOf('\n') < 0)
        {
            // _ready?.WaitOne(): the receiver is implicit in the operation tree, but not in the code.
            return conditional + "?." + name + "()";
        }

        var receiver = invocation.Instance?.Syntax.ToString()
            ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Syntax.ToString() : null);
        if (receiver is null || invocation.Instance is { IsImplicit: true } || receiver.Length > 40 || receiver.IndexOf('\n') >= 0)
        {
            var dot = display.IndexOf('.');
            return (dot > 0 ? display.Substring(0, dot) : invocation.TargetMethod.ContainingType.Name) + "." + name + "()";
        }

        return receiver + "." + name + "()";
    }

    /// <summary>Whether the call or its arguments are invalid (half-typed code): the blocking rules then stay silent.</summary>
    public static bool HasErrors(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.ReturnType.TypeKind == TypeKind.Error || invocation.Syntax.ContainsDiagnostics)
        {
            return true;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value is IInvalidOperation || argument.Value.Type?.TypeKind == TypeKind.Error)
            {
                return true;
            }
        }

        return invocation.Instance is IInvalidOperation || invocation.Instance?.Type?.TypeKind == TypeKind.Error;
    }

    /// <summary>
    /// The call waits for tasks (<c>task.Wait()</c>, <c>Task.WaitAll(a, b)</c>, an extension like
    /// <c>task.WaitAndUnwrapException()</c>), and every one of them ends by itself: it was created by a call that was
    /// given a cancellation token (<c>TakeAsync(token).Wait()</c>, or a local assigned from such a call), so cancelling
    /// ends the task and the wait with it; or it is a <c>Task.Delay</c> of a finite time. Found on AsyncEx, embedio,
    /// SuperSocket (GS0005) and DotNetty (GS0006).
    /// </summary>
    public static bool WaitsOnlyForSelfEndingTasks(IInvocationOperation invocation, KnownTypes types)
    {
        if (types.Task is not { } task)
        {
            return false;
        }

        var found = false;
        if (invocation.Instance is { } instance && IsTask(instance.Type, task))
        {
            if (!EndsByItself(instance, invocation, types))
            {
                return false;
            }

            found = true;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var value = OperationUnwrapping.WithoutConversions(argument.Value);
            if (IsTask(value.Type, task))
            {
                if (!EndsByItself(value, invocation, types))
                {
                    return false;
                }

                found = true;
            }
            else if (value is IArrayCreationOperation { Initializer: { } initializer } && value.Type is IArrayTypeSymbol array && IsTask(array.ElementType, task))
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (!EndsByItself(OperationUnwrapping.WithoutConversions(element), invocation, types))
                    {
                        return false;
                    }

                    found = true;
                }
            }
        }

        return found;
    }

    internal static bool IsTask(ITypeSymbol? type, INamedTypeSymbol task)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, task))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsByItself(IOperation value, IInvocationOperation wait, KnownTypes types)
    {
        value = OperationUnwrapping.WithoutConversions(value);
        if (value is IInvocationOperation creation)
        {
            return IsGivenToken(creation, types) || IsFiniteDelay(creation, types) || IsCompletedTask(creation, types) || IsGivenItsSource(creation, types);
        }

        // `flag ? ShowAsync(token) : Task.CompletedTask` (embedio): each branch must end by itself.
        if (value is IConditionalOperation { WhenTrue: { } whenTrue, WhenFalse: { } whenFalse })
        {
            return EndsByItself(whenTrue, wait, types) && EndsByItself(whenFalse, wait, types);
        }

        if (value is IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } completed }
            && SymbolEqualityComparer.Default.Equals(completed.ContainingType, types.Task))
        {
            return true;
        }

        if (value is not ILocalReferenceOperation { Local: { } local })
        {
            return false;
        }

        // Every value the local receives in the function, before the wait, must end by itself.
        var root = wait.Parent;
        while (root?.Parent is not null)
        {
            root = root.Parent;
        }

        var assigned = false;
        foreach (var operation in root?.Descendants() ?? Enumerable.Empty<IOperation>())
        {
            IOperation? assignedValue = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) =>
                    declarator.Initializer?.Value ?? (IOperation?)(declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) =>
                    assignment.Value,
                _ => null,
            };

            // A null assigned first (Task delay = null; ... delay = Task.Delay(d, token);) cannot be waited for.
            if (assignedValue is null || OperationUnwrapping.WithoutConversions(assignedValue).ConstantValue is { HasValue: true, Value: null })
            {
                continue;
            }

            if (OperationUnwrapping.WithoutConversions(assignedValue) is not IInvocationOperation source || !(IsGivenToken(source, types) || IsFiniteDelay(source, types)))
            {
                return false;
            }

            assigned = true;
        }

        return assigned;
    }

    private static bool IsGivenToken(IInvocationOperation creation, KnownTypes types)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && TokenScope.IsToken(argument.Value.Type, types)
                && !TokenObservation.IsNoneToken(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCompletedTask(IInvocationOperation creation, KnownTypes types) =>
        creation.TargetMethod is { Name: "FromResult" or "FromCanceled" or "FromException", IsStatic: true } factory
        && SymbolEqualityComparer.Default.Equals(factory.ContainingType, types.Task);

    /// <summary>
    /// A task given the token source itself, or its <c>Cancel</c> method (<c>WaitForUserBreakAsync(cts.Cancel)</c>,
    /// embedio): it is the one that ends the others by cancelling, so the wait ends with it.
    /// </summary>
    private static bool IsGivenItsSource(IInvocationOperation creation, KnownTypes types)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var value = OperationUnwrapping.WithoutConversions(argument.Value);
            if (TokenScope.IsSource(value.Type, types)
                || (value is IDelegateCreationOperation { Target: IMethodReferenceOperation { Method.Name: "Cancel" or "CancelAsync", Instance: { } instance } }
                    && TokenScope.IsSource(instance.Type, types)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFiniteDelay(IInvocationOperation creation, KnownTypes types)
    {
        if (creation.TargetMethod is not { Name: "Delay", IsStatic: true } delay
            || !SymbolEqualityComparer.Default.Equals(delay.ContainingType, types.Task)
            || creation.Arguments.Length == 0)
        {
            return false;
        }

        // A delay computed at run time (Task.Delay(rng.Next(0, 1000))) is finite unless it names an infinite timeout.
        var value = creation.Arguments[0].Value;
        return BlockingApis.ConstantMilliseconds(value) is { } ms
            ? ms >= 0
            : value.ConstantValue is not { HasValue: true } && !MayBeInfinite(value);
    }

    private static bool MayBeInfinite(IOperation value)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IFieldReferenceOperation { Field.Name: "Infinite" or "InfiniteTimeSpan" or "MaxValue" }
                || operation is IPropertyReferenceOperation { Property.Name: "MaxValue" }
                || (operation.ConstantValue is { HasValue: true, Value: int and < 0 }))
            {
                return true;
            }
        }

        return false;
    }
}

