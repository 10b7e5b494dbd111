using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call where the author has already suppressed another analyzer's report of the same finding ("this call has a
/// token overload and the token is not passed"): ReSharper's <c>MethodSupportsCancellation</c>
/// (<c>// ReSharper disable once MethodSupportsCancellation</c> above the statement, or inside a
/// <c>// ReSharper disable</c> … <c>restore</c> region), or CA2016 / MA0040 / MA0032 through <c>#pragma warning
/// disable</c> or <c>[SuppressMessage]</c> on the member or its types. The token was left out on purpose (protoactor's
/// test helper, whose token is its own deadline; fresh set 5). Asked only right before a report: the text is searched
/// for the names first, and only the comments and directives found are read.
/// </summary>
public static class PeerSuppressions
{
    private const string ReSharperId = "MethodSupportsCancellation";

    private static readonly ImmutableArray<string> Words = ImmutableArray.Create(ReSharperId, "CA2016", "MA0040", "MA0032");

    /// <remarks>
    /// Only for a call the peers report, one with a token overload or an omitted optional token: a
    /// <c>// ReSharper disable MethodSupportsCancellation</c> at the top of a file says nothing about its
    /// <c>Thread.Sleep</c> or <c>WaitOne()</c> (Captura's recorder, fresh set 4).
    /// </remarks>
    public static bool Suppress(IInvocationOperation invocation, BlockingCall call, ISymbol containingSymbol) =>
        (call.TokenOverload is not null || call.OmittedTokenParameter is not null)
        && (IsSuppressedInText(invocation.Syntax) || IsSuppressedByAttribute(containingSymbol));

    private static bool IsSuppressedInText(SyntaxNode call)
    {
        var tree = call.SyntaxTree;
        if (!tree.TryGetText(out var text))
        {
            text = tree.GetText();
        }

        if (SourceTextSearch.FindAll(text, new TextSpan(0, call.SpanStart), Words) is not { } positions)
        {
            return false;
        }

        var root = tree.GetRoot();
        var statementTrivia = call.FirstAncestorOrSelf<StatementSyntax>()?.GetFirstToken().LeadingTrivia.Span;
        var region = false;
        var pragma = false;
        var lastTrivia = default(TextSpan?);
        foreach (var position in positions)
        {
            var trivia = root.FindTrivia(position);
            if (trivia.Span == lastTrivia)
            {
                continue;
            }

            lastTrivia = trivia.Span;
            switch (trivia.Kind())
            {
                case SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia:
                    switch (ReSharperComment(trivia.ToString()))
                    {
                        case "disable once" when statementTrivia is { } leading && leading.Contains(trivia.Span):
                            return true;
                        case "disable":
                            region = true;
                            break;
                        case "restore":
                            region = false;
                            break;
                    }

                    break;
                case SyntaxKind.PragmaWarningDirectiveTrivia when trivia.GetStructure() is PragmaWarningDirectiveTriviaSyntax directive && NamesPeer(directive):
                    pragma = directive.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword);
                    break;
            }
        }

        return region || pragma;
    }

    /// <summary>"disable once", "disable" or "restore" for a ReSharper comment that names MethodSupportsCancellation.</summary>
    private static string? ReSharperComment(string comment)
    {
        var body = comment.StartsWith("//", StringComparison.Ordinal) ? comment.Substring(2) : comment.Trim('/', '*');
        body = body.Trim();
        const string Prefix = "ReSharper ";
        if (!body.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        body = body.Substring(Prefix.Length);
        string action;
        if (body.StartsWith("disable once ", StringComparison.Ordinal))
        {
            action = "disable once";
        }
        else if (body.StartsWith("disable ", StringComparison.Ordinal))
        {
            action = "disable";
        }
        else if (body.StartsWith("restore ", StringComparison.Ordinal))
        {
            action = "restore";
        }
        else
        {
            return null;
        }

        foreach (var name in body.Substring(action.Length).Split(','))
        {
            if (name.Trim() == ReSharperId)
            {
                return action;
            }
        }

        return null;
    }

    private static bool NamesPeer(PragmaWarningDirectiveTriviaSyntax directive)
    {
        foreach (var code in directive.ErrorCodes)
        {
            if (code is IdentifierNameSyntax { Identifier.ValueText: var id } && IsPeerId(id))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPeerId(string checkId)
    {
        var colon = checkId.IndexOf(':');
        var id = (colon < 0 ? checkId : checkId.Substring(0, colon)).Trim();
        return id is "CA2016" or "MA0040" or "MA0032" or ReSharperId;
    }

    /// <summary><c>[SuppressMessage("Reliability", "CA2016:…")]</c> (or MA0040, MA0032, ReSharper's) on the member or a type around it.</summary>
    private static bool IsSuppressedByAttribute(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "SuppressMessageAttribute" or "UnconditionalSuppressMessageAttribute" }
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[1].Value is string checkId
                    && IsPeerId(checkId))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
