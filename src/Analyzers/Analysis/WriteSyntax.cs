using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Whether a name may be written where it stands, told from syntax (a superset of what binding calls a write).</summary>
public static class WriteSyntax
{
    /// <summary>
    /// The target of an assignment (simple, compound, or an element of a deconstruction), a <c>ref</c> or <c>out</c>
    /// argument (<c>Volatile.Write(ref _stop, true)</c>), an increment or decrement.
    /// </summary>
    public static bool MayWrite(IdentifierNameSyntax identifier)
    {
        var node = Target(identifier);
        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.Parent is TupleExpressionSyntax,
            PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression),
            PostfixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression),
            _ => false,
        };
    }

    /// <summary>The expression a name stands for as a target: the name itself, <c>this.name</c>, <c>(name)</c>.</summary>
    public static SyntaxNode Target(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        while (node.Parent is MemberAccessExpressionSyntax access && access.Name == node
               || node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node;
    }

    /// <summary>
    /// Whether a private field without an initializer is never written anywhere in its type (every declaration in
    /// source searched through the text): it holds its default value for ever.
    /// </summary>
    public static bool IsNeverAssignedPrivateField(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.DeclaredAccessibility != Accessibility.Private || field.IsImplicitlyDeclared || field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: null })
        {
            return false;
        }

        var names = ImmutableArray.Create(field.Name);
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var identifier in IdentifierSearch.Find(reference.GetSyntax(cancellationToken), names) ?? new())
            {
                if (MayWrite(identifier))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="expression"/> names the member <paramref name="name"/> of this instance, bare or as <c>this.name</c>.</summary>
    public static bool NamesMember(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText == name,
        _ => false,
    };
}
