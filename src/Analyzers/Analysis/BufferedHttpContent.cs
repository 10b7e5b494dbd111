using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// <c>await response.Content.ReadAsStringAsync()</c> where <c>response</c> came from an <c>HttpClient</c> call made
/// without <c>HttpCompletionOption.ResponseHeadersRead</c>: that call already read the whole body into memory (and
/// took the token), so reading it again waits for nothing on the network. The call may be made inside a lambda of the
/// same function that a pipeline runs (<see cref="IsRunOfBufferingDelegate"/>). <c>ReadAsStreamAsync</c> never reads the
/// body: after any client or handler send it only hands back the buffer or the connection's stream.
/// </summary>
public static class BufferedHttpContent
{
    public static bool IsReadOfBufferedContent(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod is not { Name: "ReadAsStringAsync" or "ReadAsByteArrayAsync" or "ReadAsStreamAsync" } method
            || !IsType(method.ContainingType, "HttpContent")
            || invocation.Instance is null
            || OperationUnwrapping.WithoutConversions(invocation.Instance) is not IPropertyReferenceOperation { Property.Name: "Content", Instance: { } holder }
            || OperationUnwrapping.WithoutConversions(holder) is not ILocalReferenceOperation { Local: var response })
        {
            return false;
        }

        var root = OperationScopes.Root(invocation);

        var assigned = false;
        foreach (var operation in root.Descendants())
        {
            var value = LocalValues.GivenBy(operation, response);
            // `HttpResponseMessage res = null;` before a retry loop assigns it (sipsorcery, fresh set 2): no content to read.
            if (value is null || OperationUnwrapping.WithoutConversions(value).ConstantValue is { HasValue: true, Value: null })
            {
                continue;
            }

            if (!IsBufferingClientCall(value) && !IsRunOfBufferingDelegate(value) && !(method.Name == "ReadAsStreamAsync" && (IsHandlerCall(value) || IsClientCall(value))))
            {
                return false;
            }

            assigned = true;
        }

        return assigned;
    }

    /// <summary>
    /// <c>await base.SendAsync(request, token)</c> in a <c>DelegatingHandler</c> (or any message handler's
    /// <c>SendAsync</c>): it returns once the headers are read, with the body as the connection's stream, which
    /// <c>ReadAsStreamAsync</c> only hands back (prometheus-net's response-duration handler, fresh set 4).
    /// </summary>
    private static bool IsHandlerCall(IOperation value) =>
        AwaitedCall(value) is { TargetMethod: { Name: "SendAsync" } method } && IsType(method.ContainingType, "HttpMessageHandler");

    /// <summary>
    /// Any <c>HttpClient</c> send, also with <c>HttpCompletionOption.ResponseHeadersRead</c>: the response comes back once
    /// the headers are read, with the body as the connection's stream, which <c>ReadAsStreamAsync</c> only hands back
    /// (the reads of that stream are the waits; NetSparkle's downloader, fresh set 8).
    /// </summary>
    private static bool IsClientCall(IOperation value) =>
        AwaitedCall(value) is { TargetMethod: { Name: "GetAsync" or "PostAsync" or "PutAsync" or "PatchAsync" or "DeleteAsync" or "SendAsync" } method }
        && IsType(method.ContainingType, "HttpClient");

    private static IInvocationOperation? AwaitedCall(IOperation value) => AwaitedOperation(value) as IInvocationOperation;

    private static IOperation AwaitedOperation(IOperation value)
    {
        value = OperationUnwrapping.WithoutConversions(value);
        if (value is IAwaitOperation await)
        {
            value = OperationUnwrapping.WithoutConversions(await.Operation);
        }

        if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            value = OperationUnwrapping.WithoutConversions(configured);
        }

        return value;
    }

    /// <summary>
    /// <c>await pipeline.ExecuteAsync(async _ =&gt; await client.SendAsync(req, HttpCompletionOption.ResponseContentRead,
    /// token))</c>: a call that runs a lambda of the same function (a retry or resilience pipeline) and gives back what it
    /// returns, when every value the lambda returns is a buffering client call (DSharpPlus' REST client, fresh set 6).
    /// </summary>
    private static bool IsRunOfBufferingDelegate(IOperation value)
    {
        // The pipeline's call may not bind when its library is missing from the references (an invalid operation whose
        // children are the arguments as written).
        var run = AwaitedOperation(value);
        if (run is not (IInvocationOperation or IInvalidOperation))
        {
            return false;
        }

        foreach (var child in run.ChildOperations)
        {
            var delegateValue = OperationUnwrapping.WithoutConversions(child is IArgumentOperation argument ? argument.Value : child);
            if (delegateValue is IDelegateCreationOperation creation)
            {
                delegateValue = OperationUnwrapping.WithoutConversions(creation.Target);
            }

            if (delegateValue is IAnonymousFunctionOperation lambda && ReturnsOnlyBufferingCalls(lambda))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReturnsOnlyBufferingCalls(IAnonymousFunctionOperation lambda)
    {
        var any = false;
        foreach (var operation in lambda.Body.Descendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned } && OperationScopes.EnclosingFunction(operation) == lambda)
            {
                if (!IsBufferingClientCall(returned))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private static bool IsBufferingClientCall(IOperation value)
    {
        value = (IOperation?)AwaitedCall(value) ?? value;
        if (value is not IInvocationOperation { TargetMethod: { Name: "GetAsync" or "PostAsync" or "PutAsync" or "PatchAsync" or "DeleteAsync" or "SendAsync" } method } call
            || !IsType(method.ContainingType, "HttpClient"))
        {
            return false;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Value.Type is { Name: "HttpCompletionOption" }
                && !(argument.Value.ConstantValue is { HasValue: true, Value: 0 }))
            {
                // ResponseHeadersRead (1), or a value that cannot be read: the body may still be on the network.
                return false;
            }
        }

        return true;
    }

    private static bool IsType(INamedTypeSymbol? type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == name && current.ContainingNamespace?.ToDisplayString() == "System.Net.Http")
            {
                return true;
            }
        }

        return false;
    }
}
