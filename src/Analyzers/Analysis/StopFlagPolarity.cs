using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Which value of a flag keeps its polling loop running (fresh set 3): a write of that constant
/// (<c>_running = true</c> in <c>Connect()</c> for <c>while (_running)</c>) can only keep the loop going, so a loop that
/// misses it still stops; it is not the stop request the report is about. Asked only on the way to a report.
/// </summary>
internal static class StopFlagPolarity
{
    /// <summary>Whether <paramref name="write"/> assigns the constant that keeps the loop of <paramref name="read"/> running.</summary>
    public static bool OnlyKeepsRunning(StopFlagAccess write, StopFlagAccess read) =>
        write.Reference.Parent is ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true, Value: bool written } } assignment
        && assignment.Target == write.Reference
        && KeepRunningValue(read) is { } keeping
        && written == keeping;

    /// <summary>
    /// The flag value under which the loop's condition, or its <c>if (...) break;</c>, can never end the loop: the
    /// conditions are monotone in the flag through <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and comparisons with a
    /// constant. Null for any other shape.
    /// </summary>
    private static bool? KeepRunningValue(StopFlagAccess read)
    {
        var turned = false;
        IOperation current = read.Reference;
        while (current.Parent is { } parent)
        {
            if (BoolConditionSteps.TryStep(parent, current, throughOr: true, ref turned))
            {
                current = parent;
                continue;
            }

            var raisesCondition = !turned;
            switch (parent)
            {
                case IWhileLoopOperation whileLoop when whileLoop.Condition == current:
                    return whileLoop.ConditionIsUntil ? !raisesCondition : raisesCondition;
                case IForLoopOperation forLoop when forLoop.Condition == current:
                    return raisesCondition;
                case IConditionalOperation conditional when conditional.Condition == current:
                    // if (condition) break;: the loop goes on while the condition is false.
                    return !raisesCondition;
                default:
                    return null;
            }
        }

        return null;
    }
}
