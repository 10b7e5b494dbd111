using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Calls GS0005 would otherwise report although passing the token is not the point, each found on real code
/// (docs/validation.md, classes 7, 11, 12, 13). Asked only for a matched call with a token in scope, right before a
/// report, so none of this runs on the hot path.
/// </summary>
public static class BlockingExemptions
{
    /// <summary>
    /// <c>await Task.WhenAny(work, Task.Delay(timeout))</c>: the delay is the timeout arm of the race, not a wait of its
    /// own; the token belongs to what is raced (fresh set F6).
    /// </summary>
    public static bool IsTimeoutArmOfWhenAny(IInvocationOperation invocation, KnownTypes types)
    {
        if (invocation.TargetMethod is not { Name: "Delay", IsStatic: true } delay
            || !SymbolEqualityComparer.Default.Equals(delay.ContainingType, types.Task))
        {
            return false;
        }

        IOperation current = invocation;
        while (current.Parent is IConversionOperation or IArrayInitializerOperation or IArrayCreationOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny } => SymbolEqualityComparer.Default.Equals(whenAny.ContainingType, types.Task),
            // The race does not compile because another arm does not bind (an extension such as `token.AsTask()` that is
            // internal to another assembly; silverback, fresh set 5): it is still `Task.WhenAny` by its name.
            IInvalidOperation { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WhenAny", Expression: var receiver } } } =>
                RightmostName.Of(receiver) == "Task",
            _ => false,
        };
    }

    /// <summary>
    /// <c>CloseAsync(new ShutdownEventArgs(..., cancellationToken: token))</c>, or a local built so and then passed: the
    /// token reaches the callee inside an argument (rabbitmq's <c>Channel.CloseAsync</c>, fresh set 2). Only objects
    /// created in the function count, and only with a token in scope among their arguments.
    /// </summary>
    public static bool PassesTokenInsideArgument(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var value = OperationUnwrapping.WithoutConversions(argument.Value);
            if (value is ILocalReferenceOperation { Local: { } local } && LocalInitializer(invocation, local) is { } initializer)
            {
                value = OperationUnwrapping.WithoutConversions(initializer);
            }

            if (value is IObjectCreationOperation creation && TokenObservation.ObservesAny(creation, tokens, types))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? LocalInitializer(IOperation operation, ILocalSymbol local)
    {
        IOperation? initializer = null;
        foreach (var descendant in OperationScopes.EnclosingFunction(operation).Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    initializer = declarator.Initializer?.Value;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && reference.Parent is IAssignmentOperation assignment && assignment.Target == reference:
                    // Assigned again: which value is passed is not known here.
                    return null;
            }
        }

        return initializer;
    }

    /// <summary>
    /// <c>_ = client.PublishAsync(m);</c> or <c>client.PublishAsync(m);</c>: the task is dropped, so the call does not
    /// make this code wait (MQTTnet). So is <c>Task.Delay(d).ContinueWith(_ =&gt; cts.Cancel());</c> when the
    /// continuation's task is dropped too: nothing waits for either (kafka-net's tests, fresh set 2; there the delay is
    /// what cancels the token).
    /// </summary>
    public static bool IsDroppedTask(IInvocationOperation invocation, KnownTypes types)
    {
        if (!IsTaskLike(invocation.Type, types))
        {
            return false;
        }

        IOperation value = invocation;
        while (true)
        {
            while (value.Parent is IConversionOperation or IParenthesizedOperation)
            {
                value = value.Parent;
            }

            // The task is only the receiver of a continuation: whether anything waits is up to the continuation's task.
            if (value.Parent is IInvocationOperation { TargetMethod.Name: "ContinueWith" } continuation
                && continuation.Instance == value
                && IsTaskLike(continuation.Type, types))
            {
                value = continuation;
                continue;
            }

            break;
        }

        return value.Parent is IExpressionStatementOperation
            || (value.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment && assignment.Value == value);
    }

    /// <summary>
    /// <c>queue.Add(item)</c> on a <c>BlockingCollection</c> created without a bounded capacity, in every assignment
    /// that can be seen (the local's in the function; the field's initializer and assignments in its type): such an
    /// <c>Add</c> never blocks (Quartz.NET <c>QueuedTaskScheduler</c>).
    /// </summary>
    public static bool IsAddToUnboundedCollection(IInvocationOperation invocation, KnownTypes types)
    {
        if (invocation.TargetMethod is not { Name: "Add" } method
            || types.BlockingCollectionOfT is not { } collection
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, collection)
            || invocation.Instance is not { } instance)
        {
            return false;
        }

