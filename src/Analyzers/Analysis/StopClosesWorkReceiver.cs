using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Work that is one call on a field of the type, whose token source the owner cancels only where it also stops,
/// closes or disposes that field (fresh set 8, swan's <c>Task.Run(() =&gt; _listener.AcceptTcpClientAsync(), _cts.Token)</c>
/// with <c>Stop()</c> doing <c>_listener?.Stop(); _cts?.Cancel();</c>): the stop ends the call, so the token needs no
/// observing inside it. Asked only right before a report.
/// </summary>
internal static class StopClosesWorkReceiver
{
    /// <summary>
    /// Whether every work of <paramref name="site"/> is a lambda whose body is a single call (awaited or returned) on a
    /// field of this instance, <paramref name="token"/> comes from a private source field, and every method that cancels
    /// that source also calls <c>Stop</c>, <c>Close</c>, <c>Dispose</c>, <c>Shutdown</c> or <c>Abort</c> on the field.
    /// </summary>
    public static bool Holds(IOperation site, IOperation token, KnownTypes types, CancellationToken cancellationToken)
    {
        if (SourceFieldCancels.SourceFieldOf(token) is not { } source || site.SemanticModel is not { } model)
        {
            return false;
        }

        ISymbol? receiver = null;
        foreach (var work in ThreadStartSites.GetAll(site, types))
        {
            if (work.Lambda is not { } lambda
                || SingleCallReceiver(lambda.Body) is not { } called
                || (receiver is not null && !SymbolEqualityComparer.Default.Equals(receiver, called)))
            {
                return false;
            }

            receiver = called;
        }

        if (receiver is null || SourceFieldCancels.Of(source, model.Compilation, cancellationToken) is not { Count: > 0 } cancels)
        {
            return false;
        }

        foreach (var cancel in cancels)
        {
            if (!ClosesInSameMember(cancel, receiver))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The field of this instance that the body's only call is made on (<c>_f.M()</c>, <c>await _f.M().ConfigureAwait(false)</c>).</summary>
    private static ISymbol? SingleCallReceiver(IBlockOperation body)
    {
        IOperation? value = null;
        foreach (var statement in body.Operations)
        {
            var current = statement switch
            {
                IReturnOperation { IsImplicit: true, ReturnedValue: null } => null,
                IReturnOperation { ReturnedValue: { } returned } => returned,
                IExpressionStatementOperation { Operation: var expression } => expression,
                _ => statement,
            };
            if (current is null)
            {
                continue;
            }

            if (value is not null)
            {
                return null;
            }

            value = current;
        }

        if (value is null)
        {
            return null;
        }

        value = OperationUnwrapping.WithoutConversions(value);
        if (value is IAwaitOperation { Operation: var awaited })
        {
            value = OperationUnwrapping.WithoutConversions(awaited);
        }

        if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            value = OperationUnwrapping.WithoutConversions(configured);
        }

        return value is IInvocationOperation { Instance: { } instance, Arguments: var arguments } && !HasCallArgument(arguments)
            && OperationUnwrapping.WithoutConversions(instance) is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field }
                ? field.OriginalDefinition
                : null;
    }

    /// <summary>An argument that itself calls something: the work would then do more than the one call.</summary>
    private static bool HasCallArgument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            foreach (var operation in argument.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation or IAnonymousFunctionOperation)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ClosesInSameMember(IOperation cancel, ISymbol receiver)
    {
        foreach (var operation in OperationScopes.Root(cancel).Descendants())
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: var name } call || !StopPath.IsIoSignalName(name))
            {
                continue;
            }

            var instance = call.Instance is IConditionalAccessInstanceOperation && call.Parent is IConditionalAccessOperation { Operation: var accessed }
                ? accessed
                : call.Instance;
            if (instance is not null
                && OperationUnwrapping.WithoutConversions(instance) is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field }
                && SymbolEqualityComparer.Default.Equals(field.OriginalDefinition, receiver))
            {
                return true;
            }
        }

        return false;
    }
}
