using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007 cases where the write does reach the loop, or where the loop does not depend on it to stop, found on code
/// the rule was not tuned on (issue 18). Asked only on the way to a report.
/// </summary>
public static class StopFlagOrdering
{
    /// <summary>A write in a finalizer: the object is unreachable by then, so no loop of it is still polling.</summary>
    public static bool IsInFinalizer(StopFlagAccess write) =>
        write.Chain[write.Chain.Length - 1].Symbol is IMethodSymbol { MethodKind: MethodKind.Destructor };

    /// <summary>
    /// A write that a later statement of the same block follows with a thread start (<c>new Thread(...).Start()</c>,
    /// <c>thread.Start()</c>, <c>Task.Run</c>, ...), with no other write of the flag in between: the start orders the
    /// write before everything the new thread reads, so it is a setting handed to the work, not a stop request
    /// (fresh F2: <c>failFastOnHang = ...; new Thread(Run).Start();</c>).
    /// </summary>
    public static bool IsWrittenBeforeStart(StopFlagAccess write, KnownTypes types)
    {
        IOperation statement = write.Reference;
        while (statement.Parent is { } parent && parent is not IBlockOperation)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation)
            {
                return false;
            }

            statement = parent;
        }

        if (statement.Parent is not IBlockOperation block)
        {
            return false;
        }

        var symbol = OperationUnwrapping.ReferencedSymbol(write.Reference);
        var after = false;
        foreach (var sibling in block.Operations)
        {
            if (!after)
            {
                after = sibling == statement;
                continue;
            }

            switch (FirstWriteOrStart(sibling, symbol, types))
            {
                case true:
                    return true;
                case false:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// In execution order, outside lambdas and local functions (they run later): true at a thread start, false at a
    /// write of <paramref name="flag"/>, null when neither comes.
    /// </summary>
    private static bool? FirstWriteOrStart(IOperation operation, ISymbol? flag, KnownTypes types)
    {
        if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
        {
            return null;
        }

        if (operation is ISimpleAssignmentOperation { Target: var target }
            && SymbolEqualityComparer.Default.Equals(OperationUnwrapping.ReferencedSymbol(target), flag))
        {
            return false;
        }

        if (ThreadStartSites.Classify(operation, types) is not ThreadStartKind.None and not ThreadStartKind.NewThread
            || (operation is IInvocationOperation { TargetMethod: { Name: "Start", IsStatic: false } start }
                && (SymbolEqualityComparer.Default.Equals(start.ContainingType, types.Thread)
                    || SymbolEqualityComparer.Default.Equals(start.ContainingType, types.Task))))
        {
            return true;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (FirstWriteOrStart(child, flag, types) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// A loop that ends by itself whatever the flag does: a counting loop (<c>for (i = 0; i &lt; 4; i++)</c>), a
    /// <c>foreach</c> over items that end, or a condition that also calls a <c>Try…</c> method or steps an enumerator
    /// (<c>while (!_stop &amp;&amp; queue.TryDequeue(out item))</c>), starts an operation that may go pending
    /// (<c>while (!_disposed &amp;&amp; !socket.AcceptAsync(args))</c>) or has a deadline, or a body that leaves when a
    /// timed wait times out (<see cref="TimeoutExits"/>), or a retry loop (<see cref="RetryLoops"/>). "Never stops"
    /// would be untrue there.
    /// </summary>
    public static bool LoopEndsAnyway(StopFlagAccess read)
    {
        if (read.Loop is not { } syntax || StopFlagExemptions.LoopOf(read.Reference, syntax) is not ILoopOperation loop)
        {
            return false;
        }

        if (LoopClassifier.IsBoundedCounting(loop) || LoopClassifier.IsInMemoryIteration(loop) || IsFiniteForEach(loop)
            || TimeoutExits.LeavesOnTimeout(loop))
        {
            return true;
        }

        var condition = LoopClassifier.ConditionOf(loop);
        if (condition is null)
        {
            return false;
        }

        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: var name } method }
                && (name.StartsWith("Try", StringComparison.Ordinal) || IsEnumeratorStep(name) || StartsAsynchronously(method)))
            {
                return true;
            }

            // A call on a type whose assembly is not referenced does not bind; its name, as written, still tells a step
            // (fresh set 6, QuickLook's reader.MoveToNextEntry() with SharpCompress missing).
            if (operation is IInvalidOperation { Syntax: InvocationExpressionSyntax { Expression: var callee } }
                && RightmostName.Of(callee) is { } written
                && (written.StartsWith("Try", StringComparison.Ordinal) || IsEnumeratorStep(written)))
            {
                return true;
            }
        }

        return HasDeadline(condition) || RetryLoops.IsGatedByTurnLocal(loop, condition);
    }

    /// <summary>
    /// A synchronous <c>foreach</c> over anything but a consuming enumeration (<c>GetConsumingEnumerable()</c>, a
    /// <c>BlockingCollection</c>): it ends with the items, and a flag read in it only cuts the walk short (fresh set 6,
    /// an archive's entries walked until <c>_disposed</c>). A flag loop around it is still a flag loop.
    /// </summary>
    private static bool IsFiniteForEach(ILoopOperation loop) =>
        loop is IForEachLoopOperation { IsAsynchronous: false } forEach
        && OperationUnwrapping.WithoutConversions(forEach.Collection) is var collection
        && collection is not IInvocationOperation { TargetMethod.Name: "GetConsumingEnumerable" }
        && collection.Type is not INamedTypeSymbol { Name: "BlockingCollection" };

    /// <summary><c>enumerator.MoveNext()</c>, <c>reader.MoveToNextEntry()</c>: a step through items that end.</summary>
    private static bool IsEnumeratorStep(string name) =>
        name == "MoveNext" || name.StartsWith("MoveToNext", StringComparison.Ordinal);

    /// <summary>
    /// A part of the condition joined by "and" (<c>&amp;&amp;</c> or <c>&amp;</c>) that reads a clock
    /// (<c>DateTime.Now</c>, <c>UtcNow</c>, <c>Environment.TickCount</c>, a <c>Stopwatch</c>): the loop ends at its
    /// deadline whatever the flag holds (fresh set 4, EasyModbus's
    /// <c>while (dataReceived == false &amp; !(DateTime.Now.Ticks - sent.Ticks &gt; timeout))</c>).
    /// </summary>
    private static bool HasDeadline(IOperation condition)
    {
        var part = OperationUnwrapping.WithoutConversions(condition);
        if (part is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } both)
        {
            return HasDeadline(both.LeftOperand) || HasDeadline(both.RightOperand);
        }

        foreach (var operation in part.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: { Name: "Now" or "UtcNow", ContainingType.Name: "DateTime" or "DateTimeOffset" } }:
                case IPropertyReferenceOperation { Property: { Name: "TickCount" or "TickCount64", ContainingType.Name: "Environment" } }:
                case IPropertyReferenceOperation { Property: { Name: "Elapsed" or "ElapsedMilliseconds" or "ElapsedTicks", ContainingType.Name: "Stopwatch" } }:
                case IInvocationOperation { TargetMethod: { Name: "GetTimestamp" or "GetElapsedTime", ContainingType.Name: "Stopwatch" } }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>socket.AcceptAsync(args)</c>: a synchronous <c>…Async</c> method returning bool starts an operation and tells
    /// whether it is still pending; a loop conditioned on it only drains the operations that completed at once and ends
    /// when one goes pending.
    /// </summary>
    private static bool StartsAsynchronously(IMethodSymbol method) =>
        method.ReturnType.SpecialType == SpecialType.System_Boolean && method.Name.EndsWith("Async", StringComparison.Ordinal);

    /// <summary>
    /// A loop that awaits a call given a cancellation token (<c>await Task.Delay(d, token)</c>): its real stop is the
    /// token, and a read after an await is not one the JIT can hoist out of the loop.
    /// </summary>
    public static bool LoopAwaitsWithToken(StopFlagAccess read, KnownTypes types)
    {
        if (read.Loop is not { } syntax || StopFlagExemptions.LoopOf(read.Reference, syntax) is not ILoopOperation loop)
        {
            return false;
        }

        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IAwaitOperation await
                && OperationUnwrapping.WithoutConversions(await.Operation) is IInvocationOperation call
                && TakesToken(call, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>_stop = true; _wake.Set();</c> where the loop waits on <c>_wake</c> (<c>WaitOne</c>, <c>Wait</c>,
    /// <c>Monitor.Wait</c> after <c>Pulse</c>, <c>Release</c> then <c>Wait</c>): the signal orders the write before
    /// the loop's next read, so the loop sees it.
    /// </summary>
    public static bool IsSignalledAfterWrite(StopFlagAccess write, StopFlagAccess read)
    {
        if (read.Loop is not { } syntax
            || StopFlagExemptions.LoopOf(read.Reference, syntax) is not ILoopOperation loop
            || StatementOf(write.Reference) is not { Parent: IBlockOperation block } statement)
        {
            return false;
        }

        var after = false;
        foreach (var next in block.Operations)
        {
            if (next == statement)
            {
                after = true;
                continue;
            }

            if (!after)
            {
                continue;
            }

            foreach (var operation in next.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation call
                    && (SignalsWhatTheLoopWaitsOn(call, loop) || HelperSignalsWhatTheLoopWaitsOn(call, loop)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool SignalsWhatTheLoopWaitsOn(IInvocationOperation call, ILoopOperation loop) =>
        IsSignalName(call.TargetMethod.Name) && SignalledObject(call) is { } signalled && LoopWaitsOn(loop, signalled);

    private static bool IsSignalName(string name) => name is "Set" or "Release" or "Pulse" or "PulseAll";

    /// <summary>
    /// A call of a method of the type that signals (<c>_stop = true; Prompt();</c> with <c>void Prompt() =&gt;
    /// _wake.Set();</c>, fresh set 6): one call down, the helper's signals count as the caller's, read as the stop
    /// model reads them (<see cref="StopPathCalls"/>).
    /// </summary>
    private static bool HelperSignalsWhatTheLoopWaitsOn(IInvocationOperation call, ILoopOperation loop)
    {
        if (call.SemanticModel is not { } model || call.TargetMethod.ContainingType?.OriginalDefinition is not { } type)
        {
            return false;
        }

        foreach (var (field, owner, name) in StopPathCalls.SignalsOf(call, type, model, CancellationToken.None, skipStopNamed: false))
        {
            if (owner is null && IsSignalName(name) && LoopWaitsOn(loop, field))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A wait of the loop on <paramref name="handle"/>, in its body or in its condition
    /// (<c>while (_dataReceive.WaitOne(timeout)) { if (_stopping) break; }</c>, fresh set 11): either way each turn's
    /// read of the flag comes after a wait that returned.
    /// </summary>
    private static bool LoopWaitsOn(ILoopOperation loop, ISymbol handle) =>
        WaitsOn(loop.Body.Descendants(), handle)
        || (LoopClassifier.ConditionOf(loop) is { } condition && WaitsOn(condition.DescendantsAndSelf(), handle));

    private static bool WaitsOn(IEnumerable<IOperation> operations, ISymbol handle)
    {
        foreach (var operation in operations)
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: "WaitOne" or "Wait" or "WaitAny" or "WaitAll" } wait)
            {
                continue;
            }

            foreach (var part in wait.DescendantsAndSelf())
            {
                if (part is IFieldReferenceOperation or ILocalReferenceOperation or IPropertyReferenceOperation
                    && OperationUnwrapping.ReferencedSymbol(part) is { } symbol
                    && SymbolEqualityComparer.Default.Equals(symbol, handle))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ISymbol? SignalledObject(IInvocationOperation signal) =>
        signal.TargetMethod.IsStatic
            ? signal.Arguments.Length > 0 ? OperationUnwrapping.ReferencedSymbol(signal.Arguments[0].Value) : null
            : signal.Instance is { } instance ? OperationUnwrapping.ReferencedSymbol(instance) : null;

    /// <summary>The statement (a direct child of a block) that holds <paramref name="operation"/>.</summary>
    internal static IOperation? StatementOf(IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current.Parent is IBlockOperation)
            {
                return current;
            }
        }

        return null;
    }

    private static bool TakesToken(IInvocationOperation call, KnownTypes types)
    {
        foreach (var argument in call.Arguments)
        {
            // The hidden "cancellationToken = default" of a call that passes none is no token (fresh set 4, a Ctrl+C
            // flag loop awaiting ProduceAsync(topic, message)).
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && TokenScope.IsToken(argument.Value.Type, types))
            {
                return true;
            }
        }

        return call.Instance is IInvocationOperation inner && TakesToken(inner, types);
    }
}
