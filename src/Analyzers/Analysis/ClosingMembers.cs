using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// An accept, receive or read on a field that another member of its type stops, closes or disposes, wherever that
/// member is: <c>_listener.Stop()</c> in the handler that ends a test's script (NsqSharp's mock server, fresh set 7).
/// Unlike a <c>Set()</c>, which outside the stop path may only announce work, closing the object a call waits on can
/// only end that call (it throws). Asked by the <see cref="StopModel"/> for a wait about to be reported, after the stop
/// path was searched; the type's declarations are searched by name first and only matching calls are bound.
/// </summary>
internal static class ClosingMembers
{
    /// <summary>
    /// Whether a member of <paramref name="type"/> other than <paramref name="waitingMember"/> sends one of
    /// <paramref name="signals"/> (all of them I/O stops) to <paramref name="field"/> (a member of the object held by
    /// <paramref name="owner"/> when not null).
    /// </summary>
    public static bool ClosesOutsideTheWait(INamedTypeSymbol type, ISymbol field, ISymbol? owner, ImmutableArray<string> signals, SyntaxNode? waitingMember, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var (invocation, _) in OtherMemberSignalCalls.Find(type, (owner ?? field).Name, signals, waitingMember, model.Compilation, cancellationToken))
        {
            if (OtherMemberSignalCalls.Signals(invocation, field, owner, model, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
