using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A one-shot handshake with the waiting type's own code: work on its own thread waits once (not in a loop that comes
/// back to the wait) on an event or semaphore field of its type, and another member of that type <c>Set()</c>s or
/// <c>Release()</c>s that field in a statement that runs whenever the member runs (not under an <c>if</c>, a
/// <c>switch</c>, a loop, a <c>catch</c> or a lambda): <c>SetView(view) { _view = view; _viewReady.Set(); }</c> for a
/// start thread's <c>_viewReady.Wait()</c>, <c>finally { _done.Set(); }</c> at the end of the work the wait waits for.
/// The member that answers is the other half of the handshake (it is not private, or the type hands it on as a method
/// group or from a lambda: a thread's or a pool item's work, an event handler) and the field starts unsignalled (a
/// closed gate: <c>new ManualResetEvent(false)</c>, <c>new SemaphoreSlim(0, 1)</c>, not a lock); the wait is a hand-off
/// that ends, not an idle wait.
/// Chosen by the session-16 feature table (helper q23): over the first measurement of fresh sets 1–9, a wait on an object
/// its type signals from another member was judged false 36 times and correct 5; of those, the one-shot waits whose
/// signal is unconditional were all false (32feet's device picker handle, DotNetZip's post-unpack event; set 10's fake
/// serial port and MCC's view-ready event). A signal under a condition (a loading-finished event set only while the
/// window is not closing), one in a callback lambda, or a wait in a loop (a consumer's idle wait, which the producer's
/// <c>Set()</c> only announces work to) stays reported. Asked only right before a report.
/// </summary>
public static class AnsweredOneShotWaits
{
    private static readonly ImmutableArray<string> SignalNames = ImmutableArray.Create("Set", "Release");

