using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A token of another lifetime: a field or property source (or token) that the function replaces with a new one after
/// the call, or earlier in each turn of the counting loop around it (<c>await _lock.WaitAsync(); _cts?.Dispose();
/// _cts = new CancellationTokenSource();</c>, a connect that makes the next connection's source; a retry loop that makes
/// one per attempt and backs off between attempts), itself or in a method of the member's type that it calls after the
/// call (<c>await _lock.WaitAsync(); await StartInternalAsync();</c>, whose body makes the new source; Discord.Net's
/// start/stop mutex, fresh set 9; one level down, that method's syntax only). At the call the member holds the previous
/// connection's (or lock's, or attempt's) source: cancelling it does not stop the function, which goes on to make a new
/// one. A function that reads the member's <c>IsCancellationRequested</c> or calls its
/// <c>ThrowIfCancellationRequested</c> treats it as its stop, and a type's one lifetime source, never replaced, is not
/// touched. Found on DSharpPlus (fresh set 6). Asked only right before a report.
/// </summary>
public static class ReplacedTokenSources
{
    /// <summary><paramref name="tokens"/> without the members the function around <paramref name="operation"/> replaces after it.</summary>
    public static ImmutableArray<TokenInScope> Without(IOperation operation, ImmutableArray<TokenInScope> tokens)
    {
        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => IsReplaced(operation, t));
    }

    private static bool IsReplaced(IOperation operation, TokenInScope token)
    {
        if (token.Origin is not (TokenOrigin.Field or TokenOrigin.Property) || token.Symbol.IsStatic)
        {
            return false;
        }

        // A token property read from a source member (`Token => Source.Token`) is replaced with that source.
        var names = new List<string>(2) { token.Name };
        if (!token.IsSource && token.Symbol is IPropertySymbol property && SourceItReads(property) is { } source)
        {
            names.Add(source);
        }

        var function = OperationScopes.EnclosingFunction(operation);
        var loop = BlockingSites.EnclosingLoop(operation);
        var turnLoop = loop is not null && LoopClassifier.IsBoundedCounting(loop) ? loop : null;
        var replaced = false;
        foreach (var descendant in function.Descendants())
        {
            switch (descendant)
            {
                case ISimpleAssignmentOperation { Target: var target, Value: var value } assignment
                    when NamesMember(target, names) && !IsNull(value) && OperationScopes.EnclosingFunction(assignment) == function:
                    var at = assignment.Syntax.Span;
                    replaced |= at.Start >= operation.Syntax.Span.End || (turnLoop is not null && turnLoop.Syntax.Span.Contains(at));
                    break;
                case IInvocationOperation { TargetMethod: var callee, Instance: null or IInstanceReferenceOperation } call
                    when !replaced
                        && call.Syntax.SpanStart >= operation.Syntax.Span.End
                        && OperationScopes.EnclosingFunction(call) == function
                        && ReplacesInItsBody(callee, token.Symbol.ContainingType, names):
                    replaced = true;
                    break;
                case IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } instance } when ReadsMember(instance, names):
                    return false;
                case IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested", Instance: { } instance } when ReadsMember(instance, names):
                    return false;
            }
        }

        return replaced;
    }

    private static bool NamesMember(IOperation operation, List<string> names) => operation switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => names.Contains(field.Field.Name),
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property => names.Contains(property.Property.Name),
        _ => false,
    };

    /// <summary>The member itself, or its <c>.Token</c>.</summary>
    private static bool ReadsMember(IOperation instance, List<string> names)
    {
        instance = OperationUnwrapping.WithoutConversions(instance);
        if (instance is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source })
        {
            instance = OperationUnwrapping.WithoutConversions(source);
        }

        return NamesMember(instance, names);
    }

    /// <summary>
    /// A method of the member's own type that cannot be overridden and whose body assigns the member something other than
    /// <c>null</c> or <c>default</c> (syntax only, by name).
    /// </summary>
    private static bool ReplacesInItsBody(IMethodSymbol callee, INamedTypeSymbol? memberType, List<string> names)
    {
        if (callee.IsStatic
            || callee.IsVirtual
            || callee.IsAbstract
            || callee.IsOverride
            || memberType is null
            || !SymbolEqualityComparer.Default.Equals(callee.ContainingType.OriginalDefinition, memberType.OriginalDefinition))
        {
            return false;
        }

        foreach (var reference in callee.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not BaseMethodDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax { Left: var left, Right: var right } assignment
                    && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    && ThisMemberName.Of(left) is { } name
                    && names.Contains(name)
                    && !right.IsKind(SyntaxKind.NullLiteralExpression)
                    && !right.IsKind(SyntaxKind.DefaultLiteralExpression)
                    && right is not DefaultExpressionSyntax)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsNull(IOperation value) =>
        OperationUnwrapping.WithoutConversions(value) is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

    /// <summary>The source member named by an expression-bodied getter <c>=&gt; Source.Token</c>.</summary>
    private static string? SourceItReads(IPropertySymbol property)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is PropertyDeclarationSyntax declaration
                && (declaration.ExpressionBody?.Expression ?? GetterExpression(declaration)) is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Token", Expression: var source })
            {
                return source switch
                {
                    IdentifierNameSyntax name => name.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
                    _ => null,
                };
            }
        }

        return null;
    }

    private static ExpressionSyntax? GetterExpression(PropertyDeclarationSyntax declaration)
    {
        if (declaration.AccessorList is { } accessors)
        {
            foreach (var accessor in accessors.Accessors)
            {
                if (accessor.Keyword.ValueText == "get")
                {
                    return accessor.ExpressionBody?.Expression;
                }
            }
        }

        return null;
    }
}
