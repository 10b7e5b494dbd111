using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Captured tokens of another lifetime: the call is in an async lambda handed to a registration, a call that cannot
/// give its task back (it returns nothing, or a builder that is dropped or returned from another such lambda:
/// <c>jobs.AddOrUpdate("job", j =&gt; j.CronSchedule("* * * * *").JobAction(async () =&gt; { await Task.Delay(1000); }))</c>).
/// The lambda runs later, on the registrar's schedule, long after the function whose token it captures may have
/// returned; a lambda that does not use that token itself has nothing to do with it (Foundatio's hosting sample,
/// fresh set 4). A mock's behaviour (<see cref="MockBehaviours"/>, async or not) is registered the same way. An event
/// handler is not: the pauses and calls of handlers subscribed while the function runs (an incoming call's answer, a
/// consumer's publish) are the function's work, judged correct on fresh set 2. A lambda whose task comes back
/// (<c>Task.Run</c>, <c>Select</c> then <c>WhenAll</c>) or that reads the token keeps it. Asked only right before a
/// report.
/// </summary>
public static class RegisteredCallbacks
{
    /// <summary><paramref name="tokens"/> without the captured ones that a registered callback around the call does not use.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        if (tokens.IsEmpty || !HasCapturedToken(tokens))
        {
            return tokens;
        }

        for (var lambda = BlockingSites.EnclosingLambda(operation); lambda is not null; lambda = BlockingSites.EnclosingLambda(lambda))
        {
            if (!MockBehaviours.IsMockBehaviour(lambda)
                && (lambda.Symbol is not { IsAsync: true } symbol || !BlockingExemptions.IsTaskLike(symbol.ReturnType, types) || !IsRegistered(lambda, types)))
            {
                continue;
            }

            var span = lambda.Syntax.Span;
            tokens = tokens.RemoveAll(token => token.IsCaptured
                && !DeclaredWithin(token.Symbol, span)
                && !TokenObservation.Observes(lambda.Body, token.Symbol, types));
        }

        return tokens;
    }

    private static bool HasCapturedToken(ImmutableArray<TokenInScope> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.IsCaptured)
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaredWithin(ISymbol symbol, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambda goes into calls whose results are dropped, directly or through the builder lambdas that return them.</summary>
    private static bool IsRegistered(IAnonymousFunctionOperation lambda, KnownTypes types)
    {
        IOperation node = lambda;
        while (true)
        {
            while (node.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                node = node.Parent;
            }

            if (node.Parent is not IArgumentOperation { Parent: IInvocationOperation call } || BlockingExemptions.IsTaskLike(call.Type, types))
            {
                return false;
            }

            IOperation result = call;
            while (result.Parent is IInvocationOperation outer && outer.Instance == result && !BlockingExemptions.IsTaskLike(outer.Type, types))
            {
                result = outer;
            }

            switch (result.Parent)
            {
                case IExpressionStatementOperation:
                    return true;
                case IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation builder } }:
                    node = builder;
                    continue;
                default:
                    return false;
            }
        }
    }
}
