using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The stop path of a type and the signals it sends (the <see cref="StopModel"/>'s vocabulary). A wait on a field of the
/// type is ended by the owner when a stop-path member sends the signal that wakes that wait:
/// <list type="bullet">
/// <item><c>_ready.Set()</c> / <c>_slots.Release()</c> ends <c>_ready.WaitOne()</c>, <c>_ready.Wait()</c>, <c>_slots.Wait()</c>;</item>
/// <item><c>_queue.CompleteAdding()</c> ends <c>_queue.Take()</c>;</item>
/// <item><c>_listener.Stop()</c>, <c>_socket.Close()</c>, <c>Dispose()</c>, <c>Shutdown(...)</c> end
/// <c>Accept…()</c>, <c>Receive…()</c>, <c>Read…()</c>, <c>GetContext()</c> on the same field (and their <c>Begin…</c>
/// forms, which throw once the field is closed);</item>
/// <item><c>_process.Kill()</c> ends <c>_process.WaitForExit()</c>;</item>
/// <item><c>Monitor.Pulse(_gate)</c> / <c>PulseAll(_gate)</c> ends <c>Monitor.Wait(_gate)</c>.</item>
/// </list>
/// </summary>
public static class StopPath
{
    private static readonly ImmutableArray<string> StopWords = ImmutableArray.Create(
        "Stop", "Dispose", "Disposing", "Close", "Closing", "Shutdown", "ShutDown", "Terminate", "Abort", "Cancel", "Disconnect", "Exit", "Quit", "Finalize");

    private static readonly ImmutableArray<string> EventSignals = ImmutableArray.Create("Set", "Release");
    private static readonly ImmutableArray<string> WaitSignals = ImmutableArray.Create("Set", "Release", "Pulse", "PulseAll");
    private static readonly ImmutableArray<string> TakeSignals = ImmutableArray.Create("CompleteAdding");
    private static readonly ImmutableArray<string> ProcessSignals = ImmutableArray.Create("Kill");
    private static readonly ImmutableArray<string> IoSignals = ImmutableArray.Create("Stop", "Close", "Dispose", "Shutdown", "Abort");

    /// <summary>
    /// Whether <paramref name="node"/> runs on the stop path: in a member named for stopping (<c>Stop…</c>,
    /// <c>Dispose</c>, <c>Close</c>, <c>Shutdown</c>, <c>Terminate</c>, <c>Abort</c>, <c>Cancel…</c>,
    /// <c>Disconnect</c>, <c>Exit</c>, <c>Quit</c>, and names ending so, such as <c>StopRecording</c> or
    /// <c>OnStop</c>; a window's <c>…Closing</c> and <c>…Closed</c> handlers too), a finalizer, or a handler of <c>Console.CancelKeyPress</c>, <c>AppDomain.ProcessExit</c> or
    /// <c>AssemblyLoadContext.Unloading</c>. A <c>Set()</c> in <c>Enqueue</c> wakes the wait only when an item comes,
    /// which is not a way to stop it.
    /// </summary>
    public static bool IsOnStopPath(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda when IsShutdownHandler(lambda):
                    return true;
                case DestructorDeclarationSyntax:
                    return true;
                case MethodDeclarationSyntax method:
                    return IsStopName(method.Identifier.ValueText);
                case BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or EventDeclarationSyntax or BaseTypeDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Whether a member of this name is on the stop path (see <see cref="IsOnStopPath"/>).</summary>
    public static bool IsStopName(string name)
    {
        foreach (var word in StopWords)
        {
            if (name.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Console.CancelKeyPress += (s, e) =&gt; ...</c>, <c>AppDomain.CurrentDomain.ProcessExit += ...</c>, <c>Unloading += ...</c>.</summary>
    private static bool IsShutdownHandler(AnonymousFunctionExpressionSyntax lambda) =>
        lambda.Parent is AssignmentExpressionSyntax { Left: var target } assignment
        && assignment.IsKind(SyntaxKind.AddAssignmentExpression)
        && (target is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText : (target as IdentifierNameSyntax)?.Identifier.ValueText)
            is "CancelKeyPress" or "ProcessExit" or "Unloading";

    /// <summary>Any method name that is a stop signal for some wait.</summary>
    public static bool IsSignalName(string name) => name is
        "Set" or "Release" or "Pulse" or "PulseAll" or "CompleteAdding" or "Kill" or "Stop" or "Close" or "Dispose" or "Shutdown" or "Abort" or "Cancel";

    /// <summary>
    /// The signals of <paramref name="signals"/> that can only end a wait, never announce work: all but <c>Set</c>,
    /// <c>Release</c> and <c>Pulse</c> (<c>CompleteAdding</c>, <c>Kill</c>, and stopping, closing or disposing what an
    /// accept, receive or read waits on). Sent by any member of the type, not only its stop path, they end the wait.
    /// </summary>
    public static ImmutableArray<string> EndingSignals(ImmutableArray<string> signals) =>
        signals.RemoveAll(static name => name is "Set" or "Release" or "Pulse" or "PulseAll");

    /// <summary>Whether a call of this name stops, closes or disposes what an accept, receive or read waits on.</summary>
    public static bool IsIoSignalName(string name) => IoSignals.IndexOf(name) >= 0;

    /// <summary>The signals that wake a wait of this name, or an empty array for a wait no owner signal ends.</summary>
    public static ImmutableArray<string> SignalsFor(string waitName) => waitName switch
    {
        "WaitOne" => EventSignals,
        "Wait" => WaitSignals,
        "Take" => TakeSignals,
        "WaitForExit" => ProcessSignals,
        _ when waitName.StartsWith("Accept", StringComparison.Ordinal)
            || waitName.StartsWith("Receive", StringComparison.Ordinal)
            || waitName.StartsWith("Read", StringComparison.Ordinal)
            || waitName == "GetContext"
            || waitName.StartsWith("BeginAccept", StringComparison.Ordinal)
            || waitName.StartsWith("BeginReceive", StringComparison.Ordinal)
            || waitName.StartsWith("BeginRead", StringComparison.Ordinal)
            || waitName == "BeginGetContext" => IoSignals,
        _ => ImmutableArray<string>.Empty,
    };

    /// <summary>The field the wait waits on: its receiver, or the monitor object of <c>Monitor.Wait(x)</c>.</summary>
    public static ISymbol? WaitedField(IInvocationOperation wait) =>
        wait.TargetMethod is { IsStatic: true, Name: "Wait", ContainingType.Name: "Monitor" }
            ? wait.Arguments.Length > 0 ? FieldOf(wait.Arguments[0].Value) : null
            : wait.Instance is { } instance ? FieldOf(instance) : null;

    /// <summary>The parameter the wait waits on (<c>threadWriter.Take()</c>), or the monitor object of <c>Monitor.Wait(p)</c> when it is one.</summary>
    public static IParameterSymbol? WaitedParameter(IInvocationOperation wait)
    {
        var receiver = wait.TargetMethod is { IsStatic: true, Name: "Wait", ContainingType.Name: "Monitor" }
            ? wait.Arguments.Length > 0 ? wait.Arguments[0].Value : null
            : wait.Instance;
        return receiver is not null && WithoutConditionalAccess(receiver) is IParameterReferenceOperation parameter ? parameter.Parameter : null;
    }

    /// <summary>The field a signal is sent to: its receiver, or the monitor object of <c>Monitor.Pulse(x)</c>.</summary>
    /// <remarks>An I/O signal sent through a member of the field (<c>_listener.Server.Dispose()</c>,
    /// <c>_client.Client.Close()</c>) is sent to the field: it closes the socket the field's own calls use.</remarks>
    public static ISymbol? SignalledField(IInvocationOperation signal) =>
        signal.TargetMethod is { IsStatic: true, Name: "Pulse" or "PulseAll", ContainingType.Name: "Monitor" }
            ? signal.Arguments.Length > 0 ? SignalReceiverField(signal.Arguments[0].Value) : null
            : signal.Instance is { } instance
                ? SignalReceiverField(instance) ?? (IoSignals.IndexOf(signal.TargetMethod.Name) >= 0 ? OwnerFieldOf(instance) : null)
                : null;

    /// <summary><c>_listener.Server</c>: the field whose parameterless property the operation reads.</summary>
    private static ISymbol? OwnerFieldOf(IOperation operation) =>
        OperationUnwrapping.WithoutConversions(operation) is IPropertyReferenceOperation { Property.Parameters.Length: 0, Instance: { } owner }
            ? FieldOf(owner)
            : null;

    /// <summary>
    /// <c>_reader.Queued</c> in <c>_reader.Queued.WaitOne()</c>: the member of another object that the wait waits on,
    /// reached through a field of the waiting type (<paramref name="owner"/>, <c>_reader</c>). Null when the receiver is
    /// not such a chain.
    /// </summary>
    public static ISymbol? WaitedMemberOfField(IInvocationOperation wait, out ISymbol? owner)
    {
        owner = null;
        return wait.TargetMethod.IsStatic || wait.Instance is not { } instance ? null : MemberOfField(instance, out owner);
    }

    /// <summary>The member of another object a signal is sent to through a field of this type (<c>_reader.Queued.Set()</c>), as <see cref="WaitedMemberOfField"/>.</summary>
    public static ISymbol? SignalledMemberOfField(IInvocationOperation signal, out ISymbol? owner)
    {
        owner = null;
        return signal.TargetMethod.IsStatic || signal.Instance is not { } instance ? null : MemberOfField(instance, out owner);
    }

    private static ISymbol? MemberOfField(IOperation operation, out ISymbol? owner)
    {
        owner = null;
        var (member, instance) = WithoutConditionalAccess(operation) switch
        {
            IFieldReferenceOperation { Instance: { } fieldInstance } field => ((ISymbol)field.Field, fieldInstance),
            IPropertyReferenceOperation { Instance: { } propertyInstance, Property.Parameters.Length: 0 } property => (property.Property, propertyInstance),
            _ => (null, null),
        };
        if (member is null || instance is null || FieldOf(instance) is not { } ownerField)
        {
            return null;
        }

        owner = ownerField;
        return member;
    }

    private static ISymbol? FieldOf(IOperation operation) => WithoutConditionalAccess(operation) switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.Parameters.Length: 0 } property => property.Property,
        _ => null,
    };

    /// <summary>The field a signal's receiver names, directly or through a local the stop path copied it into (signals only: a wait on such a local is not taken for a wait on the field).</summary>
    private static ISymbol? SignalReceiverField(IOperation operation) =>
        FieldOf(operation) ?? (WithoutConditionalAccess(operation) is ILocalReferenceOperation local ? FieldCopiedInto(local) : null);

    /// <summary>
    /// <c>var signal = _signal; _signal = null; signal.Set();</c> (or <c>Interlocked.Exchange(ref _signal, null)</c>): the
    /// field a local holds where the signal is sent, so that a stop path that takes the field before signalling it
    /// signals the field (fresh set 8, RSSDP's mock server). The local may be reused for a second field in straight-line
    /// code (<c>signal = _other; _other = null; signal.Set();</c>): its value is then the last assignment before the
    /// statement that sends the signal, when every assignment is a statement of the block that declares it.
    /// </summary>
    private static ISymbol? FieldCopiedInto(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.IsRef
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initialValue } declarator
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { Parent: BlockSyntax block } declaration
            || reference.SemanticModel is not { } model
            || LocalCopies.ValueReaching(local.Name, block, declaration, initialValue, reference.Syntax) is not { } value)
        {
            return null;
        }

        var initial = model.GetOperation(value) is { } operation ? OperationUnwrapping.WithoutConversions(operation) : null;
        if (initial is IInvocationOperation { TargetMethod: { Name: "Exchange", ContainingType.Name: "Interlocked" }, Arguments.Length: 2 } exchange)
        {
            initial = OperationUnwrapping.WithoutConversions(exchange.Arguments[0].Value);
        }

        return initial switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.Parameters.Length: 0 } property => property.Property,
            _ => null,
        };
    }

    /// <summary>The receiver under conversions, and under <c>?.</c>: the instance of <c>_ready?.Set()</c> is <c>_ready</c>.</summary>
    private static IOperation WithoutConditionalAccess(IOperation operation)
    {
        operation = OperationUnwrapping.WithoutConversions(operation);
        if (operation is not IConditionalAccessInstanceOperation)
        {
            return operation;
        }

        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IConditionalAccessOperation access && access.WhenNotNull == child)
            {
                return OperationUnwrapping.WithoutConversions(access.Operation);
            }
        }

        return operation;
    }
}
