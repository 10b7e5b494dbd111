using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The value of a <c>readonly</c> field that only its initializer sets (<c>private readonly TimeSpan _interval =
/// TimeSpan.FromMilliseconds(5);</c>, no constructor of its type assigning it): a wait given the field waits that long
/// (swan's continuous-reading interval, fresh set 8). Syntax of the field's own tree only; asked only for a wait about
/// to be reported.
/// </summary>
internal static class ReadonlyFieldBounds
{
    /// <summary>The initializer's operation, when <paramref name="value"/> reads such a field; otherwise null.</summary>
    public static IOperation? Initializer(IOperation value)
    {
        if (OperationUnwrapping.WithoutConversions(value) is not IFieldReferenceOperation { Field: { IsReadOnly: true, IsConst: false } field } reference
            || reference.SemanticModel is not { } model
            || field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator
            || declarator.SyntaxTree != model.SyntaxTree
            || IsAssignedInAConstructor(field))
        {
            return null;
        }

        return model.GetOperation(initial);
    }

    private static bool IsAssignedInAConstructor(IFieldSymbol field)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var member in ((TypeDeclarationSyntax)reference.GetSyntax()).Members)
            {
                if (member is not ConstructorDeclarationSyntax constructor)
                {
                    continue;
                }

                foreach (var node in constructor.DescendantNodes())
                {
                    if (node is AssignmentExpressionSyntax { Left: var left }
                        && left switch
                        {
                            IdentifierNameSyntax name => name.Identifier.ValueText == field.Name,
                            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText == field.Name,
                            _ => false,
                        })
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
