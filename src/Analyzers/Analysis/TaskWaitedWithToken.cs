using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call whose task (or sequence) is then waited for, or enumerated, with a token: the token reaches the wait, so the
/// call itself is not the wait to report.
/// <list type="bullet">
/// <item><c>reader.ReadAllAsync().GetAsyncEnumerator(token)</c>, <c>source.ReadAllAsync().WithCancellation(token)</c>
/// (StackExchange.Redis); <c>await client.ConnectAsync(host, port).WaitAsync(token)</c> (nats.net, fresh set 2).</item>
/// <item>The task kept in a local and waited with the token further down: <c>var ret = WaitAsync(); if
/// (ret.IsCompleted) return; ret.WaitAndUnwrapException(token);</c> (Foundatio's copy of AsyncEx, fresh set 4). Not
/// when the function also awaits or waits for the local without a token.</item>
/// </list>
/// </summary>
public static class TaskWaitedWithToken
{
    public static bool Applies(IInvocationOperation invocation, KnownTypes types) =>
        ResultGetsTheToken(invocation, types) || LocalWaitedWithToken(invocation, types);

    private static bool ResultGetsTheToken(IInvocationOperation invocation, KnownTypes types)
    {
        IOperation value = invocation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation or IArgumentOperation { ArgumentKind: ArgumentKind.Explicit })
        {
            if (value.Parent is IArgumentOperation { Parent: IInvocationOperation extension } argument
                && extension.TargetMethod.IsExtensionMethod
                && extension.Arguments.Length > 0
                && extension.Arguments[0] == argument)
            {
                return IsWaitWithToken(extension, types);
            }

            value = value.Parent;
        }

        return value.Parent is IInvocationOperation outer && outer.Instance == value && IsWaitWithToken(outer, types);
    }

    private static bool LocalWaitedWithToken(IInvocationOperation invocation, KnownTypes types)
    {
        IOperation value = invocation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } })
        {
            return false;
        }

        var waitedWithToken = false;
        foreach (var operation in OperationScopes.EnclosingFunction(invocation).Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            IOperation use = reference;
            while (use.Parent is IConversionOperation or IParenthesizedOperation)
            {
                use = use.Parent;
            }

            switch (use.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == use:
                case IAwaitOperation:
                    return false;
                case IInvocationOperation call when call.Instance == use:
                    if (call.TargetMethod.Name.StartsWith("Wait", StringComparison.Ordinal) || call.TargetMethod.Name == "GetAwaiter")
                    {
                        if (!IsWaitWithToken(call, types))
                        {
                            return false;
                        }

                        waitedWithToken = true;
                    }

                    break;
                case IArgumentOperation { Parent: IInvocationOperation extension } argument
                    when extension.TargetMethod.IsExtensionMethod && extension.Arguments.Length > 0 && extension.Arguments[0] == argument:
                    if (extension.TargetMethod.Name.StartsWith("Wait", StringComparison.Ordinal))
                    {
                        if (!IsWaitWithToken(extension, types))
                        {
                            return false;
                        }

                        waitedWithToken = true;
                    }

                    break;
            }
        }

        return waitedWithToken;
    }

    /// <summary>A wait (<c>Wait…</c>) or an enumeration (<c>GetAsyncEnumerator</c>, <c>WithCancellation</c>) given a token explicitly.</summary>
    private static bool IsWaitWithToken(IInvocationOperation call, KnownTypes types)
    {
        var name = call.TargetMethod.Name;
        if (!(name is "GetAsyncEnumerator" or "WithCancellation" || name.StartsWith("Wait", StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var argument in call.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Value.Type, types.CancellationToken)
                && argument.ArgumentKind == ArgumentKind.Explicit
                && TokenObservation.IsObservingUse(argument.Value, types))
            {
                return true;
            }
        }

        return false;
    }
}
