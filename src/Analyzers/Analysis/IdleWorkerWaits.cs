using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The idle wait of a worker that lives as long as the process: <c>while (true) { lock (_jobs) { while (_jobs.Count == 0)
/// Monitor.Wait(_jobs); ... } }</c>, where another member of the type pulses <c>_jobs</c> when it adds work, and the type
/// has no stop at all (no member named for stopping, no finalizer, and every loop around the wait is endless). The wait
/// ends when work comes; a token would have nobody to cancel it, and whether the worker can stop is GS0004's question
/// (one diagnostic per root cause). A type with a stop path that does not wake the wait, or a loop on a condition, is
/// still reported. Found on OpenLiveWriter's processing queue (fresh set 3). Asked only right before a report.
/// </summary>
public static class IdleWorkerWaits
{
    private static readonly ImmutableArray<string> WakeSignals = ImmutableArray.Create("Set", "Release", "Pulse", "PulseAll");

    /// <summary>
    /// Whether <paramref name="wait"/>, in <paramref name="containingSymbol"/>, is such an idle wait: in work a start site
    /// of the type runs, on a field another member wakes (<c>Set</c>, <c>Release</c>, <c>Pulse</c>: work came, not a
    /// close), with no stop anywhere in the type.
    /// </summary>
    public static bool IsIdleWaitOfWorkerWithoutStop(IInvocationOperation wait, ISymbol containingSymbol, StopModel stopModel, CancellationToken cancellationToken)
    {
        if (StopPath.WaitedField(wait) is not { } field
            || field.ContainingType is not { } type
            || wait.SemanticModel is not { } model
            || StopPath.SignalsFor(wait.TargetMethod.Name).RemoveAll(name => WakeSignals.IndexOf(name) < 0) is { IsEmpty: true } signals
            || !OnlyInEndlessLoops(wait)
            || !IsWorkOf(wait, containingSymbol, type, stopModel, model, cancellationToken))
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        var woken = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                if (member is DestructorDeclarationSyntax || (member is MethodDeclarationSyntax method && StopPath.IsStopName(method.Identifier.ValueText)))
                {
                    return false;
                }

                if (!woken && member != waitingMember && member is not BaseTypeDeclarationSyntax)
                {
                    woken = SignalsField(member, field, signals, model, cancellationToken);
                }
            }
        }

        return woken;
    }

    private static bool IsWorkOf(IOperation wait, ISymbol containingSymbol, INamedTypeSymbol type, StopModel stopModel, SemanticModel model, CancellationToken cancellationToken)
    {
        if (stopModel.EnclosingWork(wait, cancellationToken, out _).IsValid)
        {
            return true;
        }

        return containingSymbol is IMethodSymbol method
            && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type.OriginalDefinition)
            && OperationScopes.EnclosingFunction(wait).Parent is null
            && (stopModel.For(type, model, cancellationToken).WorkMethods.TryGetWork(method, out _)
                || IsHandedOnAsDelegate(method, type, model, cancellationToken));
    }

    /// <summary>
    /// The type passes the method as a delegate argument (<c>ThreadHelper.NewThread(new ThreadStart(Run), ...)</c>):
    /// a thread entry the model's start sites may not show, as opposed to a method callers call (a queue's <c>Dequeue</c>).
    /// </summary>
    private static bool IsHandedOnAsDelegate(IMethodSymbol method, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Parent: ArgumentSyntax } name
                    && name.Identifier.ValueText == method.Name
                    && (name.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(name.SyntaxTree))
                        .GetSymbolInfo(name, cancellationToken).Symbol is IMethodSymbol handed
                    && SymbolEqualityComparer.Default.Equals(handed.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Every loop around the wait, in its function, is endless: no condition could be a stop.</summary>
    private static bool OnlyInEndlessLoops(IOperation wait)
    {
        var inLoop = false;
        for (var current = wait.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    if (!LoopClassifier.IsEndless(loop))
                    {
                        return false;
                    }

                    inLoop = true;
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return inLoop;
            }
        }

        return inLoop;
    }

    /// <summary>Whether <paramref name="member"/> sends one of <paramref name="signals"/> to <paramref name="field"/> (by name first, then bound).</summary>
    private static bool SignalsField(MemberDeclarationSyntax member, ISymbol field, ImmutableArray<string> signals, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in member.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax invocation
                || RightmostName.Of(invocation.Expression) is not { } name
                || signals.IndexOf(name) < 0
                || !MentionsName(invocation, field.Name))
            {
                continue;
            }

            var treeModel = invocation.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(invocation.SyntaxTree);
            if (treeModel.GetOperation(invocation, cancellationToken) is IInvocationOperation signal
                && SymbolEqualityComparer.Default.Equals(StopPath.SignalledField(signal)?.OriginalDefinition, field.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MentionsName(InvocationExpressionSyntax invocation, string name)
    {
        foreach (var token in invocation.DescendantTokens())
        {
            if (token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }
}
