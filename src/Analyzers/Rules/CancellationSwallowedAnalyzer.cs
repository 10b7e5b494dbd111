using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0009: inside a loop whose condition does not check the token that its body observes, a <c>catch</c> that
/// swallows the cancellation (or a thread interrupt) and neither rethrows nor leaves the loop.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CancellationSwallowedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: what the catch swallows, one of the <c>Kind*</c> values.</summary>
    public const string KindProperty = "Kind";

    /// <summary>The catch handles OperationCanceledException itself (its type, a base type, or a bare catch).</summary>
    public const string KindCancellation = "Cancellation";

    /// <summary>The catch handles AggregateException, which wraps the cancellation of awaited-by-blocking tasks.</summary>
    public const string KindAggregate = "Aggregate";

    /// <summary>The catch handles ThreadInterruptedException.</summary>
    public const string KindInterrupt = "Interrupt";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.CancellationSwallowed,
        Descriptors.InterruptSwallowed);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.CancellationToken is null || types.OperationCanceledException is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeCatch(c, types), OperationKind.CatchClause);
    }

    private static void AnalyzeCatch(OperationAnalysisContext context, KnownTypes types)
    {
        var catchClause = (ICatchClauseOperation)context.Operation;
        if (catchClause.Parent is not ITryOperation tryOperation
            || catchClause.Syntax is not CatchClauseSyntax syntax
            || syntax.ContainsDiagnostics)
        {
            return;
        }

        var kind = Classify(catchClause.ExceptionType, types);
        if (kind is null
            || (catchClause.Filter is { } filter && FilterMaySeparateCancellation(filter, types)))
        {
            return;
        }

        if (EarlierCatchTakesCancellation(tryOperation, catchClause, types))
        {
            return;
        }

        var loop = EnclosingLoop(tryOperation);
        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        if (loop is null or IForEachLoopOperation
            || TokenReferences.ObservesAny(condition, types)
            || LoopClassifier.ContainsErrors(tryOperation)
            || OnlyBoundedCountingLoops(loop)
            || IsDrainUnderObservingLoop(loop, types))
        {
            return;
        }

        // The cancellation can only reach the catch if the protected code observes a token.
        var token = TokenReferences.FindFirst(tryOperation.Body, types);
        if (token is null
            || token.Syntax.ContainsDiagnostics
            || TokenReferences.ChecksCancellation(catchClause.Handler, types)
            || Leaves(catchClause.Handler, loop)
            || LeavesAfterTry(tryOperation, loop)
            || BodyChecksCancellationOutsideTry(loop, types)
            || FreshSourceEachIteration(token, loop, types)
            || StopEndsLoopBeforeCancel.Holds(condition, token, context.CancellationToken))
        {
            return;
        }

        var location = syntax.Declaration is { } declaration ? declaration.Type.GetLocation() : syntax.CatchKeyword.GetLocation();
        var caught = syntax.Declaration is { } typed ? "catch (" + typed.Type + ")" : "catch";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind);
        context.ReportDiagnostic(Diagnostic.Create(
            kind == KindInterrupt ? Descriptors.InterruptSwallowed : Descriptors.CancellationSwallowed,
            location,
            new[] { token.Syntax.GetLocation() },
            properties,
            caught,
            token.Syntax.ToString()));
    }

    /// <summary>What a catch of <paramref name="type"/> swallows, or null when it does not catch cancellation.</summary>
    private static string? Classify(ITypeSymbol? type, KnownTypes types)
    {
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (Is(type, types.AggregateException))
        {
            return KindAggregate;
        }

        if (Is(type, types.ThreadInterruptedException))
        {
            return KindInterrupt;
        }

        if (Is(type, types.TaskCanceledException))
        {
            return KindCancellation;
        }

        // OperationCanceledException or one of its bases: Exception, SystemException, and object for a bare catch.
        return CatchesEveryCancellation(type, types) ? KindCancellation : null;
    }

    /// <summary>
    /// Whether an exception filter may already keep cancellation out of the catch: it tests the exception's type,
    /// or looks at a token. Such a catch is not reported (precision first).
    /// </summary>
    private static bool FilterMaySeparateCancellation(IOperation filter, KnownTypes types)
    {
        foreach (var operation in filter.DescendantsAndSelf())
        {
            if (operation is IIsTypeOperation or IIsPatternOperation or ITypeOfOperation
                || TokenReferences.IsTokenReference(operation, types))
            {
                return true;
            }
        }

        return TokenReferences.ChecksCancellation(filter, types);
    }

    /// <summary>
    /// Whether an earlier catch of the same try already receives every OperationCanceledException (its type is
    /// OperationCanceledException or a base, with no filter, or with a filter that looks at a token): then the
    /// cancellation never reaches this catch.
    /// </summary>
    private static bool EarlierCatchTakesCancellation(ITryOperation tryOperation, ICatchClauseOperation catchClause, KnownTypes types)
    {
        foreach (var earlier in tryOperation.Catches)
        {
            if (earlier == catchClause)
            {
                return false;
            }

            if (!CatchesEveryCancellation(earlier.ExceptionType, types))
            {
                continue;
            }

            if (earlier.Filter is null || TokenReferences.ObservesAny(earlier.Filter, types) || TokenReferences.ChecksCancellation(earlier.Filter, types))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CatchesEveryCancellation(ITypeSymbol? type, KnownTypes types)
    {
        for (ITypeSymbol? current = types.OperationCanceledException; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost loop around <paramref name="operation"/> in the same function.</summary>
    private static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="loop"/> and every loop around it in the same function count up to a bound
    /// (<c>for (var i = 0; i &lt; max; i++)</c>): a bounded retry loop ends after its last attempt, so a swallowed
    /// cancellation cannot make it spin.
    /// </summary>
    private static bool OnlyBoundedCountingLoops(ILoopOperation loop)
    {
        if (!LoopClassifier.IsBoundedCounting(loop))
        {
            return false;
        }

        for (var current = EnclosingLoop(loop); current is not null; current = EnclosingLoop(current))
        {
            if (!LoopClassifier.IsBoundedCounting(current))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the statements after <paramref name="tryOperation"/> in its block end the loop unconditionally (a
    /// <c>break</c> out of it, a <c>return</c> or a <c>throw</c> among them): then a swallowed cancellation runs at
    /// most once more before the loop is left, and cannot make it spin.
    /// </summary>
    private static bool LeavesAfterTry(ITryOperation tryOperation, ILoopOperation loop)
    {
        if (tryOperation.Parent is not IBlockOperation block)
        {
            return false;
        }

        var after = false;
        foreach (var statement in block.Operations)
        {
            if (statement == tryOperation)
            {
                after = true;
                continue;
            }

            if (after && EndsLoop(statement, loop))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsLoop(IOperation statement, ILoopOperation loop) => statement switch
    {
        IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IReturnOperation { Kind: not OperationKind.YieldReturn } => true,
        IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
        _ => false,
    };

    /// <summary>
    /// Whether the loop's own body, outside any <c>try</c>, checks a token and leaves on cancellation:
    /// <c>token.ThrowIfCancellationRequested();</c> or <c>if (token.IsCancellationRequested) break;</c> as one of its
    /// statements. That is a condition check in another place: the loop ends at the next iteration.
    /// </summary>
    private static bool BodyChecksCancellationOutsideTry(ILoopOperation loop, KnownTypes types)
    {
        if (loop.Body is not IBlockOperation body)
        {
            return false;
        }

        foreach (var statement in body.Operations)
        {
            switch (statement)
            {
                case IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" } invocation }
                    when TokenReferences.ChecksCancellation(invocation, types):
                    return true;
                case IConditionalOperation { WhenTrue: { } whenTrue } conditional
                    when TokenReferences.ChecksCancellation(conditional.Condition, types) && Leaves(whenTrue, loop):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A drain, <c>while (reader.TryRead(out var item))</c> (a <c>Try...</c> call with an <c>out</c> argument and no token
    /// as the whole condition), directly inside a loop whose condition observes a token
    /// (<c>while (await reader.WaitToReadAsync(token))</c>), or in no loop at all: it waits for nothing and ends when what
    /// is already there is taken, and the cancellation then ends the loop around it. A swallowed cancellation cannot make
    /// it spin.
    /// </summary>
    private static bool IsDrainUnderObservingLoop(ILoopOperation loop, KnownTypes types)
    {
        if (loop is not IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: { } condition }
            || OperationUnwrapping.WithoutConversions(condition) is not IInvocationOperation { TargetMethod.Name: { } name } call
            || !name.StartsWith("Try", System.StringComparison.Ordinal)
            || !HasOutArgument(call)
            || TokenReferences.ObservesAny(call, types))
        {
            return false;
        }

        var outer = EnclosingLoop(loop);
        var outerCondition = outer switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        return outer is null || (outer is not IForEachLoopOperation && TokenReferences.ObservesAny(outerCondition, types));
    }

    private static bool HasOutArgument(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the source or token the try observes is a new one in every iteration: a local declared in the loop
    /// (also a member of one, <c>work.CancellationToken</c> of the item the iteration took), or a variable or field the
    /// loop body assigns. Cancelling one iteration's source then does not make the later
    /// iterations throw (a per-iteration source used as a "done" signal).
    /// </summary>
    private static bool FreshSourceEachIteration(IOperation token, ILoopOperation loop, KnownTypes types)
    {
        var root = token;
        while (root is IMemberReferenceOperation { Instance: { } instance })
        {
            root = OperationUnwrapping.WithoutConversions(instance);
        }

        if (root != token && root is ILocalReferenceOperation { Local: { } itemLocal } && IsDeclaredIn(itemLocal, loop))
        {
            // The token of the item this iteration took: the next iteration takes another item.
            return true;
        }

        var symbol = TokenReferences.Symbol(token);
        if (symbol is null)
        {
            return false;
        }

        if (symbol is ILocalSymbol local)
        {
            foreach (var reference in local.DeclaringSyntaxReferences)
            {
                if (loop.Syntax.Span.Contains(reference.Span))
                {
                    return true;
                }
            }
        }

        foreach (var operation in loop.Body.DescendantsAndSelf())
        {
            if (operation is ISimpleAssignmentOperation assignment
                && TokenReferences.IsTokenType(assignment.Value.Type, types)
                && SymbolEqualityComparer.Default.Equals(TokenReferences.Symbol(assignment.Target), symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredIn(ILocalSymbol local, ILoopOperation loop)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (loop.Syntax.SyntaxTree == reference.SyntaxTree && loop.Syntax.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the handler throws, returns, or branches out of the loop (not counting nested lambdas).</summary>
    private static bool Leaves(IOperation handler, ILoopOperation loop)
    {
        var innerLabels = new HashSet<ILabelSymbol>(SymbolEqualityComparer.Default);
        var branches = new List<IBranchOperation>();
        var pending = new Stack<IOperation>();
        pending.Push(handler);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IThrowOperation:
                    return true;
                case IReturnOperation { Kind: not OperationKind.YieldReturn }:
                    return true;
                case IBranchOperation branch:
                    branches.Add(branch);
                    break;
                case ILoopOperation innerLoop:
                    innerLabels.Add(innerLoop.ExitLabel);
                    innerLabels.Add(innerLoop.ContinueLabel);
                    break;
                case ISwitchOperation innerSwitch:
                    innerLabels.Add(innerSwitch.ExitLabel);
                    break;
                case ILabeledOperation labeled:
                    innerLabels.Add(labeled.Label);
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        foreach (var branch in branches)
        {
            if (!innerLabels.Contains(branch.Target)
                && !SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
