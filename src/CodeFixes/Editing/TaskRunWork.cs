using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>Lambdas given to <c>Task.Run</c>, whose endless loop may be made to end.</summary>
public static class TaskRunWork
{
    /// <summary>
    /// A lambda given to <c>Task.Run</c> that returns a plain <c>Task</c>: an endless one binds to
    /// <c>Run(Func&lt;Task&gt;)</c>, one that can end to <c>Run(Action)</c>; both return a <c>Task</c> that the caller
    /// waits for the same way, so the lambda's end may become reachable.
    /// </summary>
    public static bool Is(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken) =>
        function is AnonymousFunctionExpressionSyntax { Parent: ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax run } } }
        && model.GetSymbolInfo(run, cancellationToken).Symbol is IMethodSymbol { Name: "Run", ContainingType: { Name: "Task", ContainingNamespace.Name: "Tasks" } } runMethod
        && SymbolEqualityComparer.Default.Equals(runMethod.ReturnType, runMethod.ContainingType);
}
