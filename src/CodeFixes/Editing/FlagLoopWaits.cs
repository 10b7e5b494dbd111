using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>
/// Whether a loop that polls a stop flag also waits (<c>Thread.Sleep(4000)</c>, <c>WaitOne()</c>, <c>Take()</c>, …):
/// making the flag volatile, or an event, does not wake that wait, so the stopper waits for it to end by itself; a
/// token source does (its token is then in scope and GS0005's fix wakes the wait).
/// </summary>
internal static class FlagLoopWaits
{
    /// <summary>Waits this short, as constants, end soon enough on their own.</summary>
    private const int ShortWaitMs = 100;

    public static bool AnyUnwoken(StopFlagModel model, StopFlagFix fix) =>
        model.References.Any(r => r.Kind == FlagReferenceKind.Read
            && !(fix == StopFlagFix.Event && r.SleepPoll is not null)
            && EnclosingLoop(r.Identifier) is { } loop
            && OwnNodes(loop).OfType<InvocationExpressionSyntax>().Any(IsLongWait));

    private static SyntaxNode? EnclosingLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (LoopConditioning.IsLoop(current))
            {
                return current;
            }

            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return null;
            }
        }

        return null;
    }

    private static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode loop) =>
        loop.DescendantNodes(n => n == loop || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));

    private static bool IsLongWait(InvocationExpressionSyntax call)
    {
        var name = call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => null,
        };
        if (name is not ("Sleep" or "WaitOne" or "Wait" or "Take" or "Join"))
        {
            return false;
        }

        var arguments = call.ArgumentList.Arguments;
        return !(arguments.Count > 0
            && arguments[0].Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression, Token.Value: int ms }
            && ms <= ShortWaitMs);
    }
}
