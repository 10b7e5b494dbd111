using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A <c>Socket.Receive…()</c> on a socket given a receive timeout (<c>socket.ReceiveTimeout = 4000</c>) does not wait
/// forever: it throws a <c>SocketException</c> (TimedOut) when nothing comes in time. The socket is recognised by how
/// the code names it, read from syntax: a local or a field/property of the type assigned a timeout in the type, or the
/// socket of a <c>TcpClient</c> (<c>request.Client.Client.Receive(...)</c>) when the type gives the sockets of its
/// clients a timeout (<c>var socket = client.Client; socket.ReceiveTimeout = 4000;</c> in the accept callback). Found on
/// iSpy's local server (fresh set 5). A timeout of 0 or -1 (infinite) does not count.
/// Only asked right before a report.
/// </summary>
public static class TimedOutSockets
{
    private static readonly ImmutableArray<string> TimeoutWords = ImmutableArray.Create("ReceiveTimeout");

    /// <summary>Whether the receiver of a <c>Socket.Receive…</c> call is a socket the waiting type gives a receive timeout.</summary>
    public static bool IsOnSocketWithReceiveTimeout(IInvocationOperation invocation, ISymbol containingSymbol)
    {
        if (!invocation.TargetMethod.Name.StartsWith("Receive", StringComparison.Ordinal)
            || invocation.Instance is not { } instance
            || invocation.TargetMethod.ContainingType is not { Name: "Socket", ContainingNamespace: { Name: "Sockets", ContainingNamespace: { Name: "Net", ContainingNamespace.Name: "System" } } }
            || containingSymbol.ContainingType is not { } type)
        {
            return false;
        }

        var receiver = OperationUnwrapping.WithoutConversions(instance);
        var clientSocket = receiver is IPropertyReferenceOperation { Property: { Name: "Client", ContainingType.Name: "TcpClient" } };
        var name = clientSocket ? null : receiver switch
        {
            ILocalReferenceOperation local => local.Local.Name,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field.Name,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property => property.Property.Name,
            _ => null,
        };
        if (name is null && !clientSocket)
        {
            return false;
        }

        // A local is looked for in its own function only; a member or a client's socket in the whole type.
        var scopes = receiver is ILocalReferenceOperation
            ? new[] { OperationScopes.Root(invocation).Syntax }
            : type.DeclaringSyntaxReferences.Select(reference => reference.GetSyntax());
        foreach (var declaration in scopes)
        {
            if (!SourceTextSearch.ContainsAny(declaration.SyntaxTree.GetText(), declaration.Span, TimeoutWords))
            {
                continue;
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax
                    {
                        RawKind: (int)SyntaxKind.SimpleAssignmentExpression,
                        Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ReceiveTimeout", Expression: var socket },
                    } assignment
                    && IsFinite(assignment.Right)
                    && (name is not null ? WriteSyntax.NamesMember(socket, name) : IsClientSocket(socket)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>client.Client</c>, or a local initialized with it (<c>var socket = client.Client;</c>).</summary>
    private static bool IsClientSocket(ExpressionSyntax expression)
    {
        if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Client" })
        {
            return true;
        }

        if (expression is not IdentifierNameSyntax identifier
            || expression.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) is not { } function)
        {
            return false;
        }

        foreach (var node in function.DescendantNodes())
        {
            if (node is VariableDeclaratorSyntax { Initializer.Value: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Client" } } declarator
                && declarator.Identifier.ValueText == identifier.Identifier.ValueText)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Not <c>0</c>, <c>-1</c> or <c>Timeout.Infinite</c> (through <c>a.ReceiveTimeout = a.SendTimeout = 4000</c>).</summary>
    private static bool IsFinite(ExpressionSyntax value)
    {
        while (value is AssignmentExpressionSyntax chained)
        {
            value = chained.Right;
        }

        return value switch
        {
            LiteralExpressionSyntax { Token.Value: int milliseconds } => milliseconds > 0,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } => false,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Infinite" } => false,
            _ => true,
        };
    }
}
