using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A retry loop (fresh set 2, kafka-net's metadata request: <c>do { retry = false; … if (…) retry = true; … } while
/// (!_interrupted &amp;&amp; retry);</c>): its condition also requires a bool local that every turn first clears, so it
/// goes round again only when that turn asks to, and a flag beside it only cuts the retries short. Asked only on the way
/// to a report.
/// </summary>
internal static class RetryLoops
{
    /// <summary>
    /// Whether a part of the condition joined by <c>&amp;&amp;</c> is a bool local (or its negation) that the body's
    /// first statement sets to the value that makes that part false.
    /// </summary>
    public static bool IsGatedByTurnLocal(ILoopOperation loop, IOperation condition) =>
        loop.Body is IBlockOperation { Operations: { IsEmpty: false } statements }
        && statements[0] is IExpressionStatementOperation
        {
            Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var cleared }, Value.ConstantValue: { HasValue: true, Value: bool value } },
        }
        && RequiresLocal(condition, cleared, value);

    /// <summary>Whether the condition is false whenever <paramref name="local"/> holds <paramref name="value"/>.</summary>
    private static bool RequiresLocal(IOperation condition, ILocalSymbol local, bool value)
    {
        condition = OperationUnwrapping.WithoutConversions(condition);
        return condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both =>
                RequiresLocal(both.LeftOperand, local, value) || RequiresLocal(both.RightOperand, local, value),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } =>
                OperationUnwrapping.WithoutConversions(operand) is ILocalReferenceOperation negated
                && SymbolEqualityComparer.Default.Equals(negated.Local, local) && value,
            ILocalReferenceOperation read => SymbolEqualityComparer.Default.Equals(read.Local, local) && !value,
            _ => false,
        };
    }
}
