using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait on a field of its type (<c>listener.AcceptTcpClientAsync()</c>) that another member of the type ends in the
/// same place it cancels a token source field of the type (<c>Dispose() { cts.Cancel(); listener.Stop(); }</c>): the
/// stop that cancels the token ends the wait too, by the signal <see cref="StopPath.SignalsFor"/> names for it, so the
/// token is not what the wait lacks (hivemq's test broker on fresh set 3, whose accept overload with a token is missing on
/// one of its targets). A member that only cancels, or signals another field, does not count. Asked only right before a
/// report; reads the type's syntax by name, and looks up member names, no binding.
/// </summary>
public static class WaitEndedWithCancel
{
    public static bool Applies(IInvocationOperation wait)
    {
        if (StopPath.WaitedField(wait) is not { } field
            || field.ContainingType is not { } type
            || StopPath.SignalsFor(wait.TargetMethod.Name) is { IsEmpty: true } signals)
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                if (member != waitingMember
                    && member is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax
                    && CancelsAndSignals(member, field.Name, signals, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool CancelsAndSignals(MemberDeclarationSyntax member, string field, ImmutableArray<string> signals, INamedTypeSymbol type)
    {
        bool cancels = false, signalled = false;
        foreach (var node in member.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax call || Receiver(call) is not { } receiver || RightmostName.Of(call.Expression) is not { } name)
            {
                continue;
            }

            if (name is "Cancel" or "CancelAsync" && IsSourceMember(type, RightmostName.Of(receiver)))
            {
                cancels = true;
            }
            else if (signals.IndexOf(name) >= 0 && RightmostName.Of(receiver) == field)
            {
                signalled = true;
            }

            if (cancels && signalled)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The receiver of <c>x.M()</c>, <c>this.x.M()</c> or <c>x?.M()</c>.</summary>
    private static ExpressionSyntax? Receiver(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Expression,
        MemberBindingExpressionSyntax when call.Parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == call => conditional.Expression,
        _ => null,
    };

    private static bool IsSourceMember(INamedTypeSymbol type, string? name)
    {
        if (name is null)
        {
            return false;
        }

        foreach (var member in type.GetMembers(name))
        {
            var memberType = member switch
            {
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };
            if (memberType is { Name: "CancellationTokenSource", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } })
            {
                return true;
            }
        }

        return false;
    }
}
