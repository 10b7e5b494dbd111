using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The operation blocks of one type declaration, with the symbol each belongs to (what an operation-block action
/// would be handed): method, constructor, operator and accessor bodies, expression-bodied properties, property and
/// field initializers, and the same for the members of nested types (they may poll or write the type's flags).
/// </summary>
internal static class StopFlagBlocks
{
    public static IEnumerable<(IOperation Block, ISymbol Owner)> Of(TypeDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case TypeDeclarationSyntax nested:
                    foreach (var block in Of(nested, model, cancellationToken))
                    {
                        yield return block;
                    }

                    break;
                case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                    if (Bind(method, method, model, cancellationToken) is { } body)
                    {
                        yield return body;
                    }

                    break;
                case BasePropertyDeclarationSyntax property:
                    if (property.AccessorList is { } accessors)
                    {
                        foreach (var accessor in accessors.Accessors)
                        {
                            if ((accessor.Body is not null || accessor.ExpressionBody is not null)
                                && Bind(accessor, accessor, model, cancellationToken) is { } accessorBody)
                            {
                                yield return accessorBody;
                            }
                        }
                    }

                    if (property is PropertyDeclarationSyntax { ExpressionBody: { } arrow } expressionProperty
                        && model.GetDeclaredSymbol(expressionProperty, cancellationToken) is IPropertySymbol { GetMethod: { } getter }
                        && model.GetOperation(arrow, cancellationToken) is { } arrowBody)
                    {
                        yield return (arrowBody, getter);
                    }

                    if (property is PropertyDeclarationSyntax { Initializer: { } initializer } initialized
                        && Bind(initialized, initializer, model, cancellationToken) is { } propertyInitializer)
                    {
                        yield return propertyInitializer;
                    }

                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer is { } fieldInitializer && Bind(variable, fieldInitializer, model, cancellationToken) is { } initializerBlock)
                        {
                            yield return initializerBlock;
                        }
                    }

                    break;
            }
        }
    }

    private static (IOperation, ISymbol)? Bind(SyntaxNode declaration, SyntaxNode body, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetDeclaredSymbol(declaration, cancellationToken) is { } owner && model.GetOperation(body, cancellationToken) is { } operation
            ? (operation, owner)
            : null;
}
