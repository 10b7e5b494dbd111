using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The idle wait of a worker that lives as long as the process: <c>while (true) { lock (_jobs) { while (true) { if
/// (_jobs.Count == 0) Monitor.Wait(_jobs); else { job = _jobs.Dequeue(); break; } } } job(); }</c>, where another
/// member of the type pulses <c>_jobs</c> when it adds work, the type has no stop at all (no member named for stopping,
/// no finalizer, and every loop around the wait is endless), and the thread ends with the process. The wait ends when
/// work comes, and a token would have nobody to cancel it. A foreground thread, a type with a stop path that does not
/// wake the wait, or a loop on a condition stays reported. Found on OpenLiveWriter's processing queue (fresh set 3).
/// Asked only right before a report.
/// </summary>
public static class IdleWorkerWaits
{
    private static readonly ImmutableArray<string> WakeSignals = ImmutableArray.Create("Set", "Release", "Pulse", "PulseAll");

    /// <summary>
    /// Whether <paramref name="wait"/>, in <paramref name="containingSymbol"/>, is such an idle wait: in background work
    /// of the type, on a field another member wakes (<c>Set</c>, <c>Release</c>, <c>Pulse</c>: work came, not a
    /// close), with no stop anywhere in the type.
    /// </summary>
    public static bool IsIdleWaitOfWorkerWithoutStop(IInvocationOperation wait, ISymbol containingSymbol, StopModel stopModel, CancellationToken cancellationToken)
    {
        if (StopPath.WaitedField(wait) is not { } field
            || field.ContainingType is not { } type
            || wait.SemanticModel is not { } model
            || StopPath.SignalsFor(wait.TargetMethod.Name).RemoveAll(name => WakeSignals.IndexOf(name) < 0) is { IsEmpty: true } signals
            || !OnlyInEndlessLoops(wait)
            || !IsBackgroundWorkOf(wait, containingSymbol, type, stopModel, model, cancellationToken))
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

    /// <summary>
    /// The wait runs in work of the type on a thread that ends with the process: a pool thread (<c>Task.Run</c>,
    /// <c>ThreadPool</c>), a <c>new Thread</c> marked background, or a method the type hands to a call that passes
    /// <c>true</c> for a parameter named for background (<c>ThreadHelper.NewThread(new ThreadStart(Run), ..., background: true)</c>).
    /// A foreground thread's idle wait keeps the process alive and stays reported.
    /// </summary>
    internal static bool IsBackgroundWorkOf(IOperation wait, ISymbol containingSymbol, INamedTypeSymbol type, StopModel stopModel, SemanticModel model, CancellationToken cancellationToken)
    {
        var work = stopModel.EnclosingWork(wait, cancellationToken, out _);
        if (!work.IsValid
            && (containingSymbol is not IMethodSymbol method
                || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type.OriginalDefinition)
                || OperationScopes.EnclosingFunction(wait).Parent is not null))
        {
            return false;
        }

        if (work.IsValid || stopModel.TryGetWork(type, (IMethodSymbol)containingSymbol, model, cancellationToken, out work))
        {
            return work.Kind != ThreadStartKind.NewThread || stopModel.IsBackground(work, cancellationToken);
        }

        return IsHandedOnToABackgroundStart((IMethodSymbol)containingSymbol, type, model, cancellationToken);
    }

    private static bool IsHandedOnToABackgroundStart(IMethodSymbol method, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is not IdentifierNameSyntax { Parent: ArgumentSyntax } name
                    || name.Identifier.ValueText != method.Name
                    || name.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
                {
                    continue;
                }

                var treeModel = name.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(name.SyntaxTree);
                if (treeModel.GetSymbolInfo(name, cancellationToken).Symbol is IMethodSymbol handed
                    && SymbolEqualityComparer.Default.Equals(handed.OriginalDefinition, method.OriginalDefinition)
                    && treeModel.GetOperation(call, cancellationToken) is IInvocationOperation invocation
                    && PassesTrueForBackground(invocation))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool PassesTrueForBackground(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter
                && parameter.Name.IndexOf("background", StringComparison.OrdinalIgnoreCase) >= 0
                && argument.Value.ConstantValue is { HasValue: true, Value: true })
            {
                return true;
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
