using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait for a <c>TaskCompletionSource</c>'s task after an earlier statement of the same function, on every path to
/// it, completed that source (<c>tcs.TrySetResult(x); tcs.Task.Wait();</c>, "make sure the task is complete before
/// leaving"): the task has ended, whoever completed it first, so the wait returns at once (sentry-dotnet's profiler
/// test, fresh set 9). Asked only right before a report.
/// </summary>
public static class CompletedTaskSources
{
    public static bool IsWaitOnCompletedSource(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is not ("Wait" or "WaitAsync")
            || invocation.Instance is not { } instance
            || OperationUnwrapping.WithoutConversions(instance) is not IPropertyReferenceOperation { Property.Name: "Task", Instance: { } holder }
            || !IsTaskCompletionSource(holder.Type)
            || ReferencedSymbol(holder) is not { } source)
        {
            return false;
        }

        return EarlierStatements.Any(invocation, source, Completes);
    }

    private static bool Completes(IOperation statement, ISymbol source)
    {
        if (statement is not IExpressionStatementOperation { Operation: var operation })
        {
            return false;
        }

        // `_ = tcs.TrySetResult(x);`
        if (operation is ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var discarded })
        {
            operation = discarded;
        }

        return OperationUnwrapping.WithoutConversions(operation) is IInvocationOperation
            {
                TargetMethod.Name: "SetResult" or "TrySetResult" or "SetException" or "TrySetException" or "SetCanceled" or "TrySetCanceled",
                Instance: { } completed,
            }
            && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(completed), source);
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => OperationUnwrapping.WithoutConversions(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    private static bool IsTaskCompletionSource(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "TaskCompletionSource" } named
        && named.ContainingNamespace is { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };
}
