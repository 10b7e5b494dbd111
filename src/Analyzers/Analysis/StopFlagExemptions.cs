using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007 checks that run only on the way to a report (never in the per-operation callbacks): a loop read under a
/// lock taken with <c>using (x.Lock())</c>, and a write in an event handler that the loop itself raises.
/// </summary>
public static class StopFlagExemptions
{
    /// <summary>
    /// Whether a loop read sits in the body of a <c>using</c> statement, or after a <c>using</c> declaration, whose
    /// resource is a lock taken from a field, local or parameter: <c>using (_mutex.Lock())</c>,
    /// <c>using (await _mutex.LockAsync())</c>, <c>using var _ = await _sem.EnterAsync();</c>, also through
    /// <c>ConfigureAwait</c> and <c>c ? _m.Lock() : await _m.LockAsync()</c>. Counts as a <c>lock</c> statement does.
    /// </summary>
    public static bool IsUnderUsingLock(StopFlagAccess read)
    {
        IOperation current = read.Reference;
        for (var parent = current.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return false;
                case IUsingOperation @using when @using.Body == current:
                    if (IsLockResource(@using.Resources))
                    {
                        return true;
                    }

                    break;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == current)
                        {
                            break;
                        }

                        if (statement is IUsingDeclarationOperation declaration && IsLockResource(declaration.DeclarationGroup))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    private static bool IsLockResource(IOperation? resource)
    {
        switch (resource is null ? null : OperationUnwrapping.WithoutConversions(resource))
        {
            case IVariableDeclarationGroupOperation group:
                if (group.Declarations.IsEmpty)
                {
                    return false;
                }

                foreach (var declaration in group.Declarations)
                {
                    if (declaration.Declarators.IsEmpty)
                    {
                        return false;
                    }

                    foreach (var declarator in declaration.Declarators)
                    {
                        if (!IsLockResource((declarator.Initializer ?? declaration.Initializer)?.Value))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case IAwaitOperation await:
                return IsLockResource(await.Operation);
            case IConditionalOperation conditional:
                return IsLockResource(conditional.WhenTrue) && IsLockResource(conditional.WhenFalse);
            case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited }:
                return IsLockResource(awaited);
            case IInvocationOperation invocation when IsLockName(invocation.TargetMethod.Name):
                var receiver = invocation.Instance
                    ?? (invocation.TargetMethod.IsExtensionMethod && !invocation.Arguments.IsEmpty ? invocation.Arguments[0].Value : null);
                return receiver is not null
                    && OperationUnwrapping.WithoutConversions(receiver) is IFieldReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation { Arguments.IsEmpty: true };
            default:
                return false;
        }
    }

    /// <summary>Lock, LockAsync, ReaderLock, WriterLockAsync, Acquire*, Enter*, Wait/WaitAsync (a disposable lock when it is a using resource).</summary>
    private static bool IsLockName(string name) =>
        (name.IndexOf("Lock", System.StringComparison.Ordinal) >= 0 && !name.StartsWith("Unlock", System.StringComparison.Ordinal))
        || name.StartsWith("Acquire", System.StringComparison.Ordinal)
        || name.StartsWith("Enter", System.StringComparison.Ordinal)
        || name is "Wait" or "WaitAsync";

    /// <summary>
    /// Whether <paramref name="write"/> is in an event handler that the loop of <paramref name="loopRead"/> raises on
    /// its own thread: the write's function is a lambda attached with <c>+=</c> to an instance event or handed to a
    /// call on an object (<c>manager.Subscribe&lt;T&gt;(OnDisconnected)</c>), or a local function or private method
    /// registered so and used nowhere else in <paramref name="scope"/>; the event or the registering method is not
    /// declared in the <c>System</c> namespaces (whose events come from timers, I/O and signals), and
    /// the loop calls an instance method, not a wait, on the object whose event it is, on an object whose type
    /// takes that object's type in a constructor (<c>new NetManager(listener)</c>, then <c>manager.PollEvents()</c>),
    /// or on the variable a builder chain through the registering call stores what it builds
    /// (<c>var c = new ConsumerBuilder(cfg).SetHandler(h).Build();</c>, then <c>c.Consume(t)</c>).
    /// </summary>
    public static bool IsRaisedByLoop(StopFlagAccess write, StopFlagAccess loopRead, StopFlagScope scope)
    {
        var frame = write.Chain[0];
        if (frame.IsThreadWork || loopRead.Loop is not { } loopSyntax || LoopOf(loopRead.Reference, loopSyntax) is not { } loop)
        {
            return false;
        }

        if (frame.IsLambda)
        {
            for (var current = write.Reference.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    return Registration(lambda) is { Adds: true } registration && IsRaisedBy(registration, loop);
                }
            }

            return false;
        }

        if (frame.Symbol is not IMethodSymbol method
            || !(method.MethodKind == MethodKind.LocalFunction
                 || (method.MethodKind == MethodKind.Ordinary && method.DeclaredAccessibility == Accessibility.Private)))
        {
            return false;
        }

        // Every use of the handler is a += / -= of it, and every += is to an event the loop raises.
        var attached = false;
        foreach (var root in scope.BlocksNaming(method.Name))
        {
            foreach (var operation in root.Descendants())
            {
                switch (operation)
                {
                    case IMethodReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method.OriginalDefinition):
                        if (Registration(reference) is not { } registration || (registration.Adds && !IsRaisedBy(registration, loop)))
                        {
                            return false;
                        }

                        attached |= registration.Adds;
                        break;
                    case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition):
                        return false;
                }
            }
        }

