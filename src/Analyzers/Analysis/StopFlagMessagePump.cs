using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A flag that a WinForms form polls in a loop that pumps the UI thread's messages, written by an event handler of the
/// form's controls (issue 18: <c>while (!_cancelled) { Step(); Application.DoEvents(); }</c> in a method of the form,
/// <c>_cancelled = true;</c> in the Cancel button's <c>Click</c> handler). The handler runs inside the loop's own
/// <c>DoEvents()</c> call, on the loop's thread, so no read on another thread races with the write, and the call keeps
/// the read from being hoisted out of the loop. Asked only on the way to a report.
/// </summary>
internal static class StopFlagMessagePump
{
    private const string FormsNamespace = "System.Windows.Forms";

    /// <summary>
    /// Whether <paramref name="write"/> runs inside the message pump of <paramref name="read"/>'s loop: the loop is
    /// directly in an ordinary method of a WinForms control (a form) that the type only calls directly or attaches to
    /// WinForms events, and calls <c>Application.DoEvents()</c> itself (not from a lambda in it); the write is directly in an
    /// event handler of the same type that is only ever attached to WinForms events (<c>cancelButton.Click += OnCancel</c>,
    /// in the designer's file or not) and never called, or directly in a lambda attached to one.
    /// </summary>
    public static bool RunsInsidePump(StopFlagAccess write, StopFlagAccess read, StopFlagScope scope, KnownTypes types)
    {
        if (read.Chain.Length != 1
            || read.Function is not IMethodSymbol { MethodKind: MethodKind.Ordinary } poller
            || poller.ContainingType?.OriginalDefinition is not { } type
            || !SymbolNames.DerivesFrom(type, StopFlagUiThread.FormsControl)
            || read.Loop is not { } syntax
            || StopFlagExemptions.LoopOf(read.Reference, syntax) is not ILoopOperation loop
            || !PumpsMessages(loop))
        {
            return false;
        }

        return IsRunByFormsEvent(write, type, scope, types.Compilation) && IsRunOnlyOnUiThread(poller, type, scope, types.Compilation);
    }

    /// <summary>
    /// The operations that name <paramref name="method"/> in the members of <paramref name="type"/>: those of its blocks
    /// the model reads, then those of its declarations in generated files, which the model leaves out but where the
    /// designer (<c>Form1.Designer.cs</c>) attaches most handlers.
    /// </summary>
    private static IEnumerable<IOperation> UsesOf(IMethodSymbol method, INamedTypeSymbol type, StopFlagScope scope, Compilation compilation)
    {
        foreach (var use in StopFlagUiThread.UsesInScope(method, scope))
        {
            yield return use;
        }

        var names = ImmutableArray.Create(method.Name);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!compilation.ContainsSyntaxTree(reference.SyntaxTree)
                || !GeneratedCode.IsGenerated(reference.SyntaxTree, compilation, CancellationToken.None)
                || IdentifierSearch.Find(reference.GetSyntax(), names) is not { } identifiers)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(reference.SyntaxTree);
            foreach (var identifier in identifiers)
            {
                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                var found = node.Parent is InvocationExpressionSyntax call && call.Expression == node ? model.GetOperation(call) : model.GetOperation(node);
                switch (found)
                {
                    case IMethodReferenceOperation delegateUse when StopFlagUiThread.IsSame(delegateUse.Method, method):
                    case IInvocationOperation callUse when StopFlagUiThread.IsSame(callUse.TargetMethod, method):
                        yield return found;
                        break;
                }
            }
        }
    }

    /// <summary>
    /// The type calls the method only directly from its members, or attaches it to WinForms events (a loop in the Start
    /// button's <c>Click</c> handler): never as another delegate, never from a lambda or local function.
    /// </summary>
    private static bool IsRunOnlyOnUiThread(IMethodSymbol method, INamedTypeSymbol type, StopFlagScope scope, Compilation compilation)
    {
        foreach (var use in UsesOf(method, type, scope, compilation))
        {
            if (use is IMethodReferenceOperation reference ? !IsFormsEventSubscription(reference, out _) : OperationScopes.IsInNestedFunction(use, OperationScopes.Root(use)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A call of <c>System.Windows.Forms.Application.DoEvents()</c> in the loop itself (not in a lambda or local function in it).</summary>
    private static bool PumpsMessages(ILoopOperation loop)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "DoEvents", IsStatic: true } method } invocation
                && SymbolNames.IsType(method.ContainingType, FormsNamespace + ".Application")
                && !OperationScopes.IsInNestedFunction(invocation, loop))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRunByFormsEvent(StopFlagAccess write, INamedTypeSymbol type, StopFlagScope scope, Compilation compilation)
    {
        switch (write.Chain.Length)
        {
            case 1:
                return write.Function is IMethodSymbol { MethodKind: MethodKind.Ordinary } handler
                    && StopFlagUiThread.IsEventHandlerShape(handler)
                    && SymbolEqualityComparer.Default.Equals(handler.ContainingType?.OriginalDefinition, type)
                    && IsAttachedOnlyToFormsEvents(handler, type, scope, compilation);
            case 2:
                // A lambda written directly in a member of the type: `cancelButton.Click += (s, e) => _cancelled = true;`.
                return write.Chain[0] is { IsLambda: true, IsThreadWork: false }
                    && write.Chain[1].Symbol is IMethodSymbol { ContainingType: { } owner }
                    && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, type)
                    && OperationScopes.EnclosingFunction(write.Reference) is IAnonymousFunctionOperation lambda
                    && IsFormsEventSubscription(lambda, out var adds)
                    && adds;
            default:
                return false;
        }
    }

    /// <summary>Every use of the handler is a <c>+=</c> / <c>-=</c> on a WinForms event, and it is attached at least once.</summary>
    private static bool IsAttachedOnlyToFormsEvents(IMethodSymbol handler, INamedTypeSymbol type, StopFlagScope scope, Compilation compilation)
    {
        var attached = false;
        foreach (var use in UsesOf(handler, type, scope, compilation))
        {
            if (use is not IMethodReferenceOperation reference || !IsFormsEventSubscription(reference, out var adds))
            {
                return false;
            }

            attached |= adds;
        }

        return attached;
    }

    /// <summary>
    /// <paramref name="handler"/> (a method reference or a lambda) is the handler of a <c>+=</c> / <c>-=</c> on an event
    /// that a type of <c>System.Windows.Forms</c> declares: raised by the control's window procedure, on the thread that
    /// created the control.
    /// </summary>
    private static bool IsFormsEventSubscription(IOperation handler, out bool adds)
    {
        adds = false;
        if (OperationUnwrapping.EventAssignmentOf(handler) is { EventReference: IEventReferenceOperation { Event.ContainingType: { } declaring } } assignment
            && IsFormsType(declaring))
        {
            adds = assignment.Adds;
            return true;
        }

        return false;
    }

    private static bool IsFormsType(INamedTypeSymbol type)
    {
        var outermost = type;
        while (outermost.ContainingType is { } containing)
        {
            outermost = containing;
        }

        var ns = outermost.ContainingNamespace;
        return ns is { Name: "Forms" }
            && ns.ContainingNamespace is { Name: "Windows" } windows
            && windows.ContainingNamespace is { Name: "System" } system
            && system.ContainingNamespace is { IsGlobalNamespace: true };
    }
}
