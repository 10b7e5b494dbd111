using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// <c>while (!_stop)</c> where the private <c>bool</c> field <c>_stop</c> is never written anywhere in its type (only
/// declared, with no initializer or the value that keeps the loop going): nobody can ever set the stop value, so the
/// loop is as endless as <c>while (true)</c>. Neither an unsynchronized flag (GS0007 needs a write) nor an obvious
/// <c>while (true)</c>, such a loop was reported by no rule.
/// </summary>
public static class NeverSetFlags
{
    /// <summary>
    /// The cheap half, for every loop: the loop polls a private bool field that starts at the value that keeps it going.
    /// Whether anything writes the field is <see cref="PollsFlagNeverSet"/>'s question, asked only before a report.
    /// </summary>
    public static bool MayPollFlagNeverSet(ILoopOperation loop, CancellationToken cancellationToken) =>
        PolledFlag(loop, cancellationToken) is not null;

    /// <summary>The expensive half, before a report: nothing in the flag's type (the <see cref="StopModel"/>'s written names) writes it.</summary>
    public static bool PollsFlagNeverSet(ILoopOperation loop, StopModel model, CancellationToken cancellationToken) =>
        PolledFlag(loop, cancellationToken) is { } field
        && loop.SemanticModel is { } semanticModel
        && !model.For(field.ContainingType, semanticModel, cancellationToken).IsWritten(field.Name);

    private static IFieldSymbol? PolledFlag(ILoopOperation loop, CancellationToken cancellationToken)
    {
        if (loop is not IWhileLoopOperation { Condition: { } condition, ConditionIsTop: true, ConditionIsUntil: false })
        {
            return null;
        }

        var runsWhile = true;
        condition = OperationUnwrapping.WithoutConversions(condition);
        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            runsWhile = false;
            condition = OperationUnwrapping.WithoutConversions(not.Operand);
        }

        return condition is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { DeclaredAccessibility: Accessibility.Private, Type.SpecialType: SpecialType.System_Boolean, IsConst: false } field }
            && field.DeclaringSyntaxReferences.Length == 1
            && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax declarator
            && InitialValue(declarator) == runsWhile
                ? field
                : null;
    }

    /// <summary>The constant the field starts with (false when it has no initializer), or null when it is not a constant.</summary>
    private static bool? InitialValue(VariableDeclaratorSyntax declarator) => declarator.Initializer?.Value switch
    {
        null => false,
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.TrueLiteralExpression) => true,
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.FalseLiteralExpression) => false,
        _ => null,
    };
}
