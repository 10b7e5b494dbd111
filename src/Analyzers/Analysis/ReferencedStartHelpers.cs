using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A start helper whose body cannot be read (declared in a referenced assembly or another project of the solution):
/// a static method named <c>Run</c> or <c>StartNew</c> of a type outside the <c>System</c> namespaces, returning a
/// <c>Task</c>, with one delegate parameter, called with a lambda or method group whose task the caller drops
/// (<c>_ = SafeTask.Run(async () =&gt; …)</c>, or a bare call statement). The dropped task is what makes it work started
/// elsewhere: a helper that runs the delegate on the caller's thread (<c>AsyncContext.Run</c>) returns no task, and a
/// task the caller awaits is the caller's own code.
/// </summary>
public static class ReferencedStartHelpers
{
    /// <summary>The argument that carries the work, or null when the call is no such helper.</summary>
    public static IArgumentOperation? WorkArgument(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic
            || method.Name is not ("Run" or "StartNew")
            || !IsDropped(invocation)
            || !IsTask(method.ReturnType, types)
            || method.ContainingType is not { } type
            || SystemNamespaces.Contains(type)
            || IsInSource(method.OriginalDefinition, types.Compilation))
        {
            return null;
        }

        IArgumentOperation? work = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind != TypeKind.Delegate)
            {
                continue;
            }

            if (work is not null || OperationUnwrapping.WithoutConversions(argument.Value) is not IDelegateCreationOperation)
            {
                return null;
            }

            work = argument;
        }

        return work;
    }

    private static bool IsDropped(IInvocationOperation invocation) => invocation.Parent switch
    {
        IExpressionStatementOperation => true,
        ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } => true,
        IConversionOperation { Parent: ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } } => true,
        _ => false,
    };

    private static bool IsTask(ITypeSymbol type, KnownTypes types) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, types.Task)
        || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, types.TaskOfT);

    private static bool IsInSource(IMethodSymbol method, Compilation compilation)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                return true;
            }
        }

        return false;
    }
}
