using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A loop that leaves when a timed wait in it times out (fresh set 8, LogExpert's debounce workers:
/// <c>bool signaled = _calcEvent.WaitOne(500); if (!signaled) { …; break; }</c>): it ends by itself as soon as nobody
/// signals for one timeout, so a flag it also polls only cuts it short. Asked only on the way to a report.
/// </summary>
internal static class TimeoutExits
{
    /// <summary>
    /// Whether a statement of the loop's body is <c>if (!wait) … leave</c> (or <c>wait == false</c>), where wait is a
    /// bool <c>WaitOne</c> / <c>Wait</c> / <c>Join</c> with a timeout that is not infinite, called there or stored in a
    /// local declared in the body, and the branch ends by leaving the loop; or the loop is <c>while (wait)</c>, the wait
    /// alone or an operand of <c>&amp;&amp;</c> in its condition.
    /// </summary>
    public static bool LeavesOnTimeout(ILoopOperation loop)
    {
        // `while (_dataReceive.WaitOne(timeout))` (fresh set 11), alone or in a `&&`: a timeout makes the condition false.
        if (loop is IWhileLoopOperation { Condition: { } condition } && IsTimedWaitCondition(condition))
        {
            return true;
        }

        if (loop.Body is not IBlockOperation body)
        {
            return false;
        }

        foreach (var statement in body.Operations)
        {
            if (statement is IConditionalOperation { WhenTrue: var whenTrue } conditional
                && EndsByLeaving(whenTrue, loop)
                && TimedOutTest(conditional.Condition, body))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTimedWaitCondition(IOperation condition) =>
        OperationUnwrapping.WithoutConversions(condition) switch
        {
            IInvocationOperation call => IsTimedWait(call),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction => IsTimedWaitCondition(conjunction.LeftOperand) || IsTimedWaitCondition(conjunction.RightOperand),
            _ => false,
        };

    private static bool EndsByLeaving(IOperation branch, ILoopOperation loop) =>
        branch is IBlockOperation block
            ? !block.Operations.IsEmpty && StopFlagLoopExits.Leaves(block.Operations[block.Operations.Length - 1], loop)
            : StopFlagLoopExits.Leaves(branch, loop);

    /// <summary><c>!wait</c> or <c>wait == false</c>.</summary>
    private static bool TimedOutTest(IOperation condition, IBlockOperation body)
    {
        condition = OperationUnwrapping.WithoutConversions(condition);
        var tested = condition switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => not.Operand,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals, RightOperand.ConstantValue: { HasValue: true, Value: false } } equals => equals.LeftOperand,
            _ => null,
        };
        if (tested is null)
        {
            return false;
        }

        tested = OperationUnwrapping.WithoutConversions(tested);
        if (tested is ILocalReferenceOperation { Local: var local })
        {
            tested = InitialValueInBody(local, body);
        }

        return tested is IInvocationOperation call && IsTimedWait(call);
    }

    private static IOperation? InitialValueInBody(ILocalSymbol local, IBlockOperation body)
    {
        foreach (var statement in body.Operations)
        {
            if (statement is not IVariableDeclarationGroupOperation group)
            {
                continue;
            }

            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    {
                        return declarator.Initializer?.Value is { } value ? OperationUnwrapping.WithoutConversions(value) : null;
                    }
                }
            }
        }

        return null;
    }

    private static bool IsTimedWait(IInvocationOperation call)
    {
        if (call.TargetMethod is not { Name: "WaitOne" or "Wait" or "Join", ReturnType.SpecialType: SpecialType.System_Boolean }
            || call.Arguments.IsEmpty)
        {
            return false;
        }

        IArgumentOperation? timeout = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                timeout = argument;
            }
        }

        if (timeout is null
            || timeout.ArgumentKind == ArgumentKind.DefaultValue
            || timeout.Value.Type is not { } type
            || (type.SpecialType != SpecialType.System_Int32 && type.Name != "TimeSpan"))
        {
            return false;
        }

        var value = OperationUnwrapping.WithoutConversions(timeout.Value);
        return value.ConstantValue is not { HasValue: true, Value: -1 }
            && value is not IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" or "Infinite" };
    }
}
