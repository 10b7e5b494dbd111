using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The main character of a loop, most telling first (see <see cref="LoopInfo.Kind"/>).</summary>
public enum LoopCategory
{
    /// <summary>None of the others: a condition on other state (a flag, a queue's count...).</summary>
    Other,

    /// <summary><c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c>.</summary>
    Endless,

    /// <summary>Not endless, and its body (or condition, or collection) blocks, sleeps, awaits or does I/O.</summary>
    LongRunning,

    /// <summary><c>for (i = 0; i &lt; n; i++)</c>, <c>while (i &lt; n) { … i++; }</c>, <c>for (node = head; node != null; node = node.Next)</c>.</summary>
    BoundedCounting,

    /// <summary><c>foreach</c> over an array, a list or another in-memory collection.</summary>
    InMemoryIteration,
}

/// <summary>Why a loop can run long.</summary>
[Flags]
public enum LongRunningReasons
{
    None = 0,
    Awaits = 1,
    Sleeps = 2,
    Blocks = 4,
    DoesIO = 8,
}

/// <summary>What one walk over a loop found.</summary>
public readonly struct LoopInfo
{
    internal LoopInfo(
        ILoopOperation loop,
        bool isEndless,
        bool isBoundedCounting,
        bool isInMemoryIteration,
        LongRunningReasons longRunning,
        IOperation? firstLongRunningOperation,
        bool hasOwnExit,
        IInvocationOperation? firstCallThatCouldTakeToken,
        bool observesCancellation,
        bool containsErrors,
        bool onlyWaitsForConsoleInput = false,
        bool onlyIOIsBufferedWritesOrFileOperations = false)
    {
        OnlyWaitsForConsoleInput = onlyWaitsForConsoleInput;
        OnlyIOIsBufferedWritesOrFileOperations = onlyIOIsBufferedWritesOrFileOperations;
        Loop = loop;
        IsEndless = isEndless;
        IsBoundedCounting = isBoundedCounting;
        IsInMemoryIteration = isInMemoryIteration;
        LongRunning = longRunning;
        FirstLongRunningOperation = firstLongRunningOperation;
        HasOwnExit = hasOwnExit;
        FirstCallThatCouldTakeToken = firstCallThatCouldTakeToken;
        ObservesCancellation = observesCancellation;
        ContainsErrors = containsErrors;
    }

    public ILoopOperation Loop { get; }

    /// <summary><c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c> (any constant-true condition).</summary>
    public bool IsEndless { get; }

    /// <summary>The condition compares a variable that the loop's increment or body changes.</summary>
    public bool IsBoundedCounting { get; }

    /// <summary>A synchronous <c>foreach</c> over an array, string, span or collection held in memory.</summary>
    public bool IsInMemoryIteration { get; }

    /// <summary>Why the loop can run long, outside nested lambdas and local functions (<see cref="LongRunningReasons.None"/> if it does not).</summary>
    public LongRunningReasons LongRunning { get; }

    public bool IsLongRunning => LongRunning != LongRunningReasons.None;

    /// <summary>
    /// Everything that makes the loop long-running is a console read (<c>Console.ReadLine</c>, <c>ReadKey</c>,
    /// <c>Read</c>): it waits for the user, which no token can interrupt (a prompt loop).
    /// </summary>
    public bool OnlyWaitsForConsoleInput { get; }

    /// <summary>
    /// The loop does I/O, and all of it is <c>Write</c> / <c>WriteLine</c> on a <c>TextWriter</c> or <c>BinaryWriter</c>
    /// (those fill the writer's buffer, and the wait is the flush, usually after the loop; with <c>AutoFlush</c> each
    /// write hands its bytes to the stream, which waits only when the reader at the other end stops reading), or a
    /// local file-system operation (<c>File.Delete</c>, <c>Move</c>, <c>Copy</c>, <c>SetAttributes</c>,
    /// <c>Directory.CreateDirectory</c>): each call ends by itself, with no network or peer to wait on.
    /// </summary>
    public bool OnlyIOIsBufferedWritesOrFileOperations { get; }

    /// <summary>The first await, blocking call or I/O call found.</summary>
    public IOperation? FirstLongRunningOperation { get; }

    /// <summary>
    /// A <c>break</c> of this loop, a <c>return</c>, <c>yield</c>, a <c>throw</c> not caught inside the loop, a
    /// <c>goto</c> out of it, or <c>Environment.Exit</c>; nested loops' breaks and lambdas do not count.
    /// </summary>
    public bool HasOwnExit { get; }

    /// <summary>
    /// The first call (outside lambdas) that could take a token and does not: a blocking call of GS0005's kind
    /// (sleep, waits, blocking collections, channel reads, Task.Delay, accept, WaitForExit) or a call whose method
    /// has an overload with a trailing <c>CancellationToken</c> (<see cref="TokenOverloads.CouldPassToken"/>).
    /// GS0005 reports such calls when a token is in scope, so GS0003 leaves those loops to it.
    /// </summary>
    public IInvocationOperation? FirstCallThatCouldTakeToken { get; }

    /// <summary>Whether the loop (condition, body, lambdas in it included) observes any token or source (<see cref="TokenObservation.IsObservingUse"/>).</summary>
    public bool ObservesCancellation { get; }

    /// <summary>Half-typed or invalid code in the loop: what <see cref="LoopClassifier.ContainsErrors"/> answers for it.</summary>
    public bool ContainsErrors { get; }

    /// <summary>Endless, else long-running, else bounded counting, else in-memory iteration, else other.</summary>
    public LoopCategory Kind =>
        IsEndless ? LoopCategory.Endless
        : IsLongRunning ? LoopCategory.LongRunning
        : IsBoundedCounting ? LoopCategory.BoundedCounting
        : IsInMemoryIteration ? LoopCategory.InMemoryIteration
        : LoopCategory.Other;
}

