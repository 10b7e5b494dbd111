using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The token a start site was given, and where the call carries it.</summary>
public readonly struct StartToken
{
    public StartToken(IOperation value, IArgumentOperation argument)
    {
        Value = value;
        Argument = argument;
    }

    /// <summary>The token expression (<c>token</c>, <c>cts.Token</c>); for Parallel, the value of <c>ParallelOptions.CancellationToken</c>.</summary>
    public IOperation Value { get; }

    /// <summary>The argument of the start call that carries it (the token, or the <c>ParallelOptions</c>).</summary>
    public IArgumentOperation Argument { get; }

    public bool IsValid => Value is not null;
}

/// <summary>
/// GS0008's view of a start site: the token given to <c>Task.Run</c> / <c>StartNew</c> / <c>new Task</c> /
/// <c>ParallelOptions</c>, the code its work runs, and whether that code loops or blocks without observing any token.
/// </summary>
public static class StartTokens
{
    /// <summary>Whether <paramref name="kind"/> takes a token that only keeps the work from starting.</summary>
    public static bool TakesToken(ThreadStartKind kind) =>
        kind is ThreadStartKind.TaskRun or ThreadStartKind.TaskFactoryStartNew or ThreadStartKind.NewTask or ThreadStartKind.Parallel;

    /// <summary>The real token (not <c>default</c> / <c>None</c>) that <paramref name="startSite"/> is given, or an invalid value.</summary>
    public static StartToken Find(IOperation startSite, ThreadStartKind kind, KnownTypes types)
    {
        var arguments = startSite switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };
        if (arguments.IsDefaultOrEmpty)
        {
            return default;
        }

        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
            {
                continue;
            }

            if (kind != ThreadStartKind.Parallel && TokenScope.IsToken(argument.Parameter.Type, types))
            {
                var value = OperationUnwrapping.WithoutConversions(argument.Value);
                return IsNone(value) ? default : new StartToken(value, argument);
            }

            if (kind == ThreadStartKind.Parallel && Is(argument.Parameter.Type, types.ParallelOptions))
            {
                var value = OptionsToken(argument.Value, types);
                return value is null || IsNone(value) ? default : new StartToken(value, argument);
            }
        }

        return default;
    }

    /// <summary>
    /// The code a piece of work runs: the lambda's body, and the body of the method it merely calls or the method
    /// group's method when that method is declared in the same syntax tree (other trees are not looked at).
    /// </summary>
    public static ImmutableArray<IOperation> Bodies(ThreadWork work, SemanticModel? model)
    {
        var builder = ImmutableArray.CreateBuilder<IOperation>(2);
        if (work.Lambda is { } lambda)
        {
            builder.Add(lambda.Body);
        }

        if (work.Method is { } method && MethodBody(method, model) is { } body)
        {
            builder.Add(body);
        }

        return builder.ToImmutable();
    }

    /// <summary>The body operation of <paramref name="method"/> when it is declared (once) in <paramref name="model"/>'s tree.</summary>
    public static IOperation? MethodBody(IMethodSymbol method, SemanticModel? model)
    {
        if (model is null || method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var reference = method.DeclaringSyntaxReferences[0];
        if (reference.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        var operation = model.GetOperation(reference.GetSyntax());
        return operation switch
        {
            IMethodBodyBaseOperation body => (IOperation?)body.BlockBody ?? body.ExpressionBody,
            ILocalFunctionOperation local => local.Body,
            _ => null,
        };
    }

    /// <summary>The loops of <paramref name="body"/> (outside nested lambdas and local functions) that are endless or long-running.</summary>
    public static ImmutableArray<LoopInfo> LongLoops(IOperation body, KnownTypes types)
    {
        var builder = ImmutableArray.CreateBuilder<LoopInfo>();
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is ILoopOperation loop)
            {
                var info = LoopClassifier.Analyze(loop, types);
                if (info.IsEndless || info.IsLongRunning)
                {
                    builder.Add(info);
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        builder.Sort((a, b) => a.Loop.Syntax.SpanStart.CompareTo(b.Loop.Syntax.SpanStart));
        return builder.ToImmutable();
    }

    /// <summary>
    /// Whether <paramref name="body"/> blocks outside loops (outside nested lambdas): a call that has a token overload
    /// it does not use, <c>Thread.Sleep</c> / <c>Join</c>, or a wait on a <c>WaitHandle</c>.
    /// </summary>
    public static bool Blocks(IOperation body, KnownTypes types)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is IInvocationOperation invocation && IsBlockingCall(invocation, types))
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }

    /// <summary>The name messages use for a start site: <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>new Task</c>, <c>Parallel.For</c>.</summary>
    public static string Describe(IOperation startSite, ThreadStartKind kind) => kind switch
    {
        ThreadStartKind.TaskRun => "Task.Run",
        ThreadStartKind.TaskFactoryStartNew => "Task.Factory.StartNew",
        ThreadStartKind.NewTask => "new Task",
        ThreadStartKind.Parallel when startSite is IInvocationOperation invocation => "Parallel." + invocation.TargetMethod.Name,
        _ => "the start call",
    };

    private static bool IsBlockingCall(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (Is(type, types.Thread))
        {
            return method.Name is "Sleep" or "Join";
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, types.WaitHandle))
            {
                return method.Name is "WaitOne" or "WaitAll" or "WaitAny" or "SignalAndWait";
            }
        }

        return TokenOverloads.CouldPassToken(invocation, types);
    }

    private static IOperation? OptionsToken(IOperation options, KnownTypes types)
    {
        options = OperationUnwrapping.WithoutConversions(options);
        if (options is ILocalReferenceOperation local
            && local.Local.DeclaringSyntaxReferences.Length == 1
            && local.SemanticModel is { } model
            && local.Local.DeclaringSyntaxReferences[0].SyntaxTree == model.SyntaxTree
            && model.GetOperation(local.Local.DeclaringSyntaxReferences[0].GetSyntax()) is IVariableDeclaratorOperation declarator)
        {
            options = declarator.Initializer?.Value is { } initial ? OperationUnwrapping.WithoutConversions(initial) : options;
        }

        if (options is not IObjectCreationOperation { Initializer: { } initializer } creation || !Is(creation.Type, types.ParallelOptions))
        {
            return null;
        }

        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CancellationToken" } } assignment)
            {
                return OperationUnwrapping.WithoutConversions(assignment.Value);
            }
        }

        return null;
    }

    /// <summary><c>default</c>, <c>CancellationToken.None</c>, <c>new CancellationToken(...)</c>: no token to observe.</summary>
    private static bool IsNone(IOperation value) => value switch
    {
        IDefaultValueOperation => true,
        ILiteralOperation => true,
        IPropertyReferenceOperation { Property: { IsStatic: true, Name: "None" } } => true,
        IObjectCreationOperation { Type.Name: "CancellationToken" } => true,
        _ => false,
    };

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
