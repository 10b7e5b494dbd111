using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A flag that a UI control polls and writes on its own UI thread (fresh set 6, NETworkManager's host views:
/// <c>while (!_loaded) await Task.Delay(250);</c> in an async method of the control, <c>_loaded = true;</c> in its
/// <c>Loaded</c> handler). Each await of the loop hands the UI thread back to the event that writes the flag and resumes
/// on it, so there is no read on another thread to hoist. Asked only on the way to a report.
/// </summary>
internal static class StopFlagUiThread
{
    /// <summary>
    /// Whether <paramref name="read"/> and <paramref name="write"/> both run on the thread of a UI control: the loop is
    /// directly in an async method of the control (a type derived from WPF's <c>DependencyObject</c> or WinForms'
    /// <c>Control</c>, or the code-behind class of a <c>.xaml</c> file), awaits in its body, nothing in the method leaves
    /// the UI context (<c>ConfigureAwait(false)</c>), and the type neither starts the method as work nor calls it from a
    /// lambda; the write is directly in an event handler of the same control, attached only to the control's own events
    /// or, in a code-behind class, not attached in code at all (the markup attaches it).
    /// </summary>
    public static bool BothOnUiThread(StopFlagAccess write, StopFlagAccess read, StopFlagScope scope, KnownTypes types)
    {
        if (read.Chain.Length != 1
            || write.Chain.Length != 1
            || read.Function is not IMethodSymbol { IsAsync: true, MethodKind: MethodKind.Ordinary } poller
            || write.Function is not IMethodSymbol { MethodKind: MethodKind.Ordinary } handler
            || !IsEventHandlerShape(handler)
            || poller.ContainingType?.OriginalDefinition is not { } type
            || !SymbolEqualityComparer.Default.Equals(handler.ContainingType?.OriginalDefinition, type))
        {
            return false;
        }

        var codeBehind = IsMarkupCodeBehind(type);
        if (!codeBehind && !SymbolNames.DerivesFrom(type, DependencyObject) && !SymbolNames.DerivesFrom(type, FormsControl))
        {
            return false;
        }

        return read.Loop is { } syntax
            && StopFlagExemptions.LoopOf(read.Reference, syntax) is ILoopOperation loop
            && Awaits(loop)
            && !LeavesUiContext(read.Reference)
            && IsCalledOnlyDirectly(poller, scope)
            && IsAttachedOnlyToOwnEvents(handler, scope, codeBehind);
    }

    /// <summary><c>(object sender, XxxEventArgs e)</c>; the arguments' type may not bind (a UI assembly not referenced).</summary>
    internal static bool IsEventHandlerShape(IMethodSymbol method) =>
        method.Parameters.Length == 2
        && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
        && method.Parameters[1].Type.Name.EndsWith("EventArgs", StringComparison.Ordinal);

    /// <summary>A declaration of the type in <c>TypeName.xaml.cs</c> (or <c>.axaml.cs</c>): the class behind a markup file.</summary>
    private static bool IsMarkupCodeBehind(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var fileName = Path.GetFileName(reference.SyntaxTree.FilePath ?? string.Empty);
            if (string.Equals(fileName, type.Name + ".xaml.cs", StringComparison.OrdinalIgnoreCase)
                || string.Equals(fileName, type.Name + ".axaml.cs", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>WPF's base of every element: its members run on the thread of its dispatcher.</summary>
    internal const string DependencyObject = "System.Windows.DependencyObject";

    /// <summary>WinForms' base of every control: its members run on the thread that created its handle.</summary>
    internal const string FormsControl = "System.Windows.Forms.Control";

    /// <summary>An await of the loop itself (not of a lambda or local function in it): each turn gives the UI thread back.</summary>
    private static bool Awaits(ILoopOperation loop)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IAwaitOperation await && !OperationScopes.IsInNestedFunction(await, loop))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>ConfigureAwait</c> anywhere in the method that is not given the constant <c>true</c>.</summary>
    private static bool LeavesUiContext(IOperation reference)
    {
        foreach (var operation in OperationScopes.Root(reference).Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure
                && !(configure.Arguments.Length == 1 && configure.Arguments[0].Value.ConstantValue is { HasValue: true, Value: true }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type calls the method only directly from its members: never as a delegate, never from a lambda or local function.</summary>
    private static bool IsCalledOnlyDirectly(IMethodSymbol method, StopFlagScope scope)
    {
        foreach (var use in UsesInScope(method, scope))
        {
            if (use is IMethodReferenceOperation || OperationScopes.IsInNestedFunction(use, OperationScopes.Root(use)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The references to <paramref name="method"/> as a delegate, and the calls of it, in the blocks of the type that name it.</summary>
    internal static IEnumerable<IOperation> UsesInScope(IMethodSymbol method, StopFlagScope scope)
    {
        foreach (var block in scope.BlocksNaming(method.Name))
        {
            foreach (var operation in block.Descendants())
            {
                if (operation switch
                {
                    IMethodReferenceOperation reference => IsSame(reference.Method, method),
                    IInvocationOperation invocation => IsSame(invocation.TargetMethod, method),
                    _ => false,
                })
                {
                    yield return operation;
                }
            }
        }
    }

    /// <summary>
    /// Every use of the handler is a <c>+=</c> / <c>-=</c> on an event of the control itself (<c>Loaded += OnLoaded</c>),
    /// and it is attached at least once, or (in a code-behind class) never named in code.
    /// </summary>
    private static bool IsAttachedOnlyToOwnEvents(IMethodSymbol handler, StopFlagScope scope, bool codeBehind)
    {
        var attached = false;
        foreach (var use in UsesInScope(handler, scope))
        {
            if (use is not IMethodReferenceOperation
                || OperationUnwrapping.EventAssignmentOf(use) is not { EventReference: IEventReferenceOperation { Instance: IInstanceReferenceOperation } } assignment)
            {
                return false;
            }

            attached |= assignment.Adds;
        }

        return attached || codeBehind;
    }

    internal static bool IsSame(IMethodSymbol method, IMethodSymbol other) =>
        SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, other.OriginalDefinition);
}
