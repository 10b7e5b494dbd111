using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>What the GS0005 fix writes instead of a blocking call.</summary>
public enum BlockingReplacement
{
    /// <summary>No rewrite: the call is reported (GS0006) but no token-aware form exists.</summary>
    None,

    /// <summary>The same call with the token appended (or given to its omitted optional token parameter).</summary>
    TokenOverload,

    /// <summary><c>Thread.Sleep(t)</c>: <c>token.WaitHandle.WaitOne(t)</c>, or <c>await Task.Delay(t, token)</c> in async code.</summary>
    SleepOnToken,

    /// <summary><c>h.WaitOne(t)</c>: <c>WaitHandle.WaitAny(new[] { h, token.WaitHandle }, t)</c> with the cancel index handled.</summary>
    WaitAnyWithToken,

    /// <summary>In async code only: <c>await x.NameAsync(token)</c>.</summary>
    AwaitAsyncOverload,
}

/// <summary>One row of the blocking-API table (the spec's replacement table, plus the GS0006-only waits).</summary>
public sealed class BlockingApi
{
    public BlockingApi(
        string display,
        string typeMetadataName,
        string methodName,
        bool canWaitForever,
        bool hasTokenOverload,
        bool hasTimeoutOverload,
        bool hasAsyncTokenOverload,
        BlockingReplacement replacement,
        string? asyncMethodName = null,
        int parameterCount = -1,
        bool tokenIsOptionalParameter = false)
    {
        Display = display;
        TypeMetadataName = typeMetadataName;
        MethodName = methodName;
        CanWaitForever = canWaitForever;
        HasTokenOverload = hasTokenOverload;
        HasTimeoutOverload = hasTimeoutOverload;
        HasAsyncTokenOverload = hasAsyncTokenOverload;
        Replacement = replacement;
        AsyncMethodName = asyncMethodName;
        ParameterCount = parameterCount;
        TokenIsOptionalParameter = tokenIsOptionalParameter;
    }

    /// <summary>How messages name the API, e.g. <c>Thread.Sleep</c>.</summary>
    public string Display { get; }

    public string TypeMetadataName { get; }

    public string MethodName { get; }

    /// <summary>
    /// Whether, given no timeout (or an infinite one), the call blocks a thread until an event that may never come
    /// (the GS0006 set). Awaited waits (<c>Task.Delay</c>, <c>WaitAsync</c>, channel reads and writes) and waits that
    /// end when the producer completes (<c>GetConsumingEnumerable</c>, a bounded <c>Add</c>) are not counted.
    /// </summary>
    public bool CanWaitForever { get; }

    /// <summary>Whether a synchronous overload takes a <c>CancellationToken</c>.</summary>
    public bool HasTokenOverload { get; }

    /// <summary>Whether an overload takes a timeout (the GS0006 timeout fix, for waits with no token overload).</summary>
    public bool HasTimeoutOverload { get; }

    /// <summary>Whether an awaitable form takes a <c>CancellationToken</c> (<see cref="AsyncMethodName"/>, or <c>Task.Delay</c> for <c>Sleep</c>).</summary>
    public bool HasAsyncTokenOverload { get; }

    public BlockingReplacement Replacement { get; }

    /// <summary>For <see cref="BlockingReplacement.AwaitAsyncOverload"/>: the method taking only the token.</summary>
    public string? AsyncMethodName { get; }

    /// <summary>Only overloads with this many parameters match (-1: every overload without a token parameter).</summary>
    public int ParameterCount { get; }

    /// <summary>The API's methods take an optional <c>CancellationToken</c>; the call matches when it is omitted.</summary>
    public bool TokenIsOptionalParameter { get; }

    /// <summary>Timeout-only waits: no token overload, only a timeout one (<c>Join</c>, <c>Monitor.Wait</c>, <c>SpinUntil</c>).</summary>
    public bool IsTimeoutOnly => !HasTokenOverload && !HasAsyncTokenOverload && HasTimeoutOverload && Replacement == BlockingReplacement.None;
}