        return attached;
    }

    internal static IOperation? LoopOf(IOperation reference, SyntaxNode loopSyntax)
    {
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation && current.Syntax == loopSyntax)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// How a handler is handed to the object that will call it: an event <c>+=</c> / <c>-=</c> (not of a System type),
    /// or an argument of a call on that object (<c>manager.Subscribe&lt;T&gt;(OnDisconnected)</c>,
    /// <c>builder.SetHandler(h)</c>; a method named <c>Unsubscribe…</c>/<c>Remove…</c> takes it off). The source is the
    /// object, and Built the variable its builder chain stores the built object in; null for anything else.
    /// </summary>
    private static (IOperation Source, ISymbol? Built, bool Adds)? Registration(IOperation handler)
    {
        var current = OperationUnwrapping.AsDelegateValue(handler);

        switch (current.Parent)
        {
            case IEventAssignmentOperation assignment when assignment.HandlerValue == current:
                return assignment.EventReference is IEventReferenceOperation { Instance: { } instance, Event: { } @event }
                    && !SystemNamespaces.Contains(@event.ContainingType)
                        ? (OperationUnwrapping.WithoutConversions(instance), null, assignment.Adds)
                        : null;
            case IArgumentOperation { Parent: IInvocationOperation { Instance: { } receiver, TargetMethod: { ContainingType: { } type } registering } call }
                when !SystemNamespaces.Contains(type):
                var removes = registering.Name.StartsWith("Unsubscribe", System.StringComparison.Ordinal)
                    || registering.Name.StartsWith("Remove", System.StringComparison.Ordinal);
                return (OperationUnwrapping.WithoutConversions(receiver), BuiltInto(call), !removes);
            default:
                return null;
        }
    }

    /// <summary>
    /// The local or field that a fluent chain continuing from <paramref name="call"/> and ending in a <c>Build…</c>
    /// call is stored in (a declaration's initializer or an assignment); null when the chain does not end so.
    /// </summary>
    private static ISymbol? BuiltInto(IInvocationOperation call)
    {
        IOperation current = call;
        var built = false;
        while (true)
        {
            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IInvocationOperation { Instance: { } instance } next when OperationUnwrapping.WithoutConversions(instance) == current:
                    built = next.TargetMethod.Name.StartsWith("Build", System.StringComparison.Ordinal);
                    current = next;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when built:
                    return declarator.Symbol;
                case ISimpleAssignmentOperation { Target: { } target } assignment when built && OperationUnwrapping.WithoutConversions(assignment.Value) == current:
                    return OperationUnwrapping.WithoutConversions(target) switch
                    {
                        ILocalReferenceOperation local => local.Local,
                        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
                        _ => null,
                    };
                default:
                    return null;
            }
        }
    }

    /// <summary>Whether the loop calls (other than a wait) the object the handler was handed to, or one built from it.</summary>
    private static bool IsRaisedBy((IOperation Source, ISymbol? Built, bool Adds) registration, IOperation loop)
    {
        var source = registration.Source;
        foreach (var operation in loop.Descendants())
        {
            if (operation is not IInvocationOperation { Instance: { } instanceOfCall, TargetMethod: { IsStatic: false } called }
                || called.ContainingType is null
                || called.ContainingType.SpecialType == SpecialType.System_Object
                || IsWaitName(called.Name))
            {
                continue;
            }

            var receiver = OperationUnwrapping.WithoutConversions(instanceOfCall);
            if (IsSameObject(receiver, source) || TakesInConstructor(receiver.Type, source.Type) || IsBuilt(receiver, registration.Built))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBuilt(IOperation receiver, ISymbol? built) =>
        built is not null
        && receiver switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, built),
            IFieldReferenceOperation field => IsThisOrStatic(field.Instance) && SymbolEqualityComparer.Default.Equals(field.Field, built),
            _ => false,
        };

    private static bool IsSameObject(IOperation receiver, IOperation source) =>
        (receiver, source) switch
        {
            (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
            (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
            (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
            (IFieldReferenceOperation x, IFieldReferenceOperation y) =>
                SymbolEqualityComparer.Default.Equals(x.Field, y.Field) && IsThisOrStatic(x.Instance) && IsThisOrStatic(y.Instance),
            (IPropertyReferenceOperation x, IPropertyReferenceOperation y) =>
                x.Arguments.IsEmpty && SymbolEqualityComparer.Default.Equals(x.Property, y.Property) && IsThisOrStatic(x.Instance) && IsThisOrStatic(y.Instance),
            _ => false,
        };

    private static bool IsThisOrStatic(IOperation? instance) => instance is null or IInstanceReferenceOperation;

    /// <summary>Whether a constructor of <paramref name="receiverType"/> takes a <paramref name="sourceType"/> (its class, a base class or an interface, never object).</summary>
    private static bool TakesInConstructor(ITypeSymbol? receiverType, ITypeSymbol? sourceType)
    {
        if (receiverType is not INamedTypeSymbol named || sourceType is null || sourceType.SpecialType != SpecialType.None)
        {
            return false;
        }

        foreach (var constructor in named.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (parameter.Type.SpecialType == SpecialType.None
                    && parameter.Type.TypeKind is TypeKind.Class or TypeKind.Interface
                    && IsAssignableTo(sourceType, parameter.Type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsAssignableTo(ITypeSymbol source, ITypeSymbol target)
    {
        for (var type = source; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, target))
            {
                return true;
            }
        }

        foreach (var @interface in source.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call that waits for or ends the object it is made on (<c>Wait…</c>, <c>Join</c>, <c>Sleep</c>, <c>Dispose</c>), not one that runs its handlers.</summary>
    internal static bool IsWaitName(string name) =>
        name.StartsWith("Wait", System.StringComparison.Ordinal) || name is "Join" or "Sleep" or "Dispose";
}
