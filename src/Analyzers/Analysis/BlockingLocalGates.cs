using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait, inside a lambda, on a gate that is a local of the function around the lambda
/// (<c>var block = new SemaphoreSlim(0, 2); Task.Run(() =&gt; { ...; block.Wait(); }); ...; block.Release(2);</c>), which
/// that function itself signals outside the lambda: the function that made the gate and started the work opens it, as
/// the stop path of a type ends a wait on its field (<see cref="StopModel.IsEndedByOwner"/>). Found on kafka-net's tests
/// (fresh set 2). The gate may be a monitor: <c>lock (gate) Monitor.Wait(gate);</c> opened by a
/// <c>Monitor.Pulse(gate)</c> outside the lambda (confluent's latency benchmark, fresh set 4: a handler of the other
/// task pulses). Asked only right before a report.
/// </summary>
public static class BlockingLocalGates
{
    private static readonly ImmutableArray<string> BarrierArrival = ImmutableArray.Create("SignalAndWait");

    /// <summary>Whether the function that declares the waited local signals it outside the waiting lambda.</summary>
    public static bool IsOpenedByItsFunction(IInvocationOperation wait)
    {
        var isBarrier = IsBarrierArrival(wait);
        if (GateOf(wait) is not { } instance
            || OperationUnwrapping.WithoutConversions(instance) is not ILocalReferenceOperation { Local: { } local }
            || (isBarrier ? BarrierArrival : StopPath.SignalsFor(wait.TargetMethod.Name)) is { IsEmpty: true } signals
            || BlockingSites.EnclosingLambda(wait) is not { } lambda
            || Declares(lambda, local))
        {
            return false;
        }

        var root = lambda.Parent;
        while (root?.Parent is not null)
        {
            root = root.Parent;
        }

        // A barrier's arrival is its own signal: the wait ends when as many arrivals as it has participants are made
        // by the function's code (its other tasks, or itself).
        var arrivals = isBarrier ? 1 : 0;
        foreach (var operation in root?.Descendants() ?? Enumerable.Empty<IOperation>())
        {
            if (operation is IInvocationOperation signal
                && signals.Contains(signal.TargetMethod.Name)
                && GateOf(signal) is { } receiver
                && OperationUnwrapping.WithoutConversions(receiver) is ILocalReferenceOperation signalled
                && SymbolEqualityComparer.Default.Equals(signalled.Local, local)
                && !IsInside(signal, lambda))
            {
                if (!isBarrier)
                {
                    return true;
                }

                arrivals++;
            }
        }

        return isBarrier && ParticipantCount(local, root) is { } participants && arrivals >= participants;
    }

    /// <summary>
    /// <c>barrier.SignalAndWait()</c> on a <c>Barrier</c>: a rendezvous of the function's tasks (fresh set 6, a test
    /// whose two tasks meet at <c>new Barrier(2)</c>).
    /// </summary>
    private static bool IsBarrierArrival(IInvocationOperation wait) =>
        wait.TargetMethod is { Name: "SignalAndWait", ContainingType: { Name: "Barrier", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } };

    /// <summary>The constant participant count the local is created with (<c>new Barrier(2)</c>), declared in <paramref name="root"/>.</summary>
    private static int? ParticipantCount(ILocalSymbol local, IOperation? root)
    {
        foreach (var operation in root?.Descendants() ?? Enumerable.Empty<IOperation>())
        {
            if (operation is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)
                && declarator.Initializer?.Value is { } value
                && OperationUnwrapping.WithoutConversions(value) is IObjectCreationOperation { Arguments.Length: 1 } creation
                && creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int count })
            {
                return count;
            }
        }

        return null;
    }

    /// <summary>The receiver of a wait or signal, or the object of <c>Monitor.Wait(o)</c> / <c>Monitor.Pulse(o)</c>.</summary>
    private static IOperation? GateOf(IInvocationOperation call) =>
        call.TargetMethod is { IsStatic: true, ContainingType.Name: "Monitor", Name: "Wait" or "Pulse" or "PulseAll" }
            ? call.Arguments.Length > 0 ? call.Arguments[0].Value : null
            : call.Instance;

    private static bool Declares(IOperation function, ILocalSymbol local)
    {
        foreach (var operation in function.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInside(IOperation operation, IOperation ancestor)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