/// <summary>A blocking call recognised by <see cref="BlockingApis.Match"/>.</summary>
public readonly struct BlockingCall
{
    public BlockingCall(BlockingApi? api, IMethodSymbol method, IMethodSymbol? tokenOverload, IParameterSymbol? omittedTokenParameter, IArgumentOperation? timeout, bool waitsForever, bool isConfigured)
    {
        Api = api;
        Method = method;
        TokenOverload = tokenOverload;
        OmittedTokenParameter = omittedTokenParameter;
        Timeout = timeout;
        WaitsForever = waitsForever;
        IsConfigured = isConfigured;
    }

    /// <summary>The table row, or null for the general "same parameters plus a trailing token" rule.</summary>
    public BlockingApi? Api { get; }

    public IMethodSymbol Method { get; }

    /// <summary>The overload with the same parameters plus a trailing <c>CancellationToken</c>, if any.</summary>
    public IMethodSymbol? TokenOverload { get; }

    /// <summary>The method's own optional token parameter that the call leaves out.</summary>
    public IParameterSymbol? OmittedTokenParameter { get; }

    /// <summary>The timeout (or delay) argument, if the call has one.</summary>
    public IArgumentOperation? Timeout { get; }

    /// <summary>No timeout, or an infinite one.</summary>
    public bool WaitsForever { get; }

    /// <summary>The method was named in <c>gracefulstop.blocking_methods</c>.</summary>
    public bool IsConfigured { get; }

    public bool IsValid => Method is not null;

    public string Display => Api?.Display ?? Method.ContainingType.Name + "." + Method.Name;

    /// <summary>The replacement GS0005 writes (the table's, or the token overload for the general rule).</summary>
    public BlockingReplacement Replacement =>
        Api?.Replacement ?? (TokenOverload is not null || OmittedTokenParameter is not null ? BlockingReplacement.TokenOverload : BlockingReplacement.None);

    /// <summary>The constant timeout in milliseconds, when the timeout argument is a constant (int or TimeSpan factory).</summary>
    public long? ConstantTimeoutMs => Timeout is null ? null : BlockingApis.ConstantMilliseconds(Timeout.Value);

    /// <summary>The longest the timeout can be, in milliseconds: the constant, or the cap of a <c>Math.Min</c> / <c>Math.Clamp</c>.</summary>
    public long? MaxTimeoutMs => Timeout is null ? null : WaitBounds.UpperMilliseconds(Timeout.Value);
}