/// <summary>Classifies loops in one walk: endless / bounded / in-memory / long-running, own exits, token use.</summary>
public static class LoopClassifier
{
    /// <summary>Walks <paramref name="loop"/> once and returns everything rules ask about it.</summary>
    public static LoopInfo Analyze(ILoopOperation loop, KnownTypes types)
    {
        var walker = new Walker(loop, types);
        walker.Visit(loop, inLambda: false, inTryWithCatch: false);
        return new LoopInfo(
            loop,
            IsEndless(loop),
            IsBoundedCounting(loop),
            IsInMemoryIteration(loop),
            walker.LongRunning,
            walker.FirstLongRunning,
            walker.HasOwnExit,
            walker.FirstCallThatCouldTakeToken,
            walker.Observes,
            loop.Syntax.ContainsDiagnostics || walker.HasInvalid,
            walker.ReadsConsole && !walker.OtherLongRunning,
            (walker.LongRunning & LongRunningReasons.DoesIO) != 0 && !walker.OtherIO);
    }

    /// <summary>The loop's keyword (<c>while</c>, <c>do</c>, <c>for</c>, <c>foreach</c>): where loop diagnostics go.</summary>
    public static Location KeywordLocation(ILoopOperation loop) => loop.Syntax switch
    {
        WhileStatementSyntax s => s.WhileKeyword.GetLocation(),
        DoStatementSyntax s => s.DoKeyword.GetLocation(),
        ForStatementSyntax s => s.ForKeyword.GetLocation(),
        CommonForEachStatementSyntax s => s.ForEachKeyword.GetLocation(),
        _ => loop.Syntax.GetLocation(),
    };

