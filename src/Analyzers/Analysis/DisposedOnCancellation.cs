using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait that cancelling a token already ends, by disposing, closing or killing the object waited on:
/// <c>using var registration = token.Register(process.Kill); process.WaitForExit();</c>, or
/// <c>token.Register(() =&gt; client.Dispose())</c> then <c>await client.ReceiveAsync()</c>, which throws once the client
/// is disposed (fresh set 6: monotorrent, MySqlConnector), or <c>token.Register(() =&gt; client.CancelPendingRequests())</c>
/// around <c>await client.GetStringAsync(url)</c> (NetSparkle, fresh set 8). The object may be the call's receiver, the object a local
/// receiver was taken from (<c>var stream = client.GetStream()</c>), or a parameter of a private method whose every call
/// in the type passes an object its caller registers so (<c>using (token.Register(() =&gt; udp.Dispose()))
/// await ReceiveAsync(udp, token);</c>). The registration is looked for in the member that holds the call, found
/// through the text. Asked only right before a report.
/// </summary>
public static class DisposedOnCancellation
{
    private static readonly ImmutableArray<string> RegisterNames = ImmutableArray.Create("Register", "UnsafeRegister");

    /// <summary>Whether a token's registration in the same member disposes, closes or kills what <paramref name="invocation"/> waits on.</summary>
    public static bool EndsTheWait(IInvocationOperation invocation, KnownTypes types, CancellationToken cancellationToken)
    {
        if (invocation.Instance is not { } instance
            || invocation.SemanticModel is not { } model
            || types.CancellationToken is not { } tokenType
            || ReferencedSymbol(instance) is not { } waited)
        {
            return false;
        }

        var member = MemberOf(invocation.Syntax);
        if (member is null)
        {
            return false;
        }

        var disposed = DisposedByRegistrations(member, model, tokenType, cancellationToken);
        if (disposed is not null && (disposed.Contains(waited) || (SourceOf(waited, model) is { } source && disposed.Contains(source))))
        {
            return true;
        }

        var parameter = waited as IParameterSymbol ?? SourceOf(waited, model) as IParameterSymbol;
        return parameter is not null && EveryCallerPassesARegisteredObject(parameter, model, tokenType, cancellationToken);
    }

    /// <summary>The local, parameter, or field or property of this instance, that an expression names.</summary>
    private static ISymbol? ReferencedSymbol(IOperation value) =>
        OperationUnwrapping.WithoutConversions(value) is IMemberReferenceOperation { Instance: not (null or IInstanceReferenceOperation) }
            ? null
            : OperationUnwrapping.ReferencedSymbol(value)?.OriginalDefinition;

    /// <summary>For a local initialized from a member of another object (<c>client.GetStream()</c>, <c>udp.Client</c>), that object.</summary>
    private static ISymbol? SourceOf(ISymbol waited, SemanticModel model)
    {
        if (waited is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initial }
            || initial.SyntaxTree != model.SyntaxTree
            || model.GetOperation(initial) is not { } value)
        {
            return null;
        }

        return OperationUnwrapping.WithoutConversions(value) switch
        {
            IInvocationOperation { Instance: { } owner } => ReferencedSymbol(owner),
            IPropertyReferenceOperation { Instance: { } owner } => ReferencedSymbol(owner),
            _ => null,
        };
    }

    /// <summary>The method, accessor, constructor or local function declaration that holds a node (lambdas included).</summary>
    private static SyntaxNode? MemberOf(SyntaxNode node) =>
        node.FirstAncestorOrSelf<SyntaxNode>(static n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);

    /// <summary>The objects that the <c>Register</c> calls on a token inside <paramref name="member"/> dispose, close or kill.</summary>
    private static HashSet<ISymbol>? DisposedByRegistrations(SyntaxNode member, SemanticModel model, INamedTypeSymbol tokenType, CancellationToken cancellationToken)
    {
        HashSet<ISymbol>? disposed = null;
        foreach (var name in IdentifierSearch.Find(member, RegisterNames) ?? new List<IdentifierNameSyntax>())
        {
            if (name.Parent is not MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } access
                || access.Name != name
                || call.SyntaxTree != model.SyntaxTree
                || model.GetOperation(call, cancellationToken) is not IInvocationOperation { Arguments.Length: > 0 } registration
                || !SymbolEqualityComparer.Default.Equals(registration.TargetMethod.ContainingType, tokenType))
            {
                continue;
            }

            var callback = OperationUnwrapping.WithoutConversions(registration.Arguments[0].Value);
            if (callback is IDelegateCreationOperation creation)
            {
                callback = creation.Target;
            }

            switch (callback)
            {
                case IMethodReferenceOperation { Instance: { } target } reference when IsEndingName(reference.Method.Name):
                    Add(ref disposed, ReferencedSymbol(target));
                    break;
                case IAnonymousFunctionOperation lambda:
                    foreach (var operation in lambda.Body.Descendants())
                    {
                        if (operation is IInvocationOperation { Instance: { } target } ending && IsEndingName(ending.TargetMethod.Name))
                        {
                            Add(ref disposed, ReferencedSymbol(target));
                        }
                    }

                    break;
            }
        }

        return disposed;
    }

    private static bool IsEndingName(string name) => name is "Dispose" or "DisposeAsync" or "Close" or "Kill" or "Stop" or "Shutdown" or "Abort" or "CancelPendingRequests";

    private static void Add(ref HashSet<ISymbol>? set, ISymbol? symbol)
    {
        if (symbol is not null)
        {
            (set ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default)).Add(symbol);
        }
    }

    /// <summary>
    /// Whether <paramref name="parameter"/> belongs to a private method of a type in source, called at least once in the
    /// type, and every call passes for it a local, parameter or field that the calling member registers for disposal.
    /// </summary>
    private static bool EveryCallerPassesARegisteredObject(IParameterSymbol parameter, SemanticModel model, INamedTypeSymbol tokenType, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary, IsGenericMethod: false } method
            || method.ContainingType is not { } type)
        {
            return false;
        }

        var calls = 0;
        var names = ImmutableArray.Create(method.Name);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return false;
            }

            var treeModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var name in IdentifierSearch.Find(declaration, names) ?? new List<IdentifierNameSyntax>())
            {
                // Anything but a call of the method (a method group handed elsewhere) leaves callers out of sight.
                SyntaxNode callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (callee.Parent is not InvocationExpressionSyntax call || call.Expression != callee)
                {
                    if (SymbolEqualityComparer.Default.Equals(treeModel.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, method.OriginalDefinition))
                    {
                        return false;
                    }

                    continue;
                }

                if (treeModel.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
                    || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition))
                {
                    continue;
                }

                calls++;
                IOperation? argument = null;
                foreach (var candidate in invocation.Arguments)
                {
                    if (candidate.Parameter?.Ordinal == parameter.Ordinal)
                    {
                        argument = candidate.Value;
                    }
                }

                if (argument is null
                    || ReferencedSymbol(argument) is not { } passed
                    || MemberOf(call) is not { } caller
                    || DisposedByRegistrations(caller, treeModel, tokenType, cancellationToken) is not { } disposed
                    || !disposed.Contains(passed))
                {
                    return false;
                }
            }
        }

        return calls > 0;
    }
}
