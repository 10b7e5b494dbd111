using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The operation blocks of one type declaration, with the symbol each belongs to (what an operation-block action
/// would be handed): method, constructor, operator and accessor bodies, expression-bodied properties, property and
/// field initializers, and the same for the members of nested types (they may poll or write the type's flags).
/// Listed from syntax (<see cref="Of"/>) and bound one at a time (<see cref="Bind"/>), so that only the blocks a
/// question needs are bound.
/// </summary>
internal static class StopFlagBlocks
{
    public static IEnumerable<StopFlagBlock> Of(TypeDeclarationSyntax declaration)
    {
        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case TypeDeclarationSyntax nested:
                    foreach (var block in Of(nested))
                    {
                        yield return block;
                    }

                    break;
                case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                    yield return new StopFlagBlock(method, method, StopFlagBlockKind.Body);
                    break;
                case BasePropertyDeclarationSyntax property:
                    if (property.AccessorList is { } accessors)
                    {
                        foreach (var accessor in accessors.Accessors)
                        {
                            if (accessor.Body is not null || accessor.ExpressionBody is not null)
                            {
                                yield return new StopFlagBlock(accessor, accessor, StopFlagBlockKind.Body);
                            }
                        }
                    }

                    if (property is PropertyDeclarationSyntax { ExpressionBody: { } arrow } expressionProperty)
                    {
                        yield return new StopFlagBlock(expressionProperty, arrow, StopFlagBlockKind.PropertyArrow);
                    }

                    if (property is PropertyDeclarationSyntax { Initializer: { } initializer } initialized)
                    {
                        yield return new StopFlagBlock(initialized, initializer, StopFlagBlockKind.Body);
                    }

                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer is { } fieldInitializer)
                        {
                            yield return new StopFlagBlock(variable, fieldInitializer, StopFlagBlockKind.Body);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The block's operation and the symbol it belongs to; null when it does not bind.</summary>
    public static (IOperation Block, ISymbol Owner)? Bind(StopFlagBlock block, SemanticModel model, CancellationToken cancellationToken)
    {
        if (block.Kind == StopFlagBlockKind.PropertyArrow)
        {
            return model.GetDeclaredSymbol(block.Declaration, cancellationToken) is IPropertySymbol { GetMethod: { } getter }
                && model.GetOperation(block.Body, cancellationToken) is { } arrowBody
                ? (arrowBody, getter)
                : null;
        }

        return model.GetDeclaredSymbol(block.Declaration, cancellationToken) is { } owner && model.GetOperation(block.Body, cancellationToken) is { } operation
            ? (operation, owner)
            : null;
    }
}

internal enum StopFlagBlockKind
{
    /// <summary>A body or initializer, owned by the symbol its declaration declares.</summary>
    Body,

    /// <summary>An expression-bodied property, owned by its getter.</summary>
    PropertyArrow,
}

/// <summary>One block of a type declaration, not yet bound: the declaration of the symbol it belongs to and the node to bind.</summary>
internal readonly struct StopFlagBlock
{
    public StopFlagBlock(SyntaxNode declaration, SyntaxNode body, StopFlagBlockKind kind)
    {
        Declaration = declaration;
        Body = body;
        Kind = kind;
    }

    public SyntaxNode Declaration { get; }

    public SyntaxNode Body { get; }

    public StopFlagBlockKind Kind { get; }
}