    /// <summary>How messages name the loop: <c>while (true)</c>, <c>for (;;)</c>, <c>do … while</c>, <c>foreach</c>, <c>while</c>.</summary>
    public static string Describe(ILoopOperation loop) => loop.Syntax switch
    {
        WhileStatementSyntax s when s.Condition.IsKind(SyntaxKind.TrueLiteralExpression) => "while (true)",
        WhileStatementSyntax => "while",
        DoStatementSyntax => "do … while",
        ForStatementSyntax { Condition: null } => "for (;;)",
        ForStatementSyntax => "for",
        ForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } => "await foreach",
        CommonForEachStatementSyntax => "foreach",
        _ => "loop",
    };

    /// <summary>Whether <paramref name="operation"/> is half-typed or invalid code: a syntax error or an invalid operation inside.</summary>
    public static bool ContainsErrors(IOperation operation)
    {
        if (operation.Syntax.ContainsDiagnostics)
        {
            return true;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvalidOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the loop's body leaves it by a statement that syntax alone shows: a <c>return</c> or <c>yield</c>, a
    /// <c>break</c> of this loop (not of a nested loop or <c>switch</c>), or a <c>throw</c> that no <c>catch</c> inside
    /// the loop takes, outside nested functions. The syntax-only part of <see cref="LoopInfo.HasOwnExit"/> (never true
    /// where the walk finds no own exit), which a rule that needs only that asks before walking the loop: a parser's
    /// <c>while (true)</c> with its breaks and returns (issue 19).
    /// </summary>
    public static bool HasExitSyntax(ILoopOperation loop)
    {
        var loopSyntax = loop.Syntax;
        foreach (var node in loopSyntax.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            switch (node)
            {
                case ReturnStatementSyntax or YieldStatementSyntax:
                    return true;
                case BreakStatementSyntax when BreakTarget(node, loopSyntax) == loopSyntax:
                    return true;
                case ThrowStatementSyntax or ThrowExpressionSyntax when !IsCaughtWithin(node, loopSyntax):
                    return true;
            }
        }

        return false;
    }

    private static SyntaxNode? BreakTarget(SyntaxNode breakStatement, SyntaxNode loop)
    {
        for (var node = breakStatement.Parent; node is not null; node = node.Parent)
        {
            if (node == loop || node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Whether a <c>throw</c> lies in the protected block of a <c>try</c> with a <c>catch</c>, inside the loop.</summary>
    private static bool IsCaughtWithin(SyntaxNode throwNode, SyntaxNode loop)
    {
        var child = throwNode;
        for (var node = throwNode.Parent; node is not null && node != loop; child = node, node = node.Parent)
        {
            if (node is TryStatementSyntax { Catches.Count: > 0 } tryStatement && tryStatement.Block == child)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c>.</summary>
    public static bool IsEndless(ILoopOperation loop) => loop switch
    {
        IWhileLoopOperation whileLoop => whileLoop.Condition is null || IsConstantTrue(whileLoop.Condition),
        IForLoopOperation forLoop => forLoop.Condition is null || IsConstantTrue(forLoop.Condition),
        _ => false,
    };

    /// <summary>The condition of a <c>while</c>, <c>do … while</c> or <c>for</c> loop; null for other loops and a <c>for</c> without one.</summary>
    public static IOperation? ConditionOf(ILoopOperation loop) => loop switch
    {
        IWhileLoopOperation whileLoop => whileLoop.Condition,
        IForLoopOperation forLoop => forLoop.Condition,
        _ => null,
    };

    /// <summary>Whether the loop's condition compares a variable that its increment or body assigns.</summary>
    public static bool IsBoundedCounting(ILoopOperation loop)
    {
        var condition = ConditionOf(loop);
        if (condition is null || IsConstantTrue(condition))
        {
            return false;
        }

        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is not IBinaryOperation binary || !IsComparison(binary.OperatorKind))
            {
                continue;
            }

            if ((VariableOf(binary.LeftOperand) is { } left && IsAssignedIn(loop, left))
                || (VariableOf(binary.RightOperand) is { } right && IsAssignedIn(loop, right))
                || IsPropertyOfLocalChangedIn(loop, binary.LeftOperand)
                || IsPropertyOfLocalChangedIn(loop, binary.RightOperand))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A synchronous <c>foreach</c> over an array, string, span or in-memory collection.</summary>
    public static bool IsInMemoryIteration(ILoopOperation loop) =>
        loop is IForEachLoopOperation { IsAsynchronous: false } forEach && IsInMemory(forEach.Collection);

    private static bool IsInMemory(IOperation collection)
    {
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        var type = collection.Type;
        if (type is null)
        {
            return false;
        }

        if (collection is IInvocationOperation listing && IsDirectoryListing(listing.TargetMethod))
        {
            return true;
        }

        if (type is IArrayTypeSymbol || type.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        if (type is not INamedTypeSymbol named || IsBlockingCollection(named))
        {
            return false;
        }

        if (named.Name is "Span" or "ReadOnlySpan" && IsNamespace(named.ContainingNamespace, "System", null))
        {
            return true;
        }

        if (!IsCollectionsNamespace(named.ContainingNamespace))
        {
            return false;
        }

        switch (collection)
        {
            case IInvocationOperation invocation:
                // A method returning a concrete collection has it in memory; LINQ over in-memory data stays in memory.
                if (named.TypeKind != TypeKind.Interface)
                {
                    return true;
                }

                return invocation.TargetMethod.ContainingType is { Name: "Enumerable" } enumerable
                    && IsNamespace(enumerable.ContainingNamespace, "System", "Linq")
                    && invocation.Arguments.Length > 0
                    && IsInMemory(invocation.Arguments[0].Value);
            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
            case IFieldReferenceOperation:
            case IPropertyReferenceOperation:
            case IObjectCreationOperation:
            case ICollectionExpressionOperation:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>Directory.EnumerateFiles(path)</c>, <c>dirInfo.GetFileSystemInfos()</c>: one listing of a local directory, finite
    /// like a collection in memory (lazy or not, it ends when the directory's entries are read).
    /// </summary>
    private static bool IsDirectoryListing(IMethodSymbol method) =>
        method.ContainingType is { Name: "Directory" or "DirectoryInfo" } type
        && IsNamespace(type.ContainingNamespace, "System", "IO")
        && (method.Name.StartsWith("Enumerate", StringComparison.Ordinal) || method.Name.StartsWith("Get", StringComparison.Ordinal))
        && (method.Name.EndsWith("Files", StringComparison.Ordinal) || method.Name.EndsWith("Directories", StringComparison.Ordinal)
            || method.Name.EndsWith("Entries", StringComparison.Ordinal) || method.Name.EndsWith("Infos", StringComparison.Ordinal));

    private static bool IsConstantTrue(IOperation condition) =>
        condition.ConstantValue.HasValue && condition.ConstantValue.Value is true;

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals or BinaryOperatorKind.Equals;

    private static ISymbol? VariableOf(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
    }

    /// <summary>
    /// <c>builder.Length</c> or <c>items.Count</c> read from a local that the loop changes by calling it
    /// (<c>while (builder.Length &lt; size) builder.Append(...)</c>, <c>while (queue.Count &gt; 0) queue.Dequeue()</c>): a
    /// local is not shared with other threads, so the loop grows or drains it towards its end.
    /// </summary>
    private static bool IsPropertyOfLocalChangedIn(ILoopOperation loop, IOperation operand)
    {
        if (OperationUnwrapping.WithoutConversions(operand) is not IPropertyReferenceOperation { Property.IsStatic: false, Instance: { } instance }
            || OperationUnwrapping.WithoutConversions(instance) is not ILocalReferenceOperation { Local: { } local })
        {
            return false;
        }

        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IInvocationOperation { Instance: { } receiver }
                && OperationUnwrapping.WithoutConversions(receiver) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAssignedIn(ILoopOperation loop, ISymbol variable)
    {
        foreach (var operation in loop.Descendants())
        {
            var target = operation switch
            {
                IIncrementOrDecrementOperation increment => increment.Target,
                IAssignmentOperation assignment => assignment.Target,
                _ => null,
            };
            if (target is not null && SymbolEqualityComparer.Default.Equals(VariableOf(target), variable))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCollectionsNamespace(INamespaceSymbol? ns)
    {
        // System.Collections, System.Collections.Generic / Concurrent / Immutable / ObjectModel / Specialized.
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            if (current.Name == "Collections" && current.ContainingNamespace is { Name: "System" } system && system.ContainingNamespace.IsGlobalNamespace)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="ns"/> is <c>first</c> (or <c>first.second</c>).</summary>
    internal static bool IsNamespace(INamespaceSymbol? ns, string first, string? second)
    {
        if (ns is null)
        {
            return false;
        }

        if (second is not null)
        {
            if (ns.Name != second)
            {
                return false;
            }

            ns = ns.ContainingNamespace;
        }

        return ns is not null && ns.Name == first && ns.ContainingNamespace is { IsGlobalNamespace: true };
    }

    private static bool IsBlockingCollection(INamedTypeSymbol type) =>
        type.Name == "BlockingCollection" && IsCollectionsNamespace(type.ContainingNamespace);

    private sealed class Walker
    {
        private readonly ILoopOperation _loop;
        private readonly KnownTypes _types;

        public Walker(ILoopOperation loop, KnownTypes types)
        {
            _loop = loop;
            _types = types;
        }

        public LongRunningReasons LongRunning { get; private set; }

        public IOperation? FirstLongRunning { get; private set; }

        public bool HasOwnExit { get; private set; }

        public IInvocationOperation? FirstCallThatCouldTakeToken { get; private set; }

        public bool Observes { get; private set; }

        public bool HasInvalid { get; private set; }

        public bool ReadsConsole { get; private set; }

        public bool OtherLongRunning { get; private set; }

        /// <summary>I/O other than a buffered writer's <c>Write</c> / <c>WriteLine</c> and local file-system operations.</summary>
        public bool OtherIO { get; private set; }

        private bool _inCollection;

        public void Visit(IOperation operation, bool inLambda, bool inTryWithCatch)
        {
            if (operation is IInvalidOperation)
            {
                HasInvalid = true;
            }


            if (!Observes && operation.Type is { } type
                && (TokenScope.IsToken(type, _types) || TokenScope.IsSource(type, _types))
                && TokenObservation.IsObservingUse(operation, _types))
            {
                Observes = true;
            }

            if (!inLambda)
            {
                Inspect(operation, inTryWithCatch);
            }

            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    foreach (var child in operation.ChildOperations)
                    {
                        Visit(child, inLambda: true, inTryWithCatch);
                    }

                    return;
                case IForEachLoopOperation forEach when forEach == _loop && IsInMemory(forEach.Collection):
                    // The collection is evaluated once, before the first iteration: what it waits for is not the loop's.
                    _inCollection = true;
                    Visit(forEach.Collection, inLambda, inTryWithCatch);
                    _inCollection = false;
                    foreach (var child in operation.ChildOperations)
                    {
                        if (child != forEach.Collection)
                        {
                            Visit(child, inLambda, inTryWithCatch);
                        }
                    }

                    return;
                case ITryOperation tryOperation:
                    Visit(tryOperation.Body, inLambda, inTryWithCatch || !tryOperation.Catches.IsEmpty);
                    foreach (var catchClause in tryOperation.Catches)
                    {
                        Visit(catchClause, inLambda, inTryWithCatch);
                    }

                    if (tryOperation.Finally is { } finallyBlock)
                    {
                        Visit(finallyBlock, inLambda, inTryWithCatch);
                    }

                    return;
                default:
                    foreach (var child in operation.ChildOperations)
                    {
                        Visit(child, inLambda, inTryWithCatch);
                    }

                    return;
            }
        }

        private void Inspect(IOperation operation, bool inTryWithCatch)
        {
            switch (operation)
            {
                case IBranchOperation branch:
                    if ((branch.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(branch.Target, _loop.ExitLabel))
                        || (branch.BranchKind == BranchKind.GoTo && IsOutsideLoop(branch.Target)))
                    {
                        HasOwnExit = true;
                    }

                    break;
                case IReturnOperation:
                    HasOwnExit = true;
                    break;
                case IThrowOperation:
                    if (!inTryWithCatch)
                    {
                        HasOwnExit = true;
                    }

                    break;
                case IAwaitOperation:
                    AddLongRunning(LongRunningReasons.Awaits, operation);
                    break;
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                    AddLongRunning(LongRunningReasons.Awaits, operation);
                    break;
                case IPropertyReferenceOperation property when property.Property.Name == "Result" && IsTask(property.Property.ContainingType):
                    if (!CompletedTasks.IsKnownComplete(property))
                    {
                        AddLongRunning(LongRunningReasons.Blocks, operation);
                    }

                    break;
                case IInvocationOperation invocation:
                    InspectCall(invocation);
                    break;
            }
        }

        private void InspectCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name is "Exit" or "FailFast" && Is(method.ContainingType, _types.Environment))
            {
                HasOwnExit = true;
                return;
            }

            var (reason, gs0005Kind) = Classify(method);
            if (reason == LongRunningReasons.DoesIO && (WritesToConsole(invocation) || LocalDataStreams.IsOnMemory(invocation)))
            {
                reason = LongRunningReasons.None;
            }

            if (reason == LongRunningReasons.DoesIO && !_inCollection && !IsBufferedWrite(invocation) && !IsFileOperation(invocation))
            {
                OtherIO = true;
            }

            if (reason != LongRunningReasons.None)
            {
                AddLongRunning(reason, invocation);
            }

            if (FirstCallThatCouldTakeToken is null
                && !TokenOverloads.PassesToken(invocation, _types)
                && (gs0005Kind || TokenOverloads.CouldPassToken(invocation, _types)))
            {
                FirstCallThatCouldTakeToken = invocation;
            }
        }

        /// <summary>Why a call can take long, and whether GS0005's table lists it.</summary>
        private (LongRunningReasons Reason, bool Gs0005) Classify(IMethodSymbol method)
        {
            var type = method.ContainingType?.OriginalDefinition;
            if (type is null)
            {
                return (LongRunningReasons.None, false);
            }

            var name = method.Name;
            if (Is(type, _types.Thread))
            {
                return name switch
                {
                    "Sleep" => (LongRunningReasons.Sleeps, true),
                    "Join" => (LongRunningReasons.Blocks, false),
                    _ => (LongRunningReasons.None, false),
                };
            }

            if (DerivesFrom(type, _types.WaitHandle))
            {
                return name is "WaitOne" or "WaitAll" or "WaitAny" or "SignalAndWait" ? (LongRunningReasons.Blocks, true) : (LongRunningReasons.None, false);
            }

            if (IsTask(type))
            {
                return name switch
                {
                    "Wait" or "WaitAll" or "WaitAny" => (LongRunningReasons.Blocks, true),
                    "Delay" => (LongRunningReasons.None, true),
                    _ => (LongRunningReasons.None, false),
                };
            }

            if (Is(type, _types.TaskAwaiter) || Is(type, _types.TaskAwaiterOfT))
            {
                return name == "GetResult" ? (LongRunningReasons.Blocks, false) : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.Monitor))
            {
                return name == "Wait" ? (LongRunningReasons.Blocks, false) : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.SemaphoreSlim) || Is(type, _types.ManualResetEventSlim) || Is(type, _types.CountdownEvent))
            {
                return name switch
                {
                    "Wait" => (LongRunningReasons.Blocks, true),
                    "WaitAsync" => (LongRunningReasons.None, true),
                    _ => (LongRunningReasons.None, false),
                };
            }

            if (Is(type, _types.Barrier))
            {
                return name == "SignalAndWait" ? (LongRunningReasons.Blocks, true) : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.SpinWait))
            {
                return name == "SpinUntil" ? (LongRunningReasons.Blocks, false) : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.BlockingCollectionOfT))
            {
                return name is "Take" or "TryTake" or "Add" or "TryAdd" or "GetConsumingEnumerable" or "TakeFromAny" or "TryTakeFromAny" or "AddToAny" or "TryAddToAny"
                    ? (LongRunningReasons.Blocks, true)
                    : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.Process))
            {
                return name == "WaitForExit" ? (LongRunningReasons.Blocks, true) : (LongRunningReasons.None, false);
            }

            if (Is(type, _types.Console))
            {
                return name is "ReadLine" or "ReadKey" or "Read" ? (LongRunningReasons.DoesIO, false) : (LongRunningReasons.None, false);
            }

            if (type.Name is "ChannelReader" or "ChannelWriter"
                && type.ContainingNamespace is { Name: "Channels", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } })
            {
                return name is "ReadAsync" or "WaitToReadAsync" or "ReadAllAsync" or "WriteAsync" or "WaitToWriteAsync"
                    ? (LongRunningReasons.None, true)
                    : (LongRunningReasons.None, false);
            }

            if (IsIO(type, name))
            {
                var accept = name is "Accept" or "AcceptSocket" or "AcceptTcpClient";
                return (LongRunningReasons.DoesIO, accept);
            }

            return (LongRunningReasons.None, false);
        }

        /// <summary>
        /// I/O: streams, readers and writers (not the in-memory ones), files and directories, sockets, TCP/UDP clients and
        /// listeners, HTTP and web clients, DNS, web sockets, serial ports and pipes. Property-like and metadata calls
        /// (Exists, Dispose, Close, ...) are not.
        /// </summary>
        private static bool IsIO(INamedTypeSymbol type, string methodName)
        {
            if (methodName is "Exists" or "Dispose" or "DisposeAsync" or "Close" or "ToString" or "GetHashCode" or "Equals" or "GetType"
                or "Combine" or "Create" or "Parse" or "TryParse" or "SetRequestHeader" or "Start" or "Stop")
            {
                return false;
            }

            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                var ns = current.ContainingNamespace;
                var inIO = IsNamespace(ns, "System", "IO") || (ns?.ContainingNamespace is { } parent && IsNamespace(parent, "System", "IO"));
                var inNet = IsNamespace(ns, "System", "Net") || (ns?.ContainingNamespace is { } netParent && IsNamespace(netParent, "System", "Net"));
                if (inIO && current.Name is "MemoryStream" or "UnmanagedMemoryStream" or "StringReader" or "StringWriter" or "Path")
                {
                    return false;
                }

                if (inIO && current.Name is "Stream" or "TextReader" or "TextWriter" or "BinaryReader" or "BinaryWriter"
                    or "File" or "Directory" or "FileInfo" or "DirectoryInfo" or "FileSystemInfo" or "SerialPort")
                {
                    return true;
                }

                if (inNet && current.Name is "Socket" or "TcpClient" or "TcpListener" or "UdpClient" or "HttpClient" or "HttpMessageInvoker"
                    or "WebClient" or "WebRequest" or "WebResponse" or "Dns" or "WebSocket" or "Ping" or "SmtpClient" or "HttpListener")
                {
                    return !IsSocketConfiguration(methodName);
                }
            }

            return false;
        }

        /// <summary>
        /// A setting of the local socket (<c>udp.JoinMulticastGroup(group, address)</c>, <c>SetSocketOption</c>, <c>Bind</c>):
        /// it returns at once, with no peer to wait on (fresh set 6, monotorrent joining a multicast group on each network
        /// interface).
        /// </summary>
        private static bool IsSocketConfiguration(string methodName) =>
            methodName is "JoinMulticastGroup" or "DropMulticastGroup" or "SetSocketOption" or "GetSocketOption" or "Bind"
                or "AllowNatTraversal" or "SetIPProtectionLevel" or "IOControl";

        /// <summary><c>Console.Out.Write(...)</c>, <c>Console.Error.WriteLine(...)</c>: logging, not the I/O a loop waits on.</summary>
        private bool WritesToConsole(IInvocationOperation invocation) =>
            invocation.Instance is IPropertyReferenceOperation { Property.Name: "Out" or "Error" } property
            && Is(property.Property.ContainingType, _types.Console);

        /// <summary><c>writer.Write(...)</c> / <c>WriteLine(...)</c> on a <c>TextWriter</c> or <c>BinaryWriter</c>: it fills a buffer.</summary>
        private static bool IsBufferedWrite(IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.Name is not ("Write" or "WriteLine"))
            {
                return false;
            }

            for (var current = invocation.TargetMethod.ContainingType; current is not null; current = current.BaseType)
            {
                if (current.Name is "TextWriter" or "BinaryWriter" && IsNamespace(current.ContainingNamespace, "System", "IO"))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// <c>File.Delete(path)</c>, <c>fileInfo.MoveTo(target)</c>, <c>Directory.CreateDirectory(path)</c>: one operation on
        /// the local file system's entries, not a stream to wait on.
        /// </summary>
        private static bool IsFileOperation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            return method.Name is "Delete" or "Move" or "MoveTo" or "Copy" or "CopyTo" or "Replace" or "SetAttributes" or "CreateDirectory"
                    or "SetCreationTime" or "SetCreationTimeUtc" or "SetLastWriteTime" or "SetLastWriteTimeUtc" or "SetLastAccessTime" or "SetLastAccessTimeUtc"
                && method.ContainingType is { Name: "File" or "Directory" or "FileInfo" or "DirectoryInfo" or "FileSystemInfo" } type
                && IsNamespace(type.ContainingNamespace, "System", "IO");
        }

        private void AddLongRunning(LongRunningReasons reason, IOperation operation)
        {
            if (_inCollection)
            {
                return;
            }

            if (operation is IInvocationOperation { TargetMethod.ContainingType: { } containing } && Is(containing, _types.Console))
            {
                ReadsConsole = true;
            }
            else
            {
                OtherLongRunning = true;
            }

            LongRunning |= reason;
            FirstLongRunning ??= operation;
        }

        private bool IsOutsideLoop(ILabelSymbol label)
        {
            var locations = label.Locations;
            return locations.Length > 0 && locations[0].IsInSource && !_loop.Syntax.Span.Contains(locations[0].SourceSpan);
        }

        private bool IsTask(INamedTypeSymbol? type)
        {
            var original = type?.OriginalDefinition;
            return Is(original, _types.Task) || Is(original, _types.TaskOfT);
        }

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

        private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? expected)
        {
            if (expected is null)
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