/// <summary>
/// The blocking-API table, matched by name (method, then containing type), with verdicts cached per compilation:
/// which methods block or wait, whether they can wait forever, which token / timeout / async overloads they have, and
/// what the fix writes. Also the general rule: any method with an overload taking the same parameters plus a trailing
/// <c>CancellationToken</c> (looked up once per method and cached for the compilation).
/// </summary>
public sealed class BlockingApis
{
    /// <summary>The table. Order does not matter; every row names one method group (filtered by <see cref="BlockingApi.ParameterCount"/>).</summary>
    public static ImmutableArray<BlockingApi> Table { get; } = ImmutableArray.Create(
        // display, type, method, can wait forever, token overload, timeout overload, async token overload, replacement
        new BlockingApi("Thread.Sleep", "System.Threading.Thread", "Sleep", true, false, true, true, BlockingReplacement.SleepOnToken),
        new BlockingApi("WaitHandle.WaitOne", "System.Threading.WaitHandle", "WaitOne", true, false, true, false, BlockingReplacement.WaitAnyWithToken),
        new BlockingApi("Task.Wait", "System.Threading.Tasks.Task", "Wait", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("Task.WaitAll", "System.Threading.Tasks.Task", "WaitAll", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("Task.WaitAny", "System.Threading.Tasks.Task", "WaitAny", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("BlockingCollection.Take", "System.Collections.Concurrent.BlockingCollection`1", "Take", true, true, false, false, BlockingReplacement.TokenOverload),
        new BlockingApi("BlockingCollection.Add", "System.Collections.Concurrent.BlockingCollection`1", "Add", false, true, false, false, BlockingReplacement.TokenOverload),
        new BlockingApi("BlockingCollection.GetConsumingEnumerable", "System.Collections.Concurrent.BlockingCollection`1", "GetConsumingEnumerable", false, true, false, false, BlockingReplacement.TokenOverload),
        new BlockingApi("SemaphoreSlim.Wait", "System.Threading.SemaphoreSlim", "Wait", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("SemaphoreSlim.WaitAsync", "System.Threading.SemaphoreSlim", "WaitAsync", false, true, true, true, BlockingReplacement.TokenOverload),
        new BlockingApi("ManualResetEventSlim.Wait", "System.Threading.ManualResetEventSlim", "Wait", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("CountdownEvent.Wait", "System.Threading.CountdownEvent", "Wait", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("Barrier.SignalAndWait", "System.Threading.Barrier", "SignalAndWait", true, true, true, false, BlockingReplacement.TokenOverload),
        new BlockingApi("Task.Delay", "System.Threading.Tasks.Task", "Delay", false, true, false, true, BlockingReplacement.TokenOverload),
        new BlockingApi("ChannelReader.ReadAsync", "System.Threading.Channels.ChannelReader`1", "ReadAsync", false, true, false, true, BlockingReplacement.TokenOverload, tokenIsOptionalParameter: true),
        new BlockingApi("ChannelReader.WaitToReadAsync", "System.Threading.Channels.ChannelReader`1", "WaitToReadAsync", false, true, false, true, BlockingReplacement.TokenOverload, tokenIsOptionalParameter: true),
        new BlockingApi("ChannelReader.ReadAllAsync", "System.Threading.Channels.ChannelReader`1", "ReadAllAsync", false, true, false, true, BlockingReplacement.TokenOverload, tokenIsOptionalParameter: true),
        new BlockingApi("ChannelWriter.WriteAsync", "System.Threading.Channels.ChannelWriter`1", "WriteAsync", false, true, false, true, BlockingReplacement.TokenOverload, tokenIsOptionalParameter: true),
        new BlockingApi("ChannelWriter.WaitToWriteAsync", "System.Threading.Channels.ChannelWriter`1", "WaitToWriteAsync", false, true, false, true, BlockingReplacement.TokenOverload, tokenIsOptionalParameter: true),
        new BlockingApi("TcpListener.AcceptTcpClient", "System.Net.Sockets.TcpListener", "AcceptTcpClient", true, false, false, true, BlockingReplacement.AwaitAsyncOverload, "AcceptTcpClientAsync", parameterCount: 0),
        new BlockingApi("TcpListener.AcceptSocket", "System.Net.Sockets.TcpListener", "AcceptSocket", true, false, false, true, BlockingReplacement.AwaitAsyncOverload, "AcceptSocketAsync", parameterCount: 0),
        new BlockingApi("Socket.Accept", "System.Net.Sockets.Socket", "Accept", true, false, false, true, BlockingReplacement.AwaitAsyncOverload, "AcceptAsync", parameterCount: 0),
        new BlockingApi("Process.WaitForExit", "System.Diagnostics.Process", "WaitForExit", true, false, true, true, BlockingReplacement.AwaitAsyncOverload, "WaitForExitAsync", parameterCount: 0),
        new BlockingApi("Thread.Join", "System.Threading.Thread", "Join", true, false, true, false, BlockingReplacement.None, parameterCount: 0),
        new BlockingApi("Monitor.Wait", "System.Threading.Monitor", "Wait", true, false, true, false, BlockingReplacement.None, parameterCount: 1),
        new BlockingApi("SpinWait.SpinUntil", "System.Threading.SpinWait", "SpinUntil", true, false, true, false, BlockingReplacement.None, parameterCount: 1),
        new BlockingApi("Socket.Receive", "System.Net.Sockets.Socket", "Receive", true, false, false, false, BlockingReplacement.None));

    /// <summary>
    /// Methods the general rule leaves alone although they have a token overload: they start or complete work
    /// rather than wait for it (a token given to <c>Task.Run</c> only prevents the start; that is GS0008's concern).
    /// </summary>
    public static ImmutableArray<(string TypeMetadataName, string MethodName)> NotWaits { get; } = ImmutableArray.Create(
        ("System.Threading.Tasks.Task", "Run"),
        ("System.Threading.Tasks.Task", "ContinueWith"),
        ("System.Threading.Tasks.Task`1", "ContinueWith"),
        ("System.Threading.Tasks.TaskFactory", "StartNew"),
        ("System.Threading.Tasks.TaskFactory`1", "StartNew"),
        ("System.Threading.Tasks.TaskCompletionSource", "TrySetCanceled"),
        ("System.Threading.Tasks.TaskCompletionSource", "SetCanceled"),
        ("System.Threading.Tasks.TaskCompletionSource`1", "TrySetCanceled"),
        ("System.Threading.Tasks.TaskCompletionSource`1", "SetCanceled"));

    private static readonly ConditionalWeakTable<Compilation, BlockingApis> Cache = new();

    private static readonly ImmutableHashSet<string> WaitForeverNames = CollectWaitForeverNames();

    // Bit n set: some wait-forever name is n characters long / starts with the letter 'A' + n. Nearly every method name
    // fails one of the two tests, which costs less than hashing it for the set.
    private static readonly ulong WaitForeverLengths = Mask(WaitForeverNames, static name => name.Length);
    private static readonly ulong WaitForeverInitials = Mask(WaitForeverNames, static name => name[0] - 'A');

    private static readonly ImmutableDictionary<string, ImmutableArray<BlockingApi>> RowsByName = IndexByName();

    private readonly ConcurrentDictionary<BlockingApi, bool> _asyncAvailable = new();
    private readonly ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> _tokenOverloads = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, ImmutableHashSet<IMethodSymbol>> _configured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IMethodSymbol, MatchVerdict> _mayMatch = new(SymbolEqualityComparer.Default);
    private readonly Compilation _compilation;
    private readonly KnownTypes _types;

    // Rows and exclusions are recognised by name (method name, then the containing type's full metadata name), not by
    // resolving each row's type up front: 40 metadata-name look-ups cost about 1.5 ms per compilation, in every build.
    private BlockingApis(Compilation compilation)
    {
        _compilation = compilation;
        _types = KnownTypes.Get(compilation);
    }

    public INamedTypeSymbol? CancellationToken => _types.CancellationToken;

    public INamedTypeSymbol? TimeSpan => _types.TimeSpan;

    /// <summary>Whether a row that can wait forever (the GS0006 set) has a method called <paramref name="methodName"/>.</summary>
    public static bool IsWaitForeverName(string methodName) =>
        methodName.Length is > 0 and < 64
        && (WaitForeverLengths & (1UL << methodName.Length)) != 0
        && methodName[0] - 'A' is >= 0 and < 64
        && (WaitForeverInitials & (1UL << (methodName[0] - 'A'))) != 0
        && WaitForeverNames.Contains(methodName);

    public static BlockingApis Get(Compilation compilation) => Cache.GetValue(compilation, static c => new BlockingApis(c));

    /// <summary>Whether the row's async replacement (<c>...Async(CancellationToken)</c>) exists in this compilation.</summary>
    public bool IsAsyncReplacementAvailable(BlockingApi api)
    {
        if (api.Replacement != BlockingReplacement.AwaitAsyncOverload || api.AsyncMethodName is null)
        {
            return false;
        }

        return _asyncAvailable.TryGetValue(api, out var available)
            ? available
            : _asyncAvailable.GetOrAdd(api, _compilation.GetTypeByMetadataName(api.TypeMetadataName) is { } type && HasTokenOnlyMethod(type, api.AsyncMethodName));
    }

    /// <summary>
    /// The blocking call <paramref name="invocation"/> makes, or an invalid value. Calls that already pass a token
    /// (any explicit <c>CancellationToken</c> argument, even <c>CancellationToken.None</c>) are not matched.
    /// </summary>
    public BlockingCall Match(IInvocationOperation invocation, ISymbol within, string configuredMethods)
    {
        if (CancellationToken is null)
        {
            return default;
        }

        var method = invocation.TargetMethod;
        IParameterSymbol? omitted = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.Type, CancellationToken))
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    return default;
                }

                omitted = parameter;
            }
        }

        if (IsNotWait(method.OriginalDefinition))
        {
            return default;
        }

        var row = FindRow(method);
        if (row is not null && row.TokenIsOptionalParameter != (omitted is not null))
        {
            row = null;
        }

        if (row is null && IsRelease(method))
        {
            omitted = null;
        }

        var configured = IsConfigured(method, configuredMethods);
        var overload = omitted is null && !IsRelease(method) ? FindTokenOverload(method) : null;
        // The token overload that is the caller itself: Run(x, token) => Run(x) forwards the other way, and passing
        // the token would make it call itself forever.
        if (overload is not null && within is IMethodSymbol caller && SymbolEqualityComparer.Default.Equals(overload, caller.OriginalDefinition))
        {
            overload = null;
        }

        if (overload is not null && !IsPublicThroughout(overload)
            && !_compilation.IsSymbolAccessibleWithin(overload, (ISymbol?)within.ContainingType ?? _compilation.Assembly, invocation.Instance?.Type))
        {
            overload = null;
        }

        if (row is null && overload is null && omitted is null && !configured)
        {
            return default;
        }

        var timeout = FindTimeout(invocation);
        var forever = (row?.CanWaitForever ?? configured) && (timeout is null || IsInfinite(timeout));
        return new BlockingCall(row, method, overload, omitted, timeout, forever, configured);
    }

    /// <summary>
    /// A public method of public types, which every caller can call: the compiler's accessibility check would also
    /// confirm that the method's assembly is one of the compilation's references, searching them all at each call
    /// (issue 19), for an overload found through the called method's own type.
    /// </summary>
    private static bool IsPublicThroughout(IMethodSymbol method)
    {
        if (method.DeclaredAccessibility != Accessibility.Public)
        {
            return false;
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A cheap pre-check for <see cref="Match"/>, cached per method definition for the compilation: false when no
    /// call to <paramref name="method"/> can match except as a configured method (see <see cref="IsConfigured"/>),
    /// that is the method is one the general rule leaves alone, or it has no table row, no token overload and no
    /// parameter that could be a <c>CancellationToken</c>.
    /// </summary>
    public bool MayMatch(IMethodSymbol method)
    {
        if (CancellationToken is null)
        {
            return false;
        }

        // An extension method called as one (x.M()) is classified by the method it was reduced from.
        var unreduced = method.ReducedFrom ?? method;
        var definition = unreduced.OriginalDefinition;
        if (!_mayMatch.TryGetValue(definition, out var verdict))
        {
            verdict = _mayMatch.GetOrAdd(definition, Classify(unreduced, definition));
        }

        // A method whose only possible token parameter is a type parameter (List<T>.Add) matches only when the call
        // substitutes CancellationToken for it.
        return verdict == MatchVerdict.Yes || (verdict == MatchVerdict.IfTypeArgumentIsToken && HasTokenParameter(method));
    }

    private MatchVerdict Classify(IMethodSymbol method, IMethodSymbol definition)
    {
        if (IsNotWait(definition))
        {
            return MatchVerdict.No;
        }

        // A token parameter first: it needs no look-up of the method's overloads, and in code that passes tokens
        // around most methods called have one.
        var typeParameter = false;
        foreach (var parameter in definition.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, CancellationToken))
            {
                return MatchVerdict.Yes;
            }

            typeParameter |= parameter.Type.TypeKind == TypeKind.TypeParameter;
        }

        if (FindRow(method) is not null || FindTokenOverload(method) is not null)
        {
            return MatchVerdict.Yes;
        }

        return typeParameter ? MatchVerdict.IfTypeArgumentIsToken : MatchVerdict.No;
    }

    private bool HasTokenParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, CancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="method"/> is named in the raw <c>gracefulstop.blocking_methods</c> value.</summary>
    public bool IsConfigured(IMethodSymbol method, string configuredMethods) =>
        configuredMethods.Length > 0 && Configured(configuredMethods).Contains(method.OriginalDefinition);

    /// <summary>
    /// The overload of <paramref name="method"/> that takes the same parameters plus a trailing
    /// <c>CancellationToken</c>, or null. Cached per method for the compilation.
    /// </summary>
    public IMethodSymbol? FindTokenOverload(IMethodSymbol method)
    {
        var definition = method.ReducedFrom ?? method;
        definition = definition.OriginalDefinition;
        if (_tokenOverloads.TryGetValue(definition, out var cached))
        {
            return cached;
        }

        return _tokenOverloads.GetOrAdd(definition, LookUpTokenOverload(definition, CancellationToken!));
    }

    /// <summary>The value of a constant timeout in milliseconds: an int constant, or a <c>TimeSpan.FromX(constant)</c>.</summary>
    public static long? ConstantMilliseconds(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: int ms })
        {
            return ms;
        }

