using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The largest value a local or parameter can have at a wait that an enclosing <c>if</c> has compared with a constant:
/// <c>if (remaining &gt;= Step) { … } else { delay.Wait(remaining); }</c> waits less than <c>Step</c> (swan's worker
/// delay, fresh set 8). Only for a variable that nothing assigns after its declaration, so the comparison still holds at
/// the wait; only the branch that the comparison bounds from above. Asked only for a wait about to be reported.
/// </summary>
internal static class GuardBounds
{
    public static double? Upper(IOperation reference)
    {
        var symbol = reference switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        if (symbol is null)
        {
            return null;
        }

        double? bound = null;
        IOperation child = reference;
        for (var current = reference.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                break;
            }

            if (current is IConditionalOperation { Condition: IBinaryOperation comparison } branch
                && (child == branch.WhenTrue || child == branch.WhenFalse)
                && Cap(comparison, symbol, inTrueBranch: child == branch.WhenTrue) is { } cap)
            {
                bound = bound is { } known ? System.Math.Min(known, cap) : cap;
            }
        }

        return bound is not null && !IsAssignedAfterDeclaration(symbol, reference) ? bound : null;
    }

    /// <summary>
    /// In the true branch: <c>x &lt; C</c>, <c>x &lt;= C</c> (or <c>C &gt; x</c>, <c>C &gt;= x</c>); in the false
    /// branch: <c>x &gt;= C</c>, <c>x &gt; C</c> (or <c>C &lt;= x</c>, <c>C &lt; x</c>). <c>C</c> is a constant.
    /// </summary>
    private static double? Cap(IBinaryOperation comparison, ISymbol symbol, bool inTrueBranch)
    {
        var left = OperationUnwrapping.WithoutConversions(comparison.LeftOperand);
        var right = OperationUnwrapping.WithoutConversions(comparison.RightOperand);
        BinaryOperatorKind kind;
        IOperation constant;
        if (IsRead(left, symbol))
        {
            kind = comparison.OperatorKind;
            constant = right;
        }
        else if (IsRead(right, symbol))
        {
            // `C > x` is `x < C`.
            kind = comparison.OperatorKind switch
            {
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                _ => BinaryOperatorKind.None,
            };
            constant = left;
        }
        else
        {
            return null;
        }

        if (constant.ConstantValue is not { HasValue: true, Value: { } value } || !TryNumber(value, out var number))
        {
            return null;
        }

        var bounded = inTrueBranch
            ? kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
            : kind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;
        return bounded ? number : null;
    }

    private static bool IsRead(IOperation operation, ISymbol symbol) => operation switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
        _ => false,
    };

    private static bool TryNumber(object value, out double number)
    {
        switch (value)
        {
            case int i:
                number = i;
                return true;
            case long l:
                number = l;
                return true;
            case double d:
                number = d;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    private static bool IsAssignedAfterDeclaration(ISymbol symbol, IOperation reference)
    {
        foreach (var operation in OperationScopes.EnclosingFunction(reference).Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation change => change.Target,
                _ => null,
            };
            if (target is not null && IsRead(OperationUnwrapping.WithoutConversions(target), symbol))
            {
                return true;
            }
        }

        return false;
    }
}
