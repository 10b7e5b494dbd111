using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>How work was handed to another thread.</summary>
public enum ThreadStartKind
{
    None,
    NewThread,
    NewTask,
    TaskRun,
    TaskFactoryStartNew,
    ThreadPool,
    Parallel,
}

/// <summary>
/// The work that a start site runs on its own thread: a lambda or anonymous method, a method group, or the
/// method that such a lambda merely calls (a lambda whose body is a single call in the same compilation).
/// </summary>
public readonly struct ThreadWork
{
    public ThreadWork(ThreadStartKind kind, IOperation startSite, IOperation workArgument, IAnonymousFunctionOperation? lambda, IMethodSymbol? method)
    {
        Kind = kind;
        StartSite = startSite;
        WorkArgument = workArgument;
        Lambda = lambda;
        Method = method;
    }

    public ThreadStartKind Kind { get; }

    /// <summary>The <c>new Thread(...)</c>, <c>Task.Run(...)</c>, ... operation.</summary>
    public IOperation StartSite { get; }

    /// <summary>The argument that carries the work (a delegate creation, possibly converted).</summary>
    public IOperation WorkArgument { get; }

    /// <summary>The lambda or anonymous method, when the work is written inline.</summary>
    public IAnonymousFunctionOperation? Lambda { get; }

    /// <summary>The method that runs: the method group's target, or the single method an inline lambda calls.</summary>
    public IMethodSymbol? Method { get; }

    public bool IsValid => Kind != ThreadStartKind.None;
}

/// <summary>Recognises the places where work starts on its own thread, and the work they start.</summary>
public static class ThreadStartSites
{
    /// <summary>The kind of start site <paramref name="operation"/> is, or <see cref="ThreadStartKind.None"/>.</summary>
    public static ThreadStartKind Classify(IOperation operation, KnownTypes types)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation:
                // Names first: a string comparison rejects almost every creation before any symbol is compared.
                if (creation.Type is not { Name: "Thread" or "Task" } created)
                {
                    return ThreadStartKind.None;
                }

                if (Is(created, types.Thread))
                {
                    return ThreadStartKind.NewThread;
                }

                if (Is(created, types.Task) || Is(created.OriginalDefinition, types.TaskOfT))
                {
                    return ThreadStartKind.NewTask;
                }

                return ThreadStartKind.None;

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                switch (method.Name)
                {
                    case "Run":
                        var runType = method.ContainingType?.OriginalDefinition;
                        return Is(runType, types.Task) || Is(runType, types.TaskOfT) ? ThreadStartKind.TaskRun : ThreadStartKind.None;
                    case "StartNew":
                        var factoryType = method.ContainingType?.OriginalDefinition;
                        return Is(factoryType, types.TaskFactory) || Is(factoryType, types.TaskFactoryOfT) ? ThreadStartKind.TaskFactoryStartNew : ThreadStartKind.None;
                    case "QueueUserWorkItem" or "UnsafeQueueUserWorkItem":
                        return Is(method.ContainingType?.OriginalDefinition, types.ThreadPool) ? ThreadStartKind.ThreadPool : ThreadStartKind.None;
                    case "For" or "ForEach" or "Invoke":
                        return Is(method.ContainingType?.OriginalDefinition, types.Parallel) ? ThreadStartKind.Parallel : ThreadStartKind.None;
                    default:
                        return ThreadStartKind.None;
                }

