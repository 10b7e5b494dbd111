using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The stop signals of a type: what its stop path (members named for stopping, and finalizers) does to the objects its
/// work waits on. A wait on a field of the type is ended by the owner when a stop-path member sends the signal that
/// wakes that wait:
/// <list type="bullet">
/// <item><c>_ready.Set()</c> / <c>_slots.Release()</c> ends <c>_ready.WaitOne()</c>, <c>_ready.Wait()</c>, <c>_slots.Wait()</c>;</item>
/// <item><c>_queue.CompleteAdding()</c> ends <c>_queue.Take()</c>;</item>
/// <item><c>_listener.Stop()</c>, <c>_socket.Close()</c>, <c>Dispose()</c>, <c>Shutdown(...)</c> end
/// <c>Accept…()</c>, <c>Receive…()</c>, <c>Read…()</c>, <c>GetContext()</c> on the same field;</item>
/// <item><c>_process.Kill()</c> ends <c>_process.WaitForExit()</c>;</item>
/// <item><c>Monitor.Pulse(_gate)</c> / <c>PulseAll(_gate)</c> ends <c>Monitor.Wait(_gate)</c>.</item>
/// </list>
/// Asked only for a wait about to be reported, so the walk over the type's declarations is off the hot path.
/// </summary>
public static class TypeStopSignals
{
    public static bool IsEndedByOwner(IInvocationOperation wait, CancellationToken cancellationToken)
    {
        if (WaitedField(wait) is not { } field
            || field.ContainingType is not { } type
            || wait.SemanticModel is not { } model
            || SignalsFor(wait.TargetMethod.Name) is not { } signals)
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<SyntaxNode>(m => m is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            var treeModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocation
                    || !NamesSignal(invocation, signals)
                    || (waitingMember is not null && waitingMember.Span.Contains(invocation.Span)))
                {
                    continue;
                }

                if (!IsOnStopPath(invocation)
                    || treeModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation signal)
                {
                    continue;
                }

                if (SignalledField(signal) is { } signalled
                    && SymbolEqualityComparer.Default.Equals(signalled, field))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the signal is sent on the type's stop path: in a member named for stopping (<c>Stop…</c>,
    /// <c>Dispose</c>, <c>Close</c>, <c>Shutdown</c>, <c>Terminate</c>, <c>Abort</c>, <c>Cancel…</c>,
    /// <c>Disconnect</c>, <c>Exit</c>, <c>Quit</c>, and names ending so, such as <c>StopRecording</c> or
    /// <c>OnStop</c>) or a finalizer. A <c>Set()</c> in <c>Enqueue</c> wakes the wait only when an item comes, which
    /// is not a way to stop it.
    /// </summary>
    private static bool IsOnStopPath(SyntaxNode signal)
    {
        var member = signal.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or EventDeclarationSyntax);
        var name = member switch
        {
            DestructorDeclarationSyntax => "Finalize",
            MethodDeclarationSyntax method => method.Identifier.ValueText,
            _ => null,
        };
        if (name is null)
        {
            return false;
        }

        foreach (var word in StopWords)
        {
            if (name.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly ImmutableArray<string> StopWords = ImmutableArray.Create(
        "Stop", "Dispose", "Close", "Shutdown", "ShutDown", "Terminate", "Abort", "Cancel", "Disconnect", "Exit", "Quit", "Finalize");

    /// <summary>The signals that wake a wait of this name, or null for a wait no owner signal ends.</summary>
    private static string[]? SignalsFor(string waitName) => waitName switch
    {
        "WaitOne" => new[] { "Set", "Release" },
        "Wait" => new[] { "Set", "Release", "Pulse", "PulseAll" },
        "Take" => new[] { "CompleteAdding" },
        "WaitForExit" => new[] { "Kill" },
        _ when waitName.StartsWith("Accept", StringComparison.Ordinal)
            || waitName.StartsWith("Receive", StringComparison.Ordinal)
            || waitName.StartsWith("Read", StringComparison.Ordinal)
            || waitName == "GetContext" => new[] { "Stop", "Close", "Dispose", "Shutdown", "Abort" },
        _ => null,
    };

    private static bool NamesSignal(InvocationExpressionSyntax invocation, string[] signals)
    {
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };
        return name is not null && Array.IndexOf(signals, name) >= 0;
    }

    /// <summary>The field the wait waits on: its receiver, or the monitor object of <c>Monitor.Wait(x)</c>.</summary>
    private static ISymbol? WaitedField(IInvocationOperation wait) =>
        wait.TargetMethod is { IsStatic: true, Name: "Wait", ContainingType.Name: "Monitor" }
            ? wait.Arguments.Length > 0 ? FieldOf(wait.Arguments[0].Value) : null
            : wait.Instance is { } instance ? FieldOf(instance) : null;

    private static ISymbol? SignalledField(IInvocationOperation signal) =>
        signal.TargetMethod is { IsStatic: true, Name: "Pulse" or "PulseAll", ContainingType.Name: "Monitor" }
            ? signal.Arguments.Length > 0 ? FieldOf(signal.Arguments[0].Value) : null
            : signal.Instance is { } instance ? FieldOf(instance) : null;

    private static ISymbol? FieldOf(IOperation operation) => OperationUnwrapping.WithoutConversions(operation) switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.Parameters.Length: 0 } property => property.Property,
        _ => null,
    };
}
