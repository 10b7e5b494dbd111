using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A consumer ended by a sentinel (a poison pill): <c>while (true) { _ready.WaitOne(); while (_queue.Count &gt; 0) { var
/// item = _queue.Dequeue(); if (item == null) { Close(); return; } Run(item); } }</c>, where a method of the type adds
/// to that queue and sets the event (<c>Enqueue(object item) { _queue.Enqueue(item); _ready.Set(); }</c>). The loop's
/// way out is the null item, and the one who ends the work sends it through that method, which wakes the wait: the
/// queue's own protocol ends it. Found on RunUO's database command queue (fresh set 9). A loop that does not leave on
/// the item, or a queue whose adding method does not set the waited event, stays reported. Asked only right before a
/// report; read from syntax by name, and only the matching set is bound.
/// </summary>
public static class SentinelConsumers
{
    public static bool IsWaitOfSentinelConsumer(IInvocationOperation wait, CancellationToken cancellationToken)
    {
        if (StopPath.WaitedField(wait) is not { } waited
            || StopPath.SignalsFor(wait.TargetMethod.Name).IndexOf("Set") < 0
            || waited.ContainingType is not { } type
            || wait.SemanticModel is not { } model
            || wait.Syntax.FirstAncestorOrSelf<StatementSyntax>(s => s is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax) is not { } loop
            || SentinelQueue(loop) is not { } queue)
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                if (member != waitingMember && member is MethodDeclarationSyntax method && AddsAndSets(method, queue, waited, model, cancellationToken))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The name of the queue field whose taken item the loop leaves on when it is null: <c>var item = _queue.Dequeue();
    /// if (item == null) { …; return; }</c> (also <c>Take</c>, <c>Pop</c>, and a <c>break</c> of this loop).
    /// </summary>
    private static string? SentinelQueue(StatementSyntax loop)
    {
        foreach (var node in loop.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is not IfStatementSyntax { Condition: BinaryExpressionSyntax or IsPatternExpressionSyntax } check
                || NullChecked(check.Condition) is not { } item
                || !Leaves(check.Statement, loop))
            {
                continue;
            }

            foreach (var candidate in loop.DescendantNodes())
            {
                var (target, value) = candidate switch
                {
                    VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator => (declarator.Identifier.ValueText, initial),
                    AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } assignment => (left.Identifier.ValueText, assignment.Right),
                    _ => (null, null),
                };
                while (value is CastExpressionSyntax cast)
                {
                    value = cast.Expression;
                }

                if (target == item
                    && value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments.Count: 0 }
                    && access.Name.Identifier.ValueText is "Dequeue" or "Take" or "Pop"
                    && RightmostName.Of(access.Expression) is { } queue)
                {
                    return queue;
                }
            }
        }

        return null;
    }

    /// <summary><c>item == null</c>, <c>null == item</c>, <c>item is null</c>: the name checked.</summary>
    private static string? NullChecked(ExpressionSyntax condition) => condition switch
    {
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) && binary.Right.IsKind(SyntaxKind.NullLiteralExpression) => (binary.Left as IdentifierNameSyntax)?.Identifier.ValueText,
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) && binary.Left.IsKind(SyntaxKind.NullLiteralExpression) => (binary.Right as IdentifierNameSyntax)?.Identifier.ValueText,
        IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal } } pattern when literal.IsKind(SyntaxKind.NullLiteralExpression) => (pattern.Expression as IdentifierNameSyntax)?.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Whether the branch ends the loop: a <c>return</c>, or a <c>break</c> of that loop.</summary>
    private static bool Leaves(StatementSyntax branch, StatementSyntax loop)
    {
        foreach (var node in branch.DescendantNodesAndSelf(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax)
            {
                return true;
            }

            if (node is BreakStatementSyntax && node.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax) == loop)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the method adds to the queue (<c>Enqueue</c>, <c>Add</c>, <c>Push</c>) and sets the waited field.</summary>
    private static bool AddsAndSets(MethodDeclarationSyntax method, string queue, ISymbol waited, SemanticModel model, CancellationToken cancellationToken)
    {
        var adds = false;
        InvocationExpressionSyntax? set = null;
        foreach (var node in method.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation)
            {
                continue;
            }

            var name = access.Name.Identifier.ValueText;
            if (name is "Enqueue" or "Add" or "Push" && RightmostName.Of(access.Expression) == queue)
            {
                adds = true;
            }
            else if (name == "Set" && RightmostName.Of(access.Expression) == waited.Name)
            {
                set ??= invocation;
            }
        }

        if (!adds || set is null)
        {
            return false;
        }

        var treeModel = set.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(set.SyntaxTree);
        return treeModel.GetOperation(set, cancellationToken) is IInvocationOperation signal
            && SymbolEqualityComparer.Default.Equals(StopPath.SignalledField(signal)?.OriginalDefinition, waited.OriginalDefinition);
    }
}
