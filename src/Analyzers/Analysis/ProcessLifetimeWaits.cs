using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The idle wait of work that lives as long as the process: a wait on a static field, on a field of a singleton, or on
/// a local of static work (<c>while (true) { handle.WaitOne(); Callback(); }</c> in a static class's <c>Task.Run</c>),
/// in a loop that nothing but the waited object could end (an endless loop with no exit, or one conditioned only on
/// the object, <c>do { Handle(queue.Take()); } while (!queue.IsAddingCompleted);</c>), on a pool or background thread,
/// and no stop-path member of the type names the waited object. Such a thread ends with the process and was never meant
/// to end before it: nothing but the process's exit could stop the loop, whatever it waits on. Found on Captura's
/// single-instance listener (fresh set 4), GMap.NET's static tile-loader pool and MapCruncher's diagnostics redraw
/// thread (fresh set 6). Work owned by an instance (each instance leaks its thread when it is dropped) or on a
/// foreground thread stays reported. Asked only right before a report.
/// </summary>
public static class ProcessLifetimeWaits
{
    public static bool IsIdleWaitOfProcessLifetimeWork(IInvocationOperation wait, ISymbol containingSymbol, StopModel stopModel, CancellationToken cancellationToken)
    {
        if (wait.SemanticModel is not { } model
            || containingSymbol.ContainingType is not { } type
            || WaitedObject(wait) is not { } waited
            || OutermostLoop(wait) is not { } loop
            || LoopClassifier.HasExitSyntax(loop)
            || !(LoopClassifier.IsEndless(loop) || IsConditionedOnlyOn(loop, waited.Name))
            || !IsProcessLifetime(waited, wait, waited.ContainingType ?? type)
            || StopPathNames(waited is ILocalSymbol ? type : waited.ContainingType ?? type, waited, cancellationToken)
            || !RunsInBackground(wait, containingSymbol, type, stopModel, model, cancellationToken))
        {
            return false;
        }

        return true;
    }

    /// <summary>The field (of this type, static or on <c>this</c>) or local the wait waits on.</summary>
    private static ISymbol? WaitedObject(IInvocationOperation wait)
    {
        if (StopPath.WaitedField(wait) is { } field)
        {
            return field;
        }

        return wait.Instance is { } instance && OperationUnwrapping.WithoutConversions(instance) is ILocalReferenceOperation local ? local.Local : null;
    }

    /// <summary>The outermost loop around the wait in its function.</summary>
    private static ILoopOperation? OutermostLoop(IOperation wait)
    {
        ILoopOperation? outermost = null;
        for (var current = wait.Parent; current is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation); current = current.Parent)
        {
            if (current is ILoopOperation loop)
            {
                outermost = loop;
            }
        }

        return outermost;
    }

    /// <summary><c>while (!queue.IsAddingCompleted)</c>: every name the condition reads is the waited object or a member read on it.</summary>
    private static bool IsConditionedOnlyOn(ILoopOperation loop, string name)
    {
        var condition = loop.Syntax switch
        {
            WhileStatementSyntax whileStatement => whileStatement.Condition,
            DoStatementSyntax doStatement => doStatement.Condition,
            _ => null,
        };
        if (condition is null)
        {
            return false;
        }

        var readsIt = false;
        foreach (var identifier in condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == name)
            {
                readsIt = true;
            }
            else if (identifier.Parent is not MemberAccessExpressionSyntax access || access.Name != identifier || RightmostName.Of(access.Expression) != name)
            {
                return false;
            }
        }

        return readsIt;
    }

    /// <summary>
    /// A static field, a field of a type that holds an instance of itself in a static field (a singleton), or a local
    /// of work declared in a static member.
    /// </summary>
    private static bool IsProcessLifetime(ISymbol waited, IOperation wait, INamedTypeSymbol type) => waited switch
    {
        IFieldSymbol or IPropertySymbol when waited.IsStatic => true,
        IFieldSymbol or IPropertySymbol => IsSingleton(type),
        ILocalSymbol => IsInStaticMember(wait),
        _ => false,
    };

    private static bool IsInStaticMember(IOperation wait) =>
        wait.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax) is { } member
        && member.Modifiers.Any(SyntaxKind.StaticKeyword);

    private static bool IsSingleton(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: true } field && SymbolEqualityComparer.Default.Equals(field.Type.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a member of the type on the stop path names the waited field (read from syntax); for a local, whether the
    /// type has a stop-path member at all.
    /// </summary>
    private static bool StopPathNames(INamedTypeSymbol type, ISymbol waited, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                var onStopPath = member is DestructorDeclarationSyntax || (member is MethodDeclarationSyntax method && StopPath.IsStopName(method.Identifier.ValueText));
                if (onStopPath && (waited is ILocalSymbol || Names(member, waited.Name)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Names(SyntaxNode member, string name)
    {
        foreach (var token in member.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Work of the type on a pool or background thread (<see cref="IdleWorkerWaits.IsBackgroundWorkOf"/>), or a method
    /// that makes its own thread a background thread (<c>Thread.CurrentThread.IsBackground = true;</c> in its body),
    /// whoever starts it.
    /// </summary>
    private static bool RunsInBackground(IOperation wait, ISymbol containingSymbol, INamedTypeSymbol type, StopModel stopModel, SemanticModel model, CancellationToken cancellationToken)
    {
        if (OperationScopes.EnclosingFunction(wait).Parent is null
            && wait.Syntax.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { Body: { } body }
            && MarksItsThreadBackground(body))
        {
            return true;
        }

        return IdleWorkerWaits.IsBackgroundWorkOf(wait, containingSymbol, type, stopModel, model, cancellationToken);
    }

    private static bool MarksItsThreadBackground(BlockSyntax body)
    {
        foreach (var statement in body.Statements)
        {
            if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsBackground", Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CurrentThread" } }, Right: LiteralExpressionSyntax literal } }
                && literal.IsKind(SyntaxKind.TrueLiteralExpression))
            {
                return true;
            }
        }

        return false;
    }
}
