using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The fields of its type that every call of a private method passes for one of its parameters:
/// <c>StartConsumer(_items)</c> and <c>StartConsumer(_orders)</c> for <c>threadWriter</c> in <c>Task StartConsumer
/// (BlockingCollection&lt;T&gt; threadWriter)</c>. A wait on the parameter is then a wait on each of those fields, which
/// the type's own signals may end (RunUO's save strategy completes each collection after producing, fresh set 9).
/// Asked only for a wait about to be reported; the type's declarations are searched by name, and only calls of the
/// method are bound.
/// </summary>
internal static class ParameterFields
{
    /// <summary>
    /// The fields passed for <paramref name="parameter"/> by every call of its method, or an empty array when the method
    /// is not private, is named anywhere in its type other than as the callee of a call, or some call passes something
    /// else than a field or property of the type.
    /// </summary>
    public static ImmutableArray<ISymbol> PassedFor(IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method
            || method.ContainingType is not { } type
            || parameter.RefKind != RefKind.None)
        {
            return ImmutableArray<ISymbol>.Empty;
        }

        var fields = new List<ISymbol>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!model.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return ImmutableArray<ISymbol>.Empty;
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not IdentifierNameSyntax name || name.Identifier.ValueText != method.Name)
                {
                    continue;
                }

                var callee = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : (ExpressionSyntax)name;
                if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee)
                {
                    return ImmutableArray<ISymbol>.Empty;
                }

                var treeModel = invocation.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(invocation.SyntaxTree);
                if (treeModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation call)
                {
                    return ImmutableArray<ISymbol>.Empty;
                }

                if (!SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition))
                {
                    continue;
                }

                if (FieldArgument(call, parameter) is not { } field)
                {
                    return ImmutableArray<ISymbol>.Empty;
                }

                fields.Add(field);
            }
        }

        return fields.ToImmutableArray();
    }

    private static ISymbol? FieldArgument(IInvocationOperation call, IParameterSymbol parameter)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } bound && bound.Ordinal == parameter.Ordinal)
            {
                return OperationUnwrapping.WithoutConversions(argument.Value) switch
                {
                    IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
                    IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.Parameters.Length: 0 } property => property.Property,
                    _ => null,
                };
            }
        }

        return null;
    }
}
