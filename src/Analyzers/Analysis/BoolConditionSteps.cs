using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// One step up from a bool operand towards the condition it is part of, for the questions "which value of this flag
/// makes the condition true" (<see cref="StopFlagPolarity"/>) and "which makes it false" (<see cref="StopEndsLoopBeforeCancel"/>):
/// conversions, parentheses and <c>&amp;&amp;</c> (and, where asked, <c>||</c>) pass the operand's sense on; <c>!</c>
/// and a comparison with a bool constant (<c>flag == false</c>, <c>flag != true</c>) turn it round.
/// </summary>
internal static class BoolConditionSteps
{
    /// <summary>
    /// Whether <paramref name="parent"/> passes <paramref name="operand"/> on monotonically; <paramref name="turned"/> is
    /// toggled where it negates it. False for any other parent (the walk ends there).
    /// </summary>
    public static bool TryStep(IOperation parent, IOperation operand, bool throughOr, ref bool turned)
    {
        switch (parent)
        {
            case IConversionOperation or IParenthesizedOperation:
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd }:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr }:
                return throughOr;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }:
                turned = !turned;
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var other = comparison.LeftOperand == operand ? comparison.RightOperand : comparison.LeftOperand;
                if (other.ConstantValue is not { HasValue: true, Value: bool constant })
                {
                    return false;
                }

                // flag == false and flag != true are true when the flag is false.
                if (constant == (comparison.OperatorKind == BinaryOperatorKind.NotEquals))
                {
                    turned = !turned;
                }

                return true;
            default:
                return false;
        }
    }
}
