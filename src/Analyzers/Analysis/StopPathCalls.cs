using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The signals the stop path sends through a method of its own type that it calls, one level down (or two, when the
/// first only forwards to another):
/// <c>Dispose() { Enqueue(null); }</c> where <c>Enqueue</c> does <c>_queue.Enqueue(item); _ready.Set();</c> (the loop
/// leaves on the null item). The <c>Set()</c> in <c>Enqueue</c> alone wakes the consumer only when work comes; called
/// from <c>Dispose</c> it is how the owner ends the wait. Found on TShock's save queue and 32feet's Widcomm
/// single-threader (fresh set 5). Part of the <see cref="StopModel"/>'s collection; only signal-named calls in the
/// called method are bound.
/// </summary>
internal static class StopPathCalls
{
    /// <summary>The one own call a body consists of: <c>=&gt; Other(x)</c> or <c>{ Other(x); }</c>.</summary>
    private static InvocationExpressionSyntax? ForwardedCall(SyntaxNode body)
    {
        var expression = body switch
        {
            ArrowExpressionClauseSyntax arrow => arrow.Expression,
            BlockSyntax { Statements.Count: 1 } block when block.Statements[0] is ExpressionStatementSyntax statement => statement.Expression,
            _ => null,
        };
        return expression is InvocationExpressionSyntax invocation && IsOwnCall(invocation) ? invocation : null;
    }

    /// <summary>A call written on the type's own instance (<c>Enqueue(x)</c>, <c>this.Enqueue(x)</c>), read from syntax.</summary>
    public static bool IsOwnCall(InvocationExpressionSyntax invocation) =>
        invocation.Expression is SimpleNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax };

    /// <summary>
    /// The signals (<see cref="StopPath.IsSignalName"/>) that the method <paramref name="call"/> runs sends to fields of
    /// <paramref name="type"/> (or to members of objects its fields hold, with the field as owner), when it is a source
    /// method of that type; for the stop model (<paramref name="skipStopNamed"/>), not one itself named for stopping
    /// (those are on the stop path already).
    /// </summary>
    public static IEnumerable<(ISymbol Field, ISymbol? Owner, string Name)> SignalsOf(IInvocationOperation call, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken, bool skipStopNamed = true) =>
        SignalsOf(call, type, model, cancellationToken, skipStopNamed, forwards: 1);

    private static IEnumerable<(ISymbol Field, ISymbol? Owner, string Name)> SignalsOf(IInvocationOperation call, INamedTypeSymbol type, SemanticModel model, CancellationToken cancellationToken, bool skipStopNamed, int forwards)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (call.Instance is not (null or IInstanceReferenceOperation)
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, type)
            || (skipStopNamed && StopPath.IsStopName(method.Name))
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not BaseMethodDeclarationSyntax declaration
            || ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is not { } body
            || !model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            yield break;
        }

        SemanticModel? treeModel = null;

        // A method that only hands its work to another of the type (`Enqueue(x) => EnqueueAll(new[] { x });`, MapCruncher's
        // tile queue, fresh set 6) sends what that one sends: followed once.
        if (forwards > 0 && ForwardedCall(body) is { } forwarded)
        {
            treeModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            if (treeModel.GetOperation(forwarded, cancellationToken) is IInvocationOperation next)
            {
                foreach (var signal in SignalsOf(next, type, treeModel, cancellationToken, skipStopNamed, forwards - 1))
                {
                    yield return signal;
                }
            }

            yield break;
        }

        foreach (var node in body.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax invocation
                || RightmostName.Of(invocation.Expression) is not { } name
                || !StopPath.IsSignalName(name))
            {
                continue;
            }

            treeModel ??= declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            if (treeModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation signal)
            {
                continue;
            }

            if (StopPath.SignalledField(signal) is { } field)
            {
                yield return (field, null, signal.TargetMethod.Name);
            }
            else if (StopPath.SignalledMemberOfField(signal, out var owner) is { } member)
            {
                yield return (member, owner, signal.TargetMethod.Name);
            }
        }
    }
}
