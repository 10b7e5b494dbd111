using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A one-shot <c>task.WaitAsync(timeout)</c> inside a <c>try</c> that catches its <c>TimeoutException</c> (or, without a
/// filter, any exception), when every token in scope is the object's own (a field or property): the function bounded
/// this wait itself and handles its expiry, and the object's lifetime token would only shorten a bound chosen on purpose
/// (nats.net's wait for the server's INFO within the connect timeout, and for the reader loop within the dispose
/// timeout; fresh set 2). A caller's token (a parameter or local), a wait in a loop, an infinite timeout, or an expiry
/// nobody catches is reported. Asked only right before a report.
/// </summary>
public static class HandledTimeoutWaits
{
    public static bool Applies(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens)
    {
        if (invocation.TargetMethod is not { Name: "WaitAsync", IsStatic: false } method
            || method.ContainingType is not { Name: "Task" } task
            || task.ContainingNamespace is not { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
            || TimeoutArgument(invocation) is not { } timeout
            || BlockingApis.ConstantMilliseconds(timeout) is < 0
            || IsInfiniteTimeSpan(timeout)
            || BlockingSites.EnclosingLoop(invocation) is not null)
        {
            return false;
        }

        foreach (var token in tokens)
        {
            if (token.Origin is not (TokenOrigin.Field or TokenOrigin.Property))
            {
                return false;
            }
        }

        return IsInTryCatchingTimeout(invocation);
    }

    private static IOperation? TimeoutArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is { SpecialType: SpecialType.System_Int32 } or { Name: "TimeSpan" })
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static bool IsInfiniteTimeSpan(IOperation timeout) =>
        OperationUnwrapping.WithoutConversions(timeout) is IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" };

    private static bool IsInTryCatchingTimeout(IOperation operation)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                return false;
            }

            if (current is ITryOperation attempt && attempt.Body == child)
            {
                foreach (var clause in attempt.Catches)
                {
                    if (CatchesTimeout(clause))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary><c>catch (TimeoutException)</c>, or an unfiltered catch of one of its base types (<c>Exception</c>, a bare <c>catch</c>).</summary>
    private static bool CatchesTimeout(ICatchClauseOperation clause)
    {
        if (clause.ExceptionType is not { } caught)
        {
            return false;
        }

        if (caught is { Name: "TimeoutException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
        {
            return true;
        }

        return clause.Filter is null
            && (caught.SpecialType == SpecialType.System_Object
                || caught is { Name: "Exception" or "SystemException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });
    }
}
