using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A read of the body of a request this process sends: <c>request.Content.ReadAsStringAsync()</c> (or
/// <c>ReadAsByteArrayAsync</c>, <c>ReadAsStreamAsync</c>, <c>LoadIntoBufferAsync</c>, or <c>CopyToAsync</c> into a memory
/// or file stream) on an <c>HttpRequestMessage</c> parameter of a method of an <c>HttpClient</c> message handler (its
/// <c>SendAsync</c>, or a helper it hands the request to). The content was made by the caller (a string, bytes, a form, a local file) before the send, so reading it waits on no
/// other party (a logging handler, a test handler; sipsorcery and Telegram.Bot, fresh sets 2 and 9). Where ASP.NET Web
/// API is referenced, requests also come in as <c>HttpRequestMessage</c> with a body still on the network, so nothing is
/// assumed there. Asked only right before a report.
/// </summary>
public static class SentRequestContent
{
    public static bool IsReadOfSentContent(IInvocationOperation invocation, KnownTypes types)
    {
        if (invocation.TargetMethod is not { Name: "ReadAsStringAsync" or "ReadAsByteArrayAsync" or "ReadAsStreamAsync" or "LoadIntoBufferAsync" or "CopyToAsync" } method
            || !IsHttpType(method.ContainingType, "HttpContent")
            || invocation.Instance is null
            || OperationUnwrapping.WithoutConversions(invocation.Instance) is not IPropertyReferenceOperation { Property.Name: "Content", Instance: { } holder }
            || OperationUnwrapping.WithoutConversions(holder) is not IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol handler } request }
            || !IsHttpType(request.Type as INamedTypeSymbol, "HttpRequestMessage")
            || !IsHttpType(handler.ContainingType, "HttpMessageHandler"))
        {
            return false;
        }

        if (method.Name == "CopyToAsync"
            && (invocation.Arguments.IsEmpty || !LocalDataStreams.IsLocalData(invocation.Arguments[0].Value)))
        {
            return false;
        }

        return types.WebApiController is null;
    }

    private static bool IsHttpType(INamedTypeSymbol? type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == name
                && current.ContainingNamespace is { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
            {
                return true;
            }
        }

        return false;
    }
}
