using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    public static IEnumerable<ThreadWork> GetAll(IOperation operation, KnownTypes types) => GetAll(operation, Classify(operation, types));

    /// <summary>Every piece of work started by <paramref name="operation"/>, a start site of kind <paramref name="kind"/>.</summary>
    public static IEnumerable<ThreadWork> GetAll(IOperation operation, ThreadStartKind kind)
    {
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

    /// <summary>
    /// The invocations and object creations written in <paramref name="declaration"/> (a type's declaration), outside
    /// nested type declarations: every operation that an invocation or object-creation action of the type would see.
    /// Rules use it to find a type's start sites only when they need them, instead of an action on every call.
    /// </summary>
    public static IEnumerable<IOperation> CallsAndCreations(SyntaxNode declaration, SemanticModel model, CancellationToken cancellationToken, Func<SyntaxNode, bool>? mayMatter = null)
    {
        foreach (var node in declaration.DescendantNodes(n => n == declaration || n is not (BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)))
        {
            if (node is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax
                && (mayMatter is null || mayMatter(node))
                && model.GetOperation(node, cancellationToken) is { Kind: OperationKind.Invocation or OperationKind.ObjectCreation } operation)
            {
                yield return operation;
            }
        }
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
/// The methods (in source) that some start site runs on its own thread: call <see cref="AddStartSite"/> for the object
/// creations and invocations of the code searched (<see cref="StopModel"/>),
/// then ask <see cref="TryGetWork"/>. Thread-safe.
/// </summary>
public sealed class ThreadWorkMethods
{
    // Created at the first start site: most types have none, and an empty concurrent dictionary is not cheap.
    private ConcurrentDictionary<IMethodSymbol, ThreadWork>? _methods;

    /// <summary>Records the work methods of <paramref name="operation"/> if it is a start site.</summary>
    public void AddStartSite(IOperation operation, KnownTypes types)
    {
        var kind = ThreadStartSites.Classify(operation, types);
        if (kind == ThreadStartKind.None)
        {
            return;
        }

        foreach (var work in ThreadStartSites.GetAll(operation, kind))
        {
            AddWork(work);
        }
    }

    /// <summary>Records the method of <paramref name="work"/> (a start site's work) if it is in source.</summary>
    public void AddWork(ThreadWork work)
    {
        if (work.Method is { } method && method.DeclaringSyntaxReferences.Length > 0)
        {
            var methods = Volatile.Read(ref _methods);
            if (methods is null)
            {
                Interlocked.CompareExchange(ref _methods, new ConcurrentDictionary<IMethodSymbol, ThreadWork>(SymbolEqualityComparer.Default), null);
                methods = Volatile.Read(ref _methods)!;
            }

            methods.TryAdd(method.OriginalDefinition, work);
        }
    }

    /// <summary>Whether <paramref name="method"/> runs on its own thread, and the (first seen) start site that runs it.</summary>
    public bool TryGetWork(IMethodSymbol method, out ThreadWork work)
    {
        if (Volatile.Read(ref _methods) is { } methods)
        {
            return methods.TryGetValue(method.OriginalDefinition, out work);
        }

        work = default;
        return false;
    }

    public bool IsEmpty => Volatile.Read(ref _methods) is not { IsEmpty: false };
}