        if (value is IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true, ContainingType.Name: "TimeSpan" } })
        {
            return 0;
        }

        if (value is IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } factory, Arguments.Length: 1 } call
            && call.Arguments[0].Value.ConstantValue is { HasValue: true } constant)
        {
            double amount;
            try
            {
                amount = Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
            {
                return null;
            }

            var factor = factory.Name switch
            {
                "FromMilliseconds" => 1d,
                "FromSeconds" => 1000d,
                "FromMinutes" => 60_000d,
                "FromHours" => 3_600_000d,
                "FromDays" => 86_400_000d,
                "FromTicks" => 0.0001d,
                _ => double.NaN,
            };
            var result = amount * factor;
            return double.IsNaN(result) || result > long.MaxValue || result < long.MinValue ? null : (long)result;
        }

        return null;
    }

    /// <summary>
    /// <c>ReleaseLock(...)</c>, <c>Unlock(...)</c>: a release with a token overload is not a wait; cancelling it would leave
    /// the lock held (Quartz.NET). The general "token overload" rule leaves them alone.
    /// </summary>
    private static bool IsRelease(IMethodSymbol method) =>
        method.Name.StartsWith("Release", StringComparison.Ordinal) || method.Name.StartsWith("Unlock", StringComparison.Ordinal);

    private static ulong Mask(ImmutableHashSet<string> names, Func<string, int> bit)
    {
        var mask = 0UL;
        foreach (var name in names)
        {
            mask |= 1UL << bit(name);
        }

        return mask;
    }

    private static ImmutableHashSet<string> CollectWaitForeverNames()
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var row in Table)
        {
            if (row.CanWaitForever)
            {
                names.Add(row.MethodName);
            }
        }

        return names.ToImmutable();
    }

    private BlockingApi? FindRow(IMethodSymbol method)
    {
        if (!RowsByName.TryGetValue(method.Name, out var rows))
        {
            return null;
        }

        for (var current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            foreach (var row in rows)
            {
                if (SymbolNames.IsType(current.ContainingType, row.TypeMetadataName) && Matches(row, current))
                {
                    return row;
                }
            }
        }

        return null;
    }

    private static bool IsNotWait(IMethodSymbol definition)
    {
        foreach (var (typeName, methodName) in NotWaits)
        {
            if (definition.Name == methodName && SymbolNames.IsType(definition.ContainingType, typeName))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableDictionary<string, ImmutableArray<BlockingApi>> IndexByName()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, ImmutableArray<BlockingApi>>(StringComparer.Ordinal);
        foreach (var row in Table)
        {
            builder[row.MethodName] = builder.TryGetValue(row.MethodName, out var rows) ? rows.Add(row) : ImmutableArray.Create(row);
        }

        return builder.ToImmutable();
    }

    private bool Matches(BlockingApi row, IMethodSymbol method)
    {
        if (row.ParameterCount >= 0 && method.Parameters.Length != row.ParameterCount)
        {
            return false;
        }

        var hasToken = false;
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, CancellationToken))
            {
                hasToken = true;
            }
        }

        return row.TokenIsOptionalParameter ? hasToken : !hasToken;
    }

    private bool HasTokenOnlyMethod(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol { Parameters.Length: 1 } method
                && method.DeclaredAccessibility == Accessibility.Public
                && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, CancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private static IMethodSymbol? LookUpTokenOverload(IMethodSymbol method, INamedTypeSymbol token)
    {
        if (method.ContainingType is not { } type || method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension))
        {
            return null;
        }

        foreach (var member in type.GetMembers(method.Name))
        {
            if (member is not IMethodSymbol candidate
                || candidate.Parameters.Length != method.Parameters.Length + 1
                || candidate.IsStatic != method.IsStatic
                || candidate.TypeParameters.Length != method.TypeParameters.Length
                || candidate.IsExtensionMethod != method.IsExtensionMethod
                || !SymbolEqualityComparer.Default.Equals(candidate.Parameters[method.Parameters.Length].Type, token)
                || IsObsolete(candidate))
            {
                continue;
            }

            var same = true;
            for (var i = 0; i < method.Parameters.Length && same; i++)
            {
                var a = method.Parameters[i];
                var b = candidate.Parameters[i];
                same = a.RefKind == b.RefKind && SameType(a.Type, b.Type, method, candidate);
            }

            if (same)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool SameType(ITypeSymbol a, ITypeSymbol b, IMethodSymbol ma, IMethodSymbol mb)
    {
        if (a is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } pa
            && b is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } pb)
        {
            return pa.Ordinal == pb.Ordinal && SymbolEqualityComparer.Default.Equals(pa.DeclaringMethod, ma) && SymbolEqualityComparer.Default.Equals(pb.DeclaringMethod, mb);
        }

        // Task<T> against Task<T'> where T and T' are the two methods' own type parameters.
        if (a is INamedTypeSymbol { IsGenericType: true } na && b is INamedTypeSymbol { IsGenericType: true } nb)
        {
            if (!SymbolEqualityComparer.Default.Equals(na.OriginalDefinition, nb.OriginalDefinition))
            {
                return false;
            }

            for (var i = 0; i < na.TypeArguments.Length; i++)
            {
                if (!SameType(na.TypeArguments[i], nb.TypeArguments[i], ma, mb))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is IArrayTypeSymbol aa && b is IArrayTypeSymbol ab)
        {
            return aa.Rank == ab.Rank && SameType(aa.ElementType, ab.ElementType, ma, mb);
        }

        return SymbolEqualityComparer.Default.Equals(a, b);
    }

    private static bool IsObsolete(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace.Name: "System" })
            {
                return true;
            }
        }

        return false;
    }

    private ImmutableHashSet<IMethodSymbol> Configured(string raw) =>
        _configured.GetOrAdd(raw, r =>
        {
            var builder = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var id in BlockingOptions.SplitIds(r))
            {
                foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, _compilation))
                {
                    if (symbol is IMethodSymbol method)
                    {
                        builder.Add(method.OriginalDefinition);
                    }
                }
            }

            return builder.ToImmutable();
        });

    private IArgumentOperation? FindTimeout(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var isTimeType = parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                || SymbolEqualityComparer.Default.Equals(parameter.Type, TimeSpan);
            if (isTimeType
                && (parameter.Name.IndexOf("timeout", StringComparison.OrdinalIgnoreCase) >= 0
                    || parameter.Name.IndexOf("delay", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                return argument;
            }
        }

        return null;
    }

    private bool IsInfinite(IArgumentOperation timeout)
    {
        var value = timeout.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: int ms })
        {
            return ms == -1;
        }

        return value is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", IsStatic: true } field }
            && SymbolNames.IsType(field.ContainingType, "System.Threading.Timeout");
    }
}

/// <summary>The cached pre-check verdict of <see cref="BlockingApis.MayMatch"/> for a method definition.</summary>
internal enum MatchVerdict
{
    No,
    Yes,
    IfTypeArgumentIsToken,
}
