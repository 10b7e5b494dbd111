using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A loop whose condition the owner ends before it cancels the loop's token (fresh sets 2 and 8: kafka-net's
/// <c>_queue.CompleteAdding(); … _stopToken.Cancel();</c> under <c>while (!_queue.IsCompleted || _queue.Count &gt; 0)</c>,
/// swan's <c>_cancellationPending = true; … _cancelListening?.Cancel();</c> under <c>while (_cancellationPending == false)</c>):
/// the cancellation a catch in the loop swallows comes after the condition's state was changed, so the loop's next
/// check of its condition ends it. Asked only right before a report.
/// </summary>
internal static class StopEndsLoopBeforeCancel
{
    /// <summary>
    /// Whether <paramref name="token"/> is <c>_cts.Token</c> of a private source field, cancelled somewhere in the type,
    /// and every cancel is preceded, on every path in its method, by a statement that ends the loop's condition: it
    /// assigns a bool member of this instance the value that makes the condition false (the member read under
    /// <c>!</c>, <c>&amp;&amp;</c> and comparisons with a constant only), or completes a member whose
    /// <c>IsCompleted</c> / <c>IsAddingCompleted</c> the condition reads (<c>CompleteAdding()</c>, <c>Complete()</c>).
    /// </summary>
    public static bool Holds(IOperation? condition, IOperation token, CancellationToken cancellationToken)
    {
        if (condition is null
            || SourceFieldCancels.SourceFieldOf(token) is not { } source
            || token.SemanticModel is not { } model)
        {
            return false;
        }

        var ends = new ConditionEnds();
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is not IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation, Member: IFieldSymbol or IPropertySymbol } member)
            {
                continue;
            }

            if (member.Parent is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsAddingCompleted" })
            {
                ends.Completed.Add(member.Member.OriginalDefinition);
            }
            else if (member.Type?.SpecialType == SpecialType.System_Boolean && EndingValue(member, condition) is { } value)
            {
                ends.Values[member.Member.OriginalDefinition] = value;
            }
        }

        if ((ends.Completed.Count == 0 && ends.Values.Count == 0)
            || SourceFieldCancels.Of(source, model.Compilation, cancellationToken) is not { Count: > 0 } cancels)
        {
            return false;
        }

        foreach (var cancel in cancels)
        {
            if (!EarlierStatements.Any(cancel, ends, EndsCondition))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value of the bool member that makes the whole condition false, when it is read only under <c>!</c>, <c>&amp;&amp;</c> and <c>== constant</c>.</summary>
    private static bool? EndingValue(IOperation reference, IOperation condition)
    {
        var ending = false;
        var current = reference;
        while (current != condition)
        {
            if (current.Parent is not { } parent)
            {
                return null;
            }

            if (!BoolConditionSteps.TryStep(parent, current, throughOr: false, ref ending))
            {
                return null;
            }

            current = parent;
        }

        return ending;
    }

    /// <summary><c>_member = value;</c> or <c>_member.Complete…()</c> (also through <c>?.</c>) as a statement.</summary>
    private static bool EndsCondition(IOperation statement, ConditionEnds ends)
    {
        if (statement is not IExpressionStatementOperation { Operation: var expression })
        {
            return false;
        }

        return expression switch
        {
            IConditionalAccessOperation { Operation: var receiver, WhenNotNull: IInvocationOperation { TargetMethod.Name: var name } } =>
                IsCompletion(name) && ends.Completed.Contains(Member(receiver)!),
            IInvocationOperation { TargetMethod.Name: var name, Instance: { } instance } =>
                IsCompletion(name) && ends.Completed.Contains(Member(instance)!),
            ISimpleAssignmentOperation { Target: var target, Value.ConstantValue: { HasValue: true, Value: bool written } } =>
                Member(target) is { } member && ends.Values.TryGetValue(member, out var ending) && ending == written,
            _ => false,
        };
    }

    private static bool IsCompletion(string name) => name.StartsWith("Complete", System.StringComparison.Ordinal);

    private static ISymbol? Member(IOperation operation) =>
        OperationUnwrapping.WithoutConversions(operation) is IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation } member
            ? member.Member.OriginalDefinition
            : null;

    private sealed class ConditionEnds
    {
        public HashSet<ISymbol> Completed { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<ISymbol, bool> Values { get; } = new(SymbolEqualityComparer.Default);
    }
}
