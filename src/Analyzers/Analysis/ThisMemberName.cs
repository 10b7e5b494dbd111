using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>A member named as <c>x</c> or <c>this.x</c>, told from syntax.</summary>
internal static class ThisMemberName
{
    /// <summary>The name written in <c>x</c> or <c>this.x</c> (a local, parameter or member of the type).</summary>
    public static string? Of(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The expression that uses the member <paramref name="name"/> names: <c>this.x</c> around it, or the name itself.</summary>
    public static ExpressionSyntax UseOf(IdentifierNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } self && self.Name == name ? self : name;
}
