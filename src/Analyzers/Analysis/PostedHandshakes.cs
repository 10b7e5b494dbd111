using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A one-shot handshake: a wait on a local gate that a delegate posted just before sets in any case
/// (<c>control.BeginInvoke(() =&gt; { Update(); done.Set(); }); done.WaitOne();</c>). The posted delegate runs by itself
/// (a UI thread's queue, a synchronization context, the thread pool), so the wait ends when it has run; it is not a wait
/// on something that may never come. A callback of an I/O call (<c>BeginConnect(ep, _ =&gt; done.Set(), null)</c>) or an
/// event handler is not posted work, and a <c>Set</c> under a condition may not happen. Found on Vlc.DotNet (fresh set 3).
/// Asked only right before a report.
/// </summary>
public static class PostedHandshakes
{
    /// <summary>Whether a delegate posted earlier in the waiting function sets the waited local unconditionally.</summary>
    public static bool IsSetByDelegatePostedBefore(IInvocationOperation wait)
    {
        if (wait.Instance is not { } instance
            || OperationUnwrapping.WithoutConversions(instance) is not ILocalReferenceOperation { Local: { } local }
            || StopPath.SignalsFor(wait.TargetMethod.Name) is { IsEmpty: true } signals)
        {
            return false;
        }

        var function = OperationScopes.EnclosingFunction(wait);
        foreach (var operation in function.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: { } name } post
                && IsPostName(name)
                && post.Syntax.SpanStart < wait.Syntax.SpanStart
                && OperationScopes.EnclosingFunction(post) == function
                && PostsDelegateThatSets(post, local, signals))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Calls that queue a delegate to run soon by itself: a control's or dispatcher's queue, a synchronization context, the pool.</summary>
    private static bool IsPostName(string name) =>
        name is "BeginInvoke" or "Invoke" or "InvokeAsync" or "Post" or "Send" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "Run" or "StartNew";

    private static bool PostsDelegateThatSets(IInvocationOperation post, ILocalSymbol local, ImmutableArray<string> signals)
    {
        foreach (var argument in post.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation or IDelegateCreationOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
            }

            if (value is IAnonymousFunctionOperation lambda && SetsUnconditionally(lambda, local, signals))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambda signals the local in a statement every run reaches: not under a condition, loop, catch or nested function.</summary>
    private static bool SetsUnconditionally(IAnonymousFunctionOperation lambda, ILocalSymbol local, ImmutableArray<string> signals)
    {
        foreach (var operation in lambda.Body.Descendants())
        {
            if (operation is IInvocationOperation { Instance: { } receiver } signal
                && signals.IndexOf(signal.TargetMethod.Name) >= 0
                && OperationUnwrapping.WithoutConversions(receiver) is ILocalReferenceOperation signalled
                && SymbolEqualityComparer.Default.Equals(signalled.Local, local)
                && IsReachedEveryRun(signal, lambda))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReachedEveryRun(IOperation operation, IAnonymousFunctionOperation lambda)
    {
        for (var current = operation.Parent; current is not null && current != lambda; current = current.Parent)
        {
            switch (current)
            {
                case IBlockOperation or IExpressionStatementOperation or ILockOperation or IUsingOperation:
                    continue;
                case ITryOperation tryOperation when !tryOperation.Catches.IsEmpty:
                    // In the try body or the finally: a try with a catch may skip the body's rest, the finally always runs.
                    if (tryOperation.Finally is null || !tryOperation.Finally.Syntax.Span.Contains(operation.Syntax.Span))
                    {
                        return false;
                    }

                    continue;
                case ITryOperation:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }
}