        return OperationUnwrapping.WithoutConversions(instance) switch
        {
            ILocalReferenceOperation local => LocalIsUnbounded(invocation, local.Local),
            IFieldReferenceOperation field => FieldIsUnbounded(field.Field),
            IPropertyReferenceOperation { Property: { IsIndexer: false, SetMethod: null or { IsInitOnly: false } } property } when AutoProperties.BackingField(property) is { IsImplicitlyDeclared: true } => FieldIsUnbounded(property),
            _ => false,
        };
    }

    /// <summary>
    /// The tokens less the token sources that the function uses only as a completion signal: it creates the source,
    /// then only waits for it to be cancelled (<c>Task.Delay(d, source.Token)</c>), disposes or cancels it; another
    /// method (a message handler) cancels it when the work being measured is done (MQTTnet benchmarks). Passing such a
    /// token on would cancel that very work.
    /// </summary>
    public static ImmutableArray<TokenInScope> WithoutCompletionSignals(IOperation operation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        ImmutableArray<TokenInScope>.Builder? kept = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var signal = token.IsSource
                && token.Origin is TokenOrigin.Field or TokenOrigin.Local
                && IsCompletionSignal(OperationScopes.Root(operation), token.Symbol, types);
            if (signal && kept is null)
            {
                kept = ImmutableArray.CreateBuilder<TokenInScope>(tokens.Length);
                for (var j = 0; j < i; j++)
                {
                    kept.Add(tokens[j]);
                }
            }
            else if (!signal)
            {
                kept?.Add(token);
            }
        }

        return kept?.ToImmutable() ?? tokens;
    }

    /// <summary>
    /// The wait is in a lambda given to a call whose task the enclosing function joins (<c>task.Wait()</c>,
    /// <c>await task</c>) before it cancels the source: the work has ended by then, so the token could never have
    /// ended the wait (AsyncEx <c>AsyncLockUnitTests</c>). A worker joined only after the cancel is still reported.
    /// </summary>
    public static bool WaitsInWorkJoinedBeforeCancel(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens)
    {
        IOperation? lambda = null;
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                lambda = current;
                break;
            }

            if (current is ILocalFunctionOperation)
            {
                return false;
            }
        }

        if (lambda is null)
        {
            return false;
        }

        var node = lambda;
        while (node.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            node = node.Parent;
        }

        if (node.Parent is not IArgumentOperation { Parent: IInvocationOperation start })
        {
            return false;
        }

        IOperation task = start;
        while (task.Parent is IConversionOperation or IParenthesizedOperation)
        {
            task = task.Parent;
        }

        var taskLocal = task.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == task => target.Local,
            _ => null,
        };

        var joinedAt = IsJoin(task.Parent, task) ? task.Parent!.Syntax.SpanStart : int.MaxValue;
        var function = OperationScopes.EnclosingFunction(start);
        foreach (var operation in function.Descendants())
        {
            if (taskLocal is not null
                && operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, taskLocal)
                && IsJoin(reference.Parent, reference))
            {
                joinedAt = Math.Min(joinedAt, reference.Syntax.SpanStart);
            }
        }

        if (joinedAt == int.MaxValue)
        {
            return false;
        }

        foreach (var operation in function.Descendants())
        {
            if (operation.Syntax.SpanStart > joinedAt && Cancellations.SourceCancelledBy(operation) is { } source)
            {
                foreach (var token in tokens)
                {
                    if (token.IsSource && SymbolEqualityComparer.Default.Equals(token.Symbol, source))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A finite, one-shot wait (not in a loop) under <c>if (!token.IsCancellationRequested ...)</c>: the code has just
    /// looked at the token and chose to wait anyway, as Hangfire's protective one-second sleep after an early wake-up
    /// does. In a loop, with no timeout, or unguarded, the wait is still reported.
    /// </summary>
    public static bool IsOneShotWaitChosenAfterCheck(IInvocationOperation invocation, BlockingCall call, ImmutableArray<TokenInScope> tokens)
    {
        if (call.Timeout is null || call.WaitsForever || call.ConstantTimeoutMs is < 0 || BlockingSites.EnclosingLoop(invocation) is not null)
        {
            return false;
        }

        IOperation child = invocation;
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is IConditionalOperation { Condition: { } condition } conditional
                && conditional.WhenTrue == child
                && ChecksNotCancelled(condition, tokens))
            {
                return true;
            }

            child = current;
        }

        return false;
    }

    private static bool ChecksNotCancelled(IOperation condition, ImmutableArray<TokenInScope> tokens)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } instance, Parent: IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } }
                && ReferencedSymbol(instance) is { } symbol)
            {
                foreach (var token in tokens)
                {
                    if (SymbolEqualityComparer.Default.Equals(token.Symbol, symbol))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static ISymbol? ReferencedSymbol(IOperation operation)
    {
        operation = OperationUnwrapping.WithoutConversions(operation);
        if (operation is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source })
        {
            operation = OperationUnwrapping.WithoutConversions(source);
        }

        return operation switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
    }

    private static bool IsJoin(IOperation? parent, IOperation task) => parent switch
    {
        IInvocationOperation { TargetMethod.Name: "Wait" } wait => wait.Instance == task,
        IAwaitOperation => true,
        IInvocationOperation { TargetMethod.Name: "GetAwaiter", Parent: IInvocationOperation { TargetMethod.Name: "GetResult" } } awaiter => awaiter.Instance == task,
        _ => false,
    };


    private static bool IsCompletionSignal(IOperation root, ISymbol source, KnownTypes types)
    {
        var created = false;
        var waitedFor = false;
        foreach (var operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, source))
            {
                created |= declarator.Initializer?.Value is { } initial && OperationUnwrapping.WithoutConversions(initial) is IObjectCreationOperation;
                continue;
            }

            var isReference = operation switch
            {
                ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, source),
                IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, source),
                _ => false,
            };
            if (!isReference)
            {
                continue;
            }

            switch (operation.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == operation:
                    created |= OperationUnwrapping.WithoutConversions(assignment.Value) is IObjectCreationOperation;
                    break;
                case IPropertyReferenceOperation { Property.Name: "Token" } token when token.Instance == operation && IsDelayToken(token, types):
                    waitedFor = true;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Dispose" or "Cancel" or "CancelAfter" or "CancelAsync" } call when call.Instance == operation:
                    break;
                default:
                    return false;
            }
        }

        return created && waitedFor;
    }

    private static bool IsDelayToken(IOperation token, KnownTypes types)
    {
        var value = token;
        while (value.Parent is IConversionOperation)
        {
            value = value.Parent;
        }

        return value.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Delay", IsStatic: true } delay } }
            && SymbolEqualityComparer.Default.Equals(delay.ContainingType, types.Task);
    }

    private static bool LocalIsUnbounded(IOperation operation, ILocalSymbol local)
    {
        var created = false;
        foreach (var descendant in OperationScopes.EnclosingFunction(operation).Descendants())
        {
            var value = LocalValues.GivenBy(descendant, local);
            if (value is null)
            {
                continue;
            }

            if (OperationUnwrapping.WithoutConversions(value) is not IObjectCreationOperation { Constructor: { } constructor } || HasCapacityParameter(constructor))
            {
                return false;
            }

            created = true;
        }

        return created;
    }

    private static bool HasCapacityParameter(IMethodSymbol constructor)
    {
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.Type.SpecialType == SpecialType.System_Int32)
            {
                return true;
            }
        }

        return false;
    }

    // Read from syntax, by name: the field's initializer, and `_queue = new ...` / `this._queue = new ...` in its type.
    /// <summary>A field, or an auto-property (its initializer, and the assignments of its name in the type).</summary>
    private static bool FieldIsUnbounded(ISymbol field)
    {
        var created = false;
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            var initial = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value,
                _ => null,
            };
            if (initial is not null)
            {
                if (!IsUnboundedCreation(initial))
                {
                    return false;
                }

                created = true;
            }
        }

        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment && WriteSyntax.NamesMember(assignment.Left, field.Name))
                {
                    if (!IsUnboundedCreation(assignment.Right))
                    {
                        return false;
                    }

                    created = true;
                }
            }
        }

        return created;
    }

    // A collection expression (`Queue = [];`) creates the collection with its parameterless constructor.
    private static bool IsUnboundedCreation(ExpressionSyntax expression) =>
        expression is CollectionExpressionSyntax
        || (expression is BaseObjectCreationExpressionSyntax creation && (creation.ArgumentList is null || creation.ArgumentList.Arguments.Count == 0));

    public static bool IsTaskLike(ITypeSymbol? type, KnownTypes types)
    {
        if (type is null)
        {
            return false;
        }

        if (types.Task is { } task && BlockingSites.IsTask(type, task))
        {
            return true;
        }

        return type is INamedTypeSymbol { Name: "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } };
    }
}