    /// <summary>Whether the one-shot <paramref name="wait"/> is on an event or semaphore field that another member of its type signals unconditionally.</summary>
    public static bool IsAnsweredByItsType(IInvocationOperation wait, KnownTypes types, CancellationToken cancellationToken)
    {
        if (wait.SemanticModel is not { } model
            || wait.TargetMethod is not { IsStatic: false, Name: "WaitOne" or "Wait" } method
            || !IsEventOrSemaphore(method.ContainingType, types))
        {
            return false;
        }

        ISymbol? owner = null;
        if ((StopPath.WaitedField(wait) ?? StopPath.WaitedMemberOfField(wait, out owner)) is not { } field
            || (owner ?? field).ContainingType is not { } type)
        {
            return false;
        }

        if (owner is null && !StartsClosed(field, type, cancellationToken))
        {
            return false;
        }

        var waitingMember = wait.Syntax.FirstAncestorOrSelf<SyntaxNode>(m => m is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax);
        foreach (var (invocation, declaration) in OtherMemberSignalCalls.Find(type, (owner ?? field).Name, SignalNames, waitingMember, model.Compilation, cancellationToken))
        {
            if (RunsWheneverItsMemberRuns(invocation)
                && IsReachableFromOutside(invocation, declaration)
                && OtherMemberSignalCalls.Signals(invocation, field, owner, model, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every object the type stores in the field starts unsignalled, and there is one: <c>new
    /// ManualResetEvent(false)</c>, <c>new AutoResetEvent(false)</c>, <c>new ManualResetEventSlim()</c>, <c>new
    /// SemaphoreSlim(0, 1)</c>, in the field's initializer or an assignment. A gate that starts open (<c>new
    /// SemaphoreSlim(1)</c>, a lock; <c>new ManualResetEventSlim(true)</c>, reset by the work) is not a handshake.
    /// </summary>
    private static bool StartsClosed(ISymbol field, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var found = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                var created = node switch
                {
                    VariableDeclaratorSyntax { Initializer.Value: var value } declarator when declarator.Identifier.ValueText == field.Name => value,
                    AssignmentExpressionSyntax { Left: var left, Right: var right } when RightmostName.Of(left) == field.Name => right,
                    _ => null,
                };
                if (created is null)
                {
                    continue;
                }

                if (created is not BaseObjectCreationExpressionSyntax creation || !IsClosedState(creation, field))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }

    private static bool IsClosedState(BaseObjectCreationExpressionSyntax creation, ISymbol field)
    {
        if (creation.ArgumentList is not { Arguments: { Count: > 0 } arguments })
        {
            return (field switch { IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null })?.Name == "ManualResetEventSlim";
        }

        return arguments[0].Expression is LiteralExpressionSyntax literal
            && (literal.IsKind(SyntaxKind.FalseLiteralExpression) || (literal.IsKind(SyntaxKind.NumericLiteralExpression) && literal.Token.ValueText == "0"));
    }

    private static bool IsEventOrSemaphore(INamedTypeSymbol? type, KnownTypes types) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type, types.WaitHandle)
            || SymbolEqualityComparer.Default.Equals(type, types.ManualResetEventSlim)
            || SymbolEqualityComparer.Default.Equals(type, types.SemaphoreSlim));

    /// <summary>
    /// Whether the signal's statement is reached whenever the member that holds it runs: only blocks, the protected
    /// block or <c>finally</c> of a <c>try</c>, <c>lock</c>, <c>using</c>, <c>checked</c> and labels lie between it and
    /// the member's body (or it is the member's expression body).
    /// </summary>
    private static bool RunsWheneverItsMemberRuns(InvocationExpressionSyntax invocation)
    {
        SyntaxNode current = invocation;
        if (current.Parent is ConditionalAccessExpressionSyntax { WhenNotNull: var whenNotNull } access && whenNotNull == current)
        {
            current = access;
        }

        if (current.Parent is ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax })
        {
            return true;
        }

        if (current.Parent is not ExpressionStatementSyntax statement)
        {
            return false;
        }

        SyntaxNode child = statement;
        for (var parent = statement.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    return true;
                case BlockSyntax or LockStatementSyntax or UsingStatementSyntax or CheckedStatementSyntax or LabeledStatementSyntax or FinallyClauseSyntax:
                    continue;
                case TryStatementSyntax tryStatement when tryStatement.Block == child || child is FinallyClauseSyntax:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the member that holds the signal can be run by the other party: it is not private, or it is a private
    /// method that the type hands on other than by calling it (a method group: <c>new WaitCallback(Run)</c>,
    /// <c>Started += OnStarted</c>). A private method only called by other members (<c>OnPausing() =&gt;
    /// ClearPriorityCommands();</c>) answers only when they run, which is not followed.
    /// </summary>
    private static bool IsReachableFromOutside(InvocationExpressionSyntax signal, SyntaxNode typeDeclaration)
    {
        var member = signal.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is not MethodDeclarationSyntax method)
        {
            return member is not null && !IsPrivate(member.Modifiers);
        }

        if (!IsPrivate(method.Modifiers) || method.Modifiers.Any(SyntaxKind.OverrideKeyword))
        {
            return true;
        }

        var name = method.Identifier.ValueText;
        foreach (var token in typeDeclaration.DescendantTokens())
        {
            if (token.ValueText == name
                && token.Parent is IdentifierNameSyntax identifier
                && !IsCalled(identifier))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPrivate(SyntaxTokenList modifiers) =>
        !(modifiers.Any(SyntaxKind.PublicKeyword) || modifiers.Any(SyntaxKind.InternalKeyword) || modifiers.Any(SyntaxKind.ProtectedKeyword));

    /// <summary><c>Run()</c>, <c>this.Run()</c>: the name is the called expression of an invocation outside a lambda (a call in a lambda, <c>QueueUserWorkItem(_ =&gt; Run())</c>, hands the method on).</summary>
    private static bool IsCalled(IdentifierNameSyntax identifier)
    {
        SyntaxNode expression = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
        return expression.Parent is InvocationExpressionSyntax invocation
            && invocation.Expression == expression
            && invocation.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is null;
    }
}
