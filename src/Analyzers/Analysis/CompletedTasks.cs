using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// <c>task.Result</c> that cannot block: read under a check that the task has completed
/// (<c>if (t.IsCompletedSuccessfully) list.Add(t.Result);</c>, also <c>IsCompleted</c>, <c>IsFaulted</c>, <c>Status</c>
/// in the condition, or the condition operand of <c>t.IsCompleted ? t.Result : x</c>), or read after the function
/// awaited <c>Task.WhenAll</c> / <c>WhenAny</c> over the collection the task comes from.
/// </summary>
public static class CompletedTasks
{
    public static bool IsKnownComplete(IPropertyReferenceOperation result)
    {
        if (result.Instance is null)
        {
            return false;
        }

        if (OperationUnwrapping.ReferencedSymbol(result.Instance) is not { } task)
        {
            // tasks[i].Result: known complete only through an awaited WhenAll of the collection.
            return AwaitedWhenAllBefore(result, task: null);
        }

        for (var current = result.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && ChecksCompletion(conditional.Condition, task))
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return IsContinuationAntecedent(result, task) || AwaitedWhenAllBefore(result, task);
    }

    /// <summary>
    /// <c>t.ContinueWith(task =&gt; task.Result)</c>: the continuation's parameter is the task it continues, which has
    /// completed when the continuation runs.
    /// </summary>
    private static bool IsContinuationAntecedent(IOperation result, ISymbol task)
    {
        if (task is not IParameterSymbol { Ordinal: 0, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } })
        {
            return false;
        }

        IOperation? current = result.Parent;
        while (current is not null && !(current is IAnonymousFunctionOperation lambda && SymbolEqualityComparer.Default.Equals(lambda.Symbol, task.ContainingSymbol)))
        {
            current = current.Parent;
        }

        while (current?.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current?.Parent is IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation { TargetMethod: { Name: "ContinueWith", ContainingType: { } type } } }
            && type.Name == "Task"
            && LoopClassifier.IsNamespace(type.ContainingNamespace?.ContainingNamespace, "System", "Threading")
            && type.ContainingNamespace is { Name: "Tasks" };
    }

    private static bool ChecksCompletion(IOperation condition, ISymbol task)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" or "Status", Instance: { } instance }
                && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(instance), task))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The task is the iteration variable of a foreach over a collection, or an element of a collection
    /// (<c>tasks[i].Result</c>), that the function awaited with <c>WhenAll</c> before (also through
    /// <c>ConfigureAwait</c>; fresh set 5: <c>await Task.WhenAll(tasks).ConfigureAwait(false);</c> then a counting loop).
    /// </summary>
    private static bool AwaitedWhenAllBefore(IPropertyReferenceOperation result, ISymbol? task)
    {
        IOperation? anchor = null;
        ISymbol? collection = null;
        for (var current = result.Parent; task is not null && current is not null && anchor is null; current = current.Parent)
        {
            if (current is IForEachLoopOperation forEach && forEach.Locals.Length == 1 && SymbolEqualityComparer.Default.Equals(forEach.Locals[0], task))
            {
                anchor = forEach;
                collection = OperationUnwrapping.ReferencedSymbol(forEach.Collection);
            }
        }

        if (anchor is null)
        {
            var element = OperationUnwrapping.WithoutConversions(result.Instance!);
            collection = element switch
            {
                IArrayElementReferenceOperation array => OperationUnwrapping.ReferencedSymbol(array.ArrayReference),
                IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } list } => OperationUnwrapping.ReferencedSymbol(list),
                _ => null,
            };
            anchor = result;
        }

        if (collection is null)
        {
            return false;
        }

        foreach (var operation in OperationScopes.Root(anchor).Descendants())
        {
            if (operation.Syntax.SpanStart >= anchor.Syntax.SpanStart)
            {
                continue;
            }

            if (operation is IAwaitOperation { Operation: var awaited }
                && WithoutConfigureAwait(OperationUnwrapping.WithoutConversions(awaited)) is IInvocationOperation { TargetMethod.Name: "WhenAll" } whenAll
                && whenAll.Arguments.Length > 0
                && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(whenAll.Arguments[0].Value), collection))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation WithoutConfigureAwait(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }
            ? OperationUnwrapping.WithoutConversions(instance)
            : operation;
}
