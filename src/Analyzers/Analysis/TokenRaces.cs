using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call whose task the function races in <c>Task.WhenAny</c> against a task that ends on the token (<c>var close =
/// Task.Delay(-1, token); … var receive = udp.ReceiveAsync(); if (await Task.WhenAny(close, receive) == close)
/// break;</c>): what the function waits for is the race, and cancelling ends it; the call itself is only one arm (Discord.Net's
/// UDP receive loop, fresh set 9; silverback's races on fresh set 5). The other arm is a call given a token in scope, or a
/// local every value of which is one. Asked only right before a report.
/// </summary>
public static class TokenRaces
{
    public static bool IsRacedAgainstToken(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        if (types.Task is null || tokens.IsEmpty)
        {
            return false;
        }

        var held = HoldingLocal(invocation);
        var function = OperationScopes.EnclosingFunction(invocation);
        foreach (var operation in function.Descendants())
        {
            if (operation is not IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny } race
                || !SymbolEqualityComparer.Default.Equals(whenAny.ContainingType, types.Task))
            {
                continue;
            }

            var arms = Arms(race);
            var includesCall = false;
            var endsOnToken = false;
            foreach (var arm in arms)
            {
                if (arm == invocation || (held is not null && arm is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, held)))
                {
                    includesCall = true;
                }
                else if (EndsOnToken(arm, function, tokens))
                {
                    endsOnToken = true;
                }
            }

            if (includesCall && endsOnToken)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The local the call's task is stored in (<c>var receive = udp.ReceiveAsync();</c>, or assigned to it).</summary>
    private static ILocalSymbol? HoldingLocal(IInvocationOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
    }

    /// <summary>The tasks raced, a <c>params</c> array's elements included, without conversions.</summary>
    private static List<IOperation> Arms(IInvocationOperation race)
    {
        var arms = new List<IOperation>();
        foreach (var argument in race.Arguments)
        {
            var value = OperationUnwrapping.WithoutConversions(argument.Value);
            if (value is IArrayCreationOperation { Initializer: { } elements })
            {
                foreach (var element in elements.ElementValues)
                {
                    arms.Add(OperationUnwrapping.WithoutConversions(element));
                }
            }
            else
            {
                arms.Add(value);
            }
        }

        return arms;
    }

    private static bool EndsOnToken(IOperation arm, IOperation function, ImmutableArray<TokenInScope> tokens)
    {
        if (arm is IInvocationOperation call)
        {
            return IsGivenToken(call, tokens);
        }

        if (arm is not ILocalReferenceOperation { Local: var local })
        {
            return false;
        }

        var given = false;
        foreach (var operation in function.Descendants())
        {
            var value = LocalValues.GivenBy(operation, local);
            if (value is null)
            {
                continue;
            }

            if (OperationUnwrapping.WithoutConversions(value) is not IInvocationOperation assigned || !IsGivenToken(assigned, tokens))
            {
                return false;
            }

            given = true;
        }

        return given;
    }

    /// <summary>A call with an argument that reads a token in scope (or its source's <c>Token</c>).</summary>
    private static bool IsGivenToken(IInvocationOperation call, ImmutableArray<TokenInScope> tokens)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var value = OperationUnwrapping.WithoutConversions(argument.Value);
            if (value is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source })
            {
                value = source;
            }

            var symbol = OperationUnwrapping.ReferencedSymbol(value);
            foreach (var token in tokens)
            {
                if (symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, token.Symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
