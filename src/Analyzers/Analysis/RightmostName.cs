using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The last name of a name or member access as written, without binding: <c>t.Abort</c>, <c>t?.Abort</c> and
/// <c>Abort</c> give <c>Abort</c>; <c>System.Threading.Thread</c> and <c>Task&lt;int&gt;</c> give <c>Thread</c> and
/// <c>Task</c>. Null for anything else. The cheap test rules run before asking the semantic model.
/// </summary>
public static class RightmostName
{
    public static string? Of(SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };
}
