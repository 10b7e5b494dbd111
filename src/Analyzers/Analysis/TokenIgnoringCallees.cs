using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call of a source method whose token would change nothing: an async method (not virtual) that awaits nothing but
/// <c>Task.CompletedTask</c> and never reads its token, or only hands it to a method of the compilation that never reads
/// its own (Papercut-SMTP's IPComm server, whose <c>StopAsync(token = default)</c> closes a socket synchronously;
/// fresh set 7). Read from the callee's syntax; asked only for a call about to be reported.
/// </summary>
public static class TokenIgnoringCallees
{
    public static bool Applies(BlockingCall call, SemanticModel? model, CancellationToken cancellationToken)
    {
        var (method, parameter) = call.OmittedTokenParameter is { } omitted
            ? (call.Method, omitted)
            : call.Api is null && call.TokenOverload is { Parameters.IsEmpty: false } overload
                ? (overload, overload.Parameters[overload.Parameters.Length - 1])
                : (null, null);
        if (method is null || parameter is null || model is null
            || !method.IsAsync
            || method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed)
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration
            || ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is not { } body)
        {
            return false;
        }

        return AwaitsOnlyCompletedTasks(body) && IgnoresParameter(body, parameter.Name, model, cancellationToken, followCalls: true);
    }

    private static bool AwaitsOnlyCompletedTasks(SyntaxNode body)
    {
        foreach (var token in body.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.AwaitKeyword)
                && !(token.Parent is AwaitExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask", Expression: IdentifierNameSyntax { Identifier.ValueText: "Task" } } }))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The body never reads the parameter, or (one call deep) only passes it to a non-virtual method of the compilation
    /// whose body never reads the parameter it lands in.
    /// </summary>
    private static bool IgnoresParameter(SyntaxNode body, string name, SemanticModel model, CancellationToken cancellationToken, bool followCalls)
    {
        if (IdentifierSearch.Find(body, ImmutableArray.Create(name)) is not { } uses)
        {
            return true;
        }

        if (!followCalls)
        {
            return false;
        }

        var treeModel = body.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(body.SyntaxTree);
        foreach (var use in uses)
        {
            if (use.Parent is not ArgumentSyntax { RefKindKeyword.RawKind: 0, Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } } argument
                || treeModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol callee
                || callee.IsVirtual || callee.IsAbstract || callee.IsOverride
                || callee.DeclaringSyntaxReferences.Length != 1
                || callee.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax calleeDeclaration
                || ((SyntaxNode?)calleeDeclaration.Body ?? calleeDeclaration.ExpressionBody) is not { } calleeBody
                || ParameterOf(argument, invocation, callee) is not { } target
                || !IgnoresParameter(calleeBody, target.Name, model, cancellationToken, followCalls: false))
            {
                return false;
            }
        }

        return true;
    }

    private static IParameterSymbol? ParameterOf(ArgumentSyntax argument, InvocationExpressionSyntax invocation, IMethodSymbol callee)
    {
        if (argument.NameColon is { } named)
        {
            foreach (var parameter in callee.Parameters)
            {
                if (parameter.Name == named.Name.Identifier.ValueText)
                {
                    return parameter;
                }
            }

            return null;
        }

        var index = invocation.ArgumentList.Arguments.IndexOf(argument);
        return index >= 0 && index < callee.Parameters.Length && !callee.Parameters[index].IsParams ? callee.Parameters[index] : null;
    }
}
