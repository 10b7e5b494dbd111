using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A polling loop whose thread the type interrupts (fresh set 6, DS4Windows' <c>DS4Device</c>:
/// <c>exitOutputThread = true; ds4Output.Interrupt();</c> while the loop waits in <c>Monitor.Wait</c> every turn). The
/// interrupt, not the flag, ends that loop: the wait throws <c>ThreadInterruptedException</c> and the exception leaves
/// the loop. GS0002 reports the interrupt; one report per root cause, as for a wait the interrupt was meant to end.
/// Asked only on the way to a report.
/// </summary>
internal static class StopFlagInterrupts
{
    /// <summary>
    /// Whether the type calls <c>Interrupt()</c> on a thread held in a field that it assigns a <c>new Thread(...)</c>
    /// running the loop's function, and the loop waits on every turn (a wait at the top level of its body, or of a
    /// <c>lock</c>, <c>using</c> or <c>try</c> body there) with no <c>catch</c> in it that could swallow the interrupt
    /// (a catch that ends by leaving the loop lets the interrupt end it).
    /// </summary>
    public static bool EndsByInterrupt(StopFlagAccess read, StopFlagScope scope, KnownTypes types)
    {
        if (read.Loop is not { } syntax
            || StopFlagExemptions.LoopOf(read.Reference, syntax) is not ILoopOperation loop
            || !WaitsEveryTurn(loop.Body)
            || SwallowsInside(loop))
        {
            return false;
        }

        foreach (var root in scope.BlocksNaming("Interrupt"))
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod: { Name: "Interrupt", IsStatic: false } interrupt, Instance: { } instance }
                    && SymbolEqualityComparer.Default.Equals(interrupt.ContainingType, types.Thread)
                    && OperationUnwrapping.WithoutConversions(instance) is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } thread
                    && RunsLoop(thread.Field, read, syntax, scope, types))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The type assigns the field a thread whose work is the loop's function (a method group or a lambda around the loop).</summary>
    private static bool RunsLoop(IFieldSymbol field, StopFlagAccess read, SyntaxNode loop, StopFlagScope scope, KnownTypes types)
    {
        foreach (var root in scope.BlocksNaming(field.Name))
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is not ISimpleAssignmentOperation { Target: IFieldReferenceOperation target, Value: { } value }
                    || !SymbolEqualityComparer.Default.Equals(target.Field.OriginalDefinition, field.OriginalDefinition)
                    || OperationUnwrapping.WithoutConversions(value) is not IObjectCreationOperation creation
                    || ThreadStartSites.Classify(creation, types) != ThreadStartKind.NewThread)
                {
                    continue;
                }

                foreach (var work in ThreadStartSites.GetAll(creation, ThreadStartKind.NewThread))
                {
                    if ((work.Lambda is { } lambda && lambda.Syntax.SyntaxTree == loop.SyntaxTree && lambda.Syntax.Span.Contains(loop.Span))
                        || (work.Method is { } method
                            && SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, read.Function.OriginalDefinition)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A managed wait (which an interrupt ends) that every turn reaches: not under a condition or in a nested loop.</summary>
    private static bool WaitsEveryTurn(IOperation statement)
    {
        switch (statement)
        {
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (WaitsEveryTurn(inner))
                    {
                        return true;
                    }
                }

                return false;
            case ILockOperation { Body: { } body }:
                return WaitsEveryTurn(body);
            case IUsingOperation { Body: { } body }:
                return WaitsEveryTurn(body);
            case ITryOperation { Body: { } body }:
                return WaitsEveryTurn(body);
            case IExpressionStatementOperation { Operation: var expression }:
                return OperationUnwrapping.WithoutConversions(expression) is IInvocationOperation { TargetMethod.Name: "Wait" or "WaitOne" or "WaitAny" or "WaitAll" or "Sleep" or "Join" or "Take" }
                    || (expression is ISimpleAssignmentOperation { Value: { } value }
                        && OperationUnwrapping.WithoutConversions(value) is IInvocationOperation { TargetMethod.Name: "Wait" or "WaitOne" or "WaitAny" or "WaitAll" or "Join" or "Take" });
            default:
                return false;
        }
    }

    /// <summary>
    /// A <c>catch</c> in the loop that could swallow the interrupt: one whose handler does not end by leaving the loop
    /// (LogExpert's <c>try { Thread.Sleep(200); } catch (Exception) { return; }</c> lets the interrupt end it).
    /// </summary>
    private static bool SwallowsInside(ILoopOperation loop)
    {
        foreach (var operation in loop.Body.DescendantsAndSelf())
        {
            if (operation is ICatchClauseOperation { Handler.Operations: var handler }
                && (handler.IsEmpty || !StopFlagLoopExits.Leaves(handler[handler.Length - 1], loop)))
            {
                return true;
            }
        }

        return false;
    }
}
