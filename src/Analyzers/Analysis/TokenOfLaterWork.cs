using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A token source the function creates right before the call and hands out only after it, to work it starts then
/// (<c>_cts = new CancellationTokenSource(); await transport.ConnectAsync(); _reader = ReadAsync(_cts.Token);</c>): the
/// source is the lifetime of that later work, and the call, made before any of it exists, is not part of it (hivemq's
/// connect on fresh set 3). A source whose token is used between its creation and the call, a call in a loop, or a
/// deadline (<c>new CancellationTokenSource(TimeSpan.FromSeconds(1))</c>: its time runs from its creation, so it bounds
/// the call too; nats.net's tests, fresh set 2) keeps the token. Asked only right before a report.
/// </summary>
public static class TokenOfLaterWork
{
    /// <summary><paramref name="tokens"/> without the sources created before the call and first used after it.</summary>
    public static ImmutableArray<TokenInScope> Without(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens)
    {
        if (BlockingSites.EnclosingLoop(invocation) is not null)
        {
            return tokens;
        }

        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => IsForLaterWork(invocation, t));
    }

    private static bool IsForLaterWork(IInvocationOperation invocation, TokenInScope token)
    {
        if (!token.IsSource || token.Symbol is not (IFieldSymbol or ILocalSymbol))
        {
            return false;
        }

        var call = invocation.Syntax.Span;
        var created = -1;
        var usedAfter = false;
        foreach (var operation in OperationScopes.EnclosingFunction(invocation).Descendants())
        {
            IOperation? createdValue = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, token.Symbol) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation assignment when IsReferenceTo(assignment.Target, token.Symbol) => assignment.Value,
                _ => null,
            };
            if (createdValue is not null)
            {
                if (operation.Syntax.SpanStart < call.Start)
                {
                    if (OperationUnwrapping.WithoutConversions(createdValue) is not IObjectCreationOperation { Arguments.IsEmpty: true })
                    {
                        return false;
                    }

                    created = operation.Syntax.Span.End;
                }

                continue;
            }

            if (!IsReferenceTo(operation, token.Symbol) || operation.Parent is ISimpleAssignmentOperation { Target: var target } && target == operation)
            {
                continue;
            }

            var start = operation.Syntax.SpanStart;
            if (start >= call.End)
            {
                usedAfter = true;
            }
            else if (created >= 0 && start >= created && !call.Contains(start))
            {
                return false;
            }
        }

        return created >= 0 && usedAfter;
    }

    private static bool IsReferenceTo(IOperation operation, ISymbol symbol) => operation switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
        _ => false,
    };
}
