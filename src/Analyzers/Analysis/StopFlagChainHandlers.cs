using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007, on the way to a report: a write in a lambda handed to a call of a fluent chain whose result the loop's
/// function keeps in a local (or a field) and the loop then calls, as a Go-style select
/// (<c>var select = Select.CaseReceive(exit, _ => doLoop = false).NoDefault(defer: true); while (doLoop) select.Execute();</c>).
/// The built object holds the handler and nothing else was given it, so the handler runs inside a call on the built
/// object; when every call on it is in the loop, that is the loop's thread. Also a chain of the same type whose result is
/// dropped before the loop: nothing keeps it, so it can only have run its handler in place.
/// </summary>
public static class StopFlagChainHandlers
{
    public static bool IsRunByLoopCall(StopFlagAccess write, StopFlagAccess loopRead, KnownTypes types)
    {
        if (!write.Chain[0].IsLambda || write.Chain[0].IsThreadWork
            || loopRead.Loop is not { } loopSyntax || StopFlagExemptions.LoopOf(loopRead.Reference, loopSyntax) is not { } loop
            || EnclosingLambda(write.Reference) is not { } lambda
            || HandlerCall(lambda) is not { } call)
        {
            return false;
        }

        var end = ChainEnd(call, types);
        if (end is null)
        {
            return false;
        }

        if (StoredIn(end) is { } built)
        {
            return IsCalledOnlyInLoop(built, end, loop);
        }

        return end.Parent is IExpressionStatementOperation statement
            && end.Type is { } builtType
            && IsBeforeLoopWithBuiltOfType(statement, builtType, loop, types);
    }

    private static IAnonymousFunctionOperation? EnclosingLambda(IOperation reference)
    {
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>The call the lambda is an argument of, when it is a method of a type outside the System namespaces.</summary>
    private static IInvocationOperation? HandlerCall(IAnonymousFunctionOperation lambda)
    {
        var current = OperationUnwrapping.AsDelegateValue(lambda);

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.ContainingType: { } type } call }
            && !SystemNamespaces.Contains(type)
                ? call
                : null;
    }

    /// <summary>
    /// The last call of the fluent chain through <paramref name="call"/>; null when a call or creation of the chain
    /// (receivers below included) starts work on another thread, or a call of it is a System method.
    /// </summary>
    private static IInvocationOperation? ChainEnd(IInvocationOperation call, KnownTypes types)
    {
        for (var receiver = call.Instance is null ? null : OperationUnwrapping.WithoutConversions(call.Instance);
             receiver is IInvocationOperation or IObjectCreationOperation;
             receiver = receiver is IInvocationOperation { Instance: { } below } ? OperationUnwrapping.WithoutConversions(below) : null)
        {
            if (ThreadStartSites.Classify(receiver, types) != ThreadStartKind.None)
            {
                return null;
            }
        }

        IOperation current = call;
        var end = call;
        while (true)
        {
            if (ThreadStartSites.Classify(end, types) != ThreadStartKind.None
                || end.TargetMethod.ContainingType is not { } type
                || SystemNamespaces.Contains(type))
            {
                return null;
            }

            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IInvocationOperation { Instance: { } instance } next && OperationUnwrapping.WithoutConversions(instance) == current)
            {
                current = end = next;
                continue;
            }

            return end;
        }
    }

    /// <summary>The local or field of this object that the chain's result is stored in, by a declaration or an assignment.</summary>
    private static ISymbol? StoredIn(IInvocationOperation end)
    {
        IOperation current = end;
        var parent = end.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: { } target } assignment when assignment.Value == current =>
                OperationUnwrapping.WithoutConversions(target) switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
                    _ => null,
                },
            _ => null,
        };
    }

    /// <summary>
    /// Whether the loop calls a method (not a wait) on <paramref name="built"/>; for a local, also that every other use of
    /// it in its function is a call in the loop or a Dispose (so no other thread is handed the object).
    /// </summary>
    private static bool IsCalledOnlyInLoop(ISymbol built, IOperation chainEnd, IOperation loop)
    {
        var calledInLoop = false;
        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation { Instance: { } instance, TargetMethod: { IsStatic: false, ContainingType.SpecialType: SpecialType.None } called }
                && !StopFlagExemptions.IsWaitName(called.Name)
                && IsReferenceTo(OperationUnwrapping.WithoutConversions(instance), built))
            {
                calledInLoop = true;
                break;
            }
        }

        if (!calledInLoop || built is not ILocalSymbol)
        {
            return calledInLoop;
        }

        foreach (var operation in FunctionRoot(chainEnd).Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, built))
            {
                continue;
            }

            IOperation user = reference;
            while (user.Parent is IConversionOperation or IParenthesizedOperation)
            {
                user = user.Parent;
            }

            if (user.Parent is not IInvocationOperation { TargetMethod: { } method } invocation
                || invocation.Instance != user
                || (method.Name != "Dispose" && !IsInside(invocation, loop)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="statement"/> comes before the loop in a block that holds the loop, and the loop calls a
    /// local or field stored from a chain of the same type that this rule exempts (so the type runs its handlers in calls on it).
    /// </summary>
    private static bool IsBeforeLoopWithBuiltOfType(IExpressionStatementOperation statement, ITypeSymbol builtType, IOperation loop, KnownTypes types)
    {
        if (statement.Parent is not IBlockOperation block || !IsInside(loop, block) || statement.Syntax.SpanStart >= loop.Syntax.SpanStart)
        {
            return false;
        }

        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation { Instance: { } instance, TargetMethod.IsStatic: false }
                && OperationUnwrapping.WithoutConversions(instance) is ILocalReferenceOperation or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }
                && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.WithoutConversions(instance).Type, builtType)
                && OperationUnwrapping.ReferencedSymbol(instance) is { } built
                && StoredChainOf(built, block, types) is { } stored
                && IsCalledOnlyInLoop(built, stored, loop))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The end of a chain in <paramref name="block"/> that takes a lambda and is stored in <paramref name="built"/>.</summary>
    private static IInvocationOperation? StoredChainOf(ISymbol built, IOperation block, KnownTypes types)
    {
        foreach (var operation in block.Descendants())
        {
            if (operation is IAnonymousFunctionOperation lambda
                && HandlerCall(lambda) is { } call
                && ChainEnd(call, types) is { } end
                && SymbolEqualityComparer.Default.Equals(StoredIn(end), built))
            {
                return end;
            }
        }

        return null;
    }

    private static IOperation FunctionRoot(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    private static bool IsInside(IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReferenceTo(IOperation receiver, ISymbol built) => receiver switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, built),
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => SymbolEqualityComparer.Default.Equals(field.Field, built),
        _ => false,
    };
}
