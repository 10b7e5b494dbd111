using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether a <c>new Thread(...)</c> is made a background thread (<c>IsBackground = true</c>): such a thread ends with
/// the process, so an endless loop on it does not keep the program from exiting.
/// </summary>
public static class BackgroundThreads
{
    /// <summary>
    /// True when the creation's initializer sets <c>IsBackground = true</c>, or when the local or field it is stored in
    /// gets <c>IsBackground = true</c> in the member that creates it (a local) or in any member of its type (a field).
    /// </summary>
    public static bool IsMarkedBackground(IObjectCreationOperation creation, CancellationToken cancellationToken)
    {
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" } } assignment
                    && IsTrue(assignment.Value))
                {
                    return true;
                }
            }
        }

        var holder = HolderOf(creation);
        if (holder is null)
        {
            return false;
        }

        if (holder is ILocalSymbol)
        {
            var root = OperationScopes.Root(creation);

            return SetsIn(root, holder);
        }

        if (holder.ContainingType is not { } type || creation.SemanticModel is not { } model)
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellationToken);
            var treeModel = node.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(node.SyntaxTree);
            foreach (var descendant in node.DescendantNodes())
            {
                // Only assignments whose text names the property are bound: a cheap filter before the semantic check.
                if (descendant is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignmentSyntax
                    && assignmentSyntax.Left.ToString().EndsWith("IsBackground", StringComparison.Ordinal)
                    && treeModel.GetOperation(assignmentSyntax, cancellationToken) is ISimpleAssignmentOperation assignment
                    && IsBackgroundSetOn(assignment, holder))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="loop"/> is in an async function and awaits (outside nested functions): it leaves the
    /// thread that started it at its first <c>await</c> and goes on on pool threads, as <c>Task.Run</c> work does, so
    /// whether that thread is a background one says nothing about the loop (<c>new Thread(async () =&gt; { do { await
    /// Task.Delay(t); … } while (true); }) { IsBackground = true }</c>).
    /// </summary>
    public static bool LeavesThreadAtAwait(ILoopOperation loop, ISymbol containingSymbol)
    {
        var function = OperationScopes.EnclosingFunction(loop);
        var isAsync = function switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol.IsAsync,
            ILocalFunctionOperation local => local.Symbol.IsAsync,
            _ => containingSymbol is IMethodSymbol { IsAsync: true },
        };
        if (!isAsync)
        {
            return false;
        }

        foreach (var operation in loop.Descendants())
        {
            if (operation is IAwaitOperation && OperationScopes.EnclosingFunction(operation) == function)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SetsIn(IOperation root, ISymbol holder)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ISimpleAssignmentOperation assignment && IsBackgroundSetOn(assignment, holder))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBackgroundSetOn(ISimpleAssignmentOperation assignment, ISymbol holder) =>
        assignment.Target is IPropertyReferenceOperation { Property.Name: "IsBackground", Instance: { } instance }
        && IsTrue(assignment.Value)
        && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(instance), holder);

    /// <summary>The local or field the created thread is stored in, if any.</summary>
    private static ISymbol? HolderOf(IObjectCreationOperation creation)
    {
        var parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            IFieldInitializerOperation { InitializedFields.Length: 1 } field => field.InitializedFields[0],
            ISimpleAssignmentOperation { Target: var target } => OperationUnwrapping.ReferencedSymbol(target),
            _ => null,
        };
    }

    private static bool IsTrue(IOperation value) => value.ConstantValue is { HasValue: true, Value: true };
}
