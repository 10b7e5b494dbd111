using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait on the task of the type's own loop, which the stop path ends: <c>Task.Run(() =&gt; Core().Wait())</c> where
/// <c>Core</c> is a method of the same type whose loop runs <c>while (IsRunning)</c> and <c>Stop()</c> writes
/// <c>IsRunning</c>. The wait ends when the loop does; what the loop itself waits on is judged where it waits. A loop
/// on state no stop-path member writes, or an endless one, keeps the wait reported. Found on smtp4dev's SMTP server
/// (fresh set 3). Asked only right before a report.
/// </summary>
public static class StoppedWorkWaits
{
    public static bool IsWaitOnOwnLoopTheStopPathEnds(IInvocationOperation wait, CancellationToken cancellationToken)
    {
        if (wait.TargetMethod.Name != "Wait"
            || wait.Instance is not { } instance
            || OperationUnwrapping.WithoutConversions(instance) is not IInvocationOperation { Instance: null or IInstanceReferenceOperation } started
            || started.TargetMethod.DeclaringSyntaxReferences.Length != 1
            || wait.SemanticModel is not { } model
            || started.TargetMethod.ContainingType is not { } type
            || started.TargetMethod.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax { Body: { } body } declaration
            || !model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return false;
        }

        // Syntax first: the names the method's top-level loops are conditioned on; bound only if the stop path writes one.
        foreach (var statement in body.Statements)
        {
            var condition = statement switch
            {
                WhileStatementSyntax whileStatement => whileStatement.Condition,
                DoStatementSyntax doStatement => doStatement.Condition,
                _ => null,
            };
            if (condition is null)
            {
                continue;
            }

            foreach (var name in condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (StopPathWrites(type, name.Identifier.ValueText, cancellationToken)
                    && IsMemberOf(name, type, model, cancellationToken))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsMemberOf(IdentifierNameSyntax name, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var treeModel = name.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(name.SyntaxTree);
        return treeModel.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol
            && symbol is IFieldSymbol or IPropertySymbol { Parameters.Length: 0 }
            && SymbolEqualityComparer.Default.Equals(symbol.ContainingType?.OriginalDefinition, type.OriginalDefinition);
    }

    /// <summary>Whether a member of the type named for stopping (<see cref="StopPath.IsStopName"/>) assigns a name (read from syntax).</summary>
    private static bool StopPathWrites(INamedTypeSymbol type, string name, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                if (member is not MethodDeclarationSyntax method || !StopPath.IsStopName(method.Identifier.ValueText))
                {
                    continue;
                }

                foreach (var node in method.DescendantNodes())
                {
                    if (node is AssignmentExpressionSyntax assignment && RightmostName.Of(assignment.Left) == name)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
