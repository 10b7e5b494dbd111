using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A <c>Socket</c> switched to non-blocking mode (<c>socket.Blocking = false</c>) does not wait in <c>Accept()</c> or
/// <c>Receive()</c>: the call throws a <c>SocketException</c> (WouldBlock) when nothing is ready. Found on DotNetty,
/// whose channel base class sets <c>this.Socket.Blocking = false</c> and whose server channel calls
/// <c>ch.Socket.Accept()</c>. Only asked right before a report.
/// </summary>
public static class NonBlockingSockets
{
    /// <summary>
    /// Whether the receiver of <paramref name="invocation"/>, a <c>Socket</c>, is set non-blocking: a local assigned
    /// <c>Blocking = false</c> in the same function, or a field or property that the type declaring it sets so.
    /// </summary>
    public static bool IsOnNonBlockingSocket(IInvocationOperation invocation)
    {
        if (invocation.Instance is not { } instance
            || invocation.TargetMethod.ContainingType is not { Name: "Socket", ContainingNamespace: { Name: "Sockets", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
        {
            return false;
        }

        return OperationUnwrapping.WithoutConversions(instance) switch
        {
            ILocalReferenceOperation local => FunctionSetsNonBlocking(invocation, local.Local),
            IFieldReferenceOperation field => DeclaringTypeSetsNonBlocking(field.Field),
            IPropertyReferenceOperation property => DeclaringTypeSetsNonBlocking(property.Property),
            _ => false,
        };
    }

    private static bool FunctionSetsNonBlocking(IOperation operation, ILocalSymbol local)
    {
        var root = OperationScopes.Root(operation);

        foreach (var descendant in root.Descendants())
        {
            if (descendant is ISimpleAssignmentOperation
                {
                    Target: IPropertyReferenceOperation { Property.Name: "Blocking", Instance: ILocalReferenceOperation target },
                    Value.ConstantValue: { HasValue: true, Value: false },
                }
                && SymbolEqualityComparer.Default.Equals(target.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    // Read from syntax, by name: `this.Socket.Blocking = false;` or `socket.Blocking = false;` in the declaring type.
    private static bool DeclaringTypeSetsNonBlocking(ISymbol member)
    {
        if (member.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax
                    {
                        RawKind: (int)SyntaxKind.SimpleAssignmentExpression,
                        Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Blocking", Expression: var socket },
                        Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.FalseLiteralExpression },
                    }
                    && NamesMember(socket, member.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NamesMember(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } access => access.Name.Identifier.ValueText == name,
        _ => false,
    };

    /// <summary>
    /// <c>if (_listener.Pending()) _listener.AcceptTcpClient();</c>, or a loop that polls first
    /// (<c>socket.Poll(t, SelectMode.SelectRead)</c>, <c>socket.Available &gt; 0</c>): the accept or receive runs only
    /// when something is ready, so it does not wait. The readiness check must be on the same receiver (or, for
    /// <c>client.Client.Receive(...)</c>, on the <c>TcpClient</c> that owns the socket; for <c>listener.AcceptSocket()</c>,
    /// on the listener's socket, <c>listener.Server</c>), in the loop around the call (or the function, outside a loop).
    /// </summary>
    public static bool IsGuardedByReadinessCheck(IInvocationOperation invocation)
    {
        if (invocation.Instance is not { } instance
            || !(invocation.TargetMethod.Name.StartsWith("Accept", StringComparison.Ordinal) || invocation.TargetMethod.Name.StartsWith("Receive", StringComparison.Ordinal))
            || OperationUnwrapping.ReferencedSymbol(instance) is not { } receiver)
        {
            return false;
        }

        // `c.Client.Receive(...)` under `c.Available > 0`: a TcpClient's Available is its socket's (SimpleTCP, fresh set 1).
        var clientOwner = SocketOwner(instance, "Client");

        IOperation scope = (IOperation?)BlockingSites.EnclosingLoop(invocation) ?? invocation;
        if (scope == invocation)
        {
            while (scope.Parent is not null)
            {
                scope = scope.Parent;
            }
        }

        foreach (var operation in scope.Descendants())
        {
            var (checkedInstance, isCheck) = operation switch
            {
                IInvocationOperation { TargetMethod.Name: "Pending" or "Poll", Instance: { } i } => (i, true),
                IPropertyReferenceOperation { Property.Name: "Available", Instance: { } i } => (i, true),
                _ => (null, false),
            };
            if (isCheck
                && ((OperationUnwrapping.ReferencedSymbol(checkedInstance!) is { } checkedSymbol
                        && (SymbolEqualityComparer.Default.Equals(checkedSymbol, receiver)
                            || (clientOwner is not null && SymbolEqualityComparer.Default.Equals(checkedSymbol, clientOwner))))
                    || (SocketOwner(checkedInstance!, "Server") is { } listener && SymbolEqualityComparer.Default.Equals(listener, receiver))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The object whose socket <paramref name="operation"/> reads: <c>client</c> for <c>client.Client</c> of a
    /// <c>TcpClient</c> / <c>UdpClient</c> (<paramref name="property"/> <c>Client</c>), <c>listener</c> for
    /// <c>listener.Server</c> of a <c>TcpListener</c> (<c>Server</c>: <c>listener.Server.Poll(t, SelectMode.SelectRead)</c>
    /// tells that <c>listener.AcceptSocket()</c> has a connection waiting; fresh set 11, OpenRA's server).
    /// </summary>
    private static ISymbol? SocketOwner(IOperation operation, string property) =>
        OperationUnwrapping.WithoutConversions(operation) is IPropertyReferenceOperation { Instance: { } owner } socket
            && socket.Property.Name == property
            && socket.Property.ContainingType is { ContainingNamespace: { Name: "Sockets", ContainingNamespace: { Name: "Net", ContainingNamespace.Name: "System" } } } declaring
            && (property, declaring.Name) is ("Client", "TcpClient" or "UdpClient") or ("Server", "TcpListener")
                ? OperationUnwrapping.ReferencedSymbol(owner)
                : null;
}