            default:
                return ThreadStartKind.None;
        }
    }

    /// <summary>
    /// The work started by <paramref name="operation"/>; for <c>Parallel.Invoke</c> the first action only
    /// (use <see cref="GetAll"/> for every one).
    /// </summary>
    public static ThreadWork Get(IOperation operation, KnownTypes types)
    {
        foreach (var work in GetAll(operation, types))
        {
            return work;
        }

        return default;
    }

    /// <summary>Every piece of work started by <paramref name="operation"/> (several for <c>Parallel.Invoke</c>).</summary>
    public static IEnumerable<ThreadWork> GetAll(IOperation operation, KnownTypes types)
    {
        var kind = Classify(operation, types);
        if (kind == ThreadStartKind.None)
        {
            yield break;
        }

        var arguments = operation switch
        {
            IObjectCreationOperation creation => creation.Arguments,
            IInvocationOperation invocation => invocation.Arguments,
            _ => default,
        };
        if (arguments.IsDefaultOrEmpty)
        {
            yield break;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.TypeKind != TypeKind.Delegate
                && !(argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation))
            {
                continue;
            }

            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    var work = Resolve(kind, operation, element);
                    if (work.IsValid)
                    {
                        yield return work;
                    }
                }

                continue;
            }

            var single = Resolve(kind, operation, argument.Value);
            if (single.IsValid)
            {
                yield return single;
            }

            // Only the first delegate is the work (a continuation or state argument may follow).
            yield break;
        }
    }

    /// <summary>Resolves a delegate-valued operation to the lambda or method it runs.</summary>
    public static ThreadWork Resolve(ThreadStartKind kind, IOperation startSite, IOperation value)
    {
        var current = value;
        while (true)
        {
            switch (current)
            {
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    continue;
                case IDelegateCreationOperation delegateCreation:
                    current = delegateCreation.Target;
                    continue;
                case IParenthesizedOperation parenthesized:
                    current = parenthesized.Operand;
                    continue;
            }

            break;
        }

        switch (current)
        {
            case IAnonymousFunctionOperation lambda:
                return new ThreadWork(kind, startSite, value, lambda, SingleCallTarget(lambda));
            case IMethodReferenceOperation reference:
                return new ThreadWork(kind, startSite, value, null, reference.Method);
            default:
                return default;
        }
    }

    /// <summary>
    /// The start site whose work is <paramref name="lambda"/> (<c>new Thread(() => …)</c>, <c>Task.Run(async () => …)</c>,
    /// an action of <c>Parallel.Invoke</c>), or an invalid <see cref="ThreadWork"/>.
    /// </summary>
    public static ThreadWork GetWorkOf(IAnonymousFunctionOperation lambda, KnownTypes types)
    {
        IOperation current = lambda;
        while (current.Parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation
            or IArrayInitializerOperation or IArrayCreationOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is not IArgumentOperation { Parent: { } site })
        {
            return default;
        }

        foreach (var work in GetAll(site, types))
        {
            if (work.Lambda == lambda)
            {
                return work;
            }
        }

        return default;
    }

    /// <summary>
    /// The thread work that directly holds <paramref name="operation"/>: its nearest enclosing lambda or anonymous
    /// method, when that is the work of a start site. A local function or a lambda that is not thread work ends the
    /// search (its code runs wherever it is called).
    /// </summary>
    public static ThreadWork GetEnclosingWork(IOperation operation, KnownTypes types)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return GetWorkOf(lambda, types);
                case ILocalFunctionOperation:
                    return default;
            }
        }

        return default;
    }

    /// <summary>The method a lambda merely calls (<c>() => Run()</c>, <c>() => { Run(token); }</c>), if it is in source.</summary>
    private static IMethodSymbol? SingleCallTarget(IAnonymousFunctionOperation lambda)
    {
        var operations = lambda.Body.Operations;
        IOperation? only = null;
        foreach (var operation in operations)
        {
            if (operation is IReturnOperation { ReturnedValue: null, IsImplicit: true })
            {
                continue;
            }

            if (only is not null)
            {
                return null;
            }

            only = operation;
        }

        var call = only switch
        {
            IExpressionStatementOperation { Operation: IInvocationOperation invocation } => invocation,
            IReturnOperation { ReturnedValue: IInvocationOperation invocation } => invocation,
            _ => null,
        };
        if (call?.TargetMethod is not { } method || method.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        return method;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}

/// <summary>
/// The methods (in source) that some start site runs on its own thread, collected while a type or a compilation is
/// analysed: call <see cref="AddStartSite"/> from an operation action on object creations and invocations, and
/// ask <see cref="TryGetWork"/> at the symbol or compilation end. Thread-safe.
/// </summary>
public sealed class ThreadWorkMethods
{
    private readonly ConcurrentDictionary<IMethodSymbol, ThreadWork> _methods = new(SymbolEqualityComparer.Default);

    /// <summary>Records the work methods of <paramref name="operation"/> if it is a start site.</summary>
    public void AddStartSite(IOperation operation, KnownTypes types)
    {
        if (ThreadStartSites.Classify(operation, types) == ThreadStartKind.None)
        {
            return;
        }

        foreach (var work in ThreadStartSites.GetAll(operation, types))
        {
            if (work.Method is { } method && method.DeclaringSyntaxReferences.Length > 0)
            {
                _methods.TryAdd(method.OriginalDefinition, work);
            }
        }
    }

    /// <summary>Whether <paramref name="method"/> runs on its own thread, and the (first seen) start site that runs it.</summary>
    public bool TryGetWork(IMethodSymbol method, out ThreadWork work) => _methods.TryGetValue(method.OriginalDefinition, out work);

    public bool IsEmpty => _methods.IsEmpty;
}
