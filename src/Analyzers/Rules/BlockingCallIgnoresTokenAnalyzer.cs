using System.Collections.Concurrent;
using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0005: a call that blocks or waits, made with a cancellation token in scope, that neither takes the token nor
/// returns early on it. The calls come from <see cref="BlockingApis"/> (the table, the general "same parameters
/// plus a trailing token" rule, an omitted optional token, and the configured methods).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallIgnoresTokenAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BlockingCallIgnoresToken);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.CancellationToken is null)
        {
            return;
        }

        var options = BlockingOptionsCache.For(context.Options, context.Compilation);
        var apis = BlockingApis.Get(context.Compilation);
        var presence = TokenPresence.Register(context, types);
        var stopModel = StopModel.Get(context.Compilation);
        context.RegisterOperationAction(c => Analyze(c, types, apis, options, presence, stopModel), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, KnownTypes types, BlockingApis apis, BlockingOptionsCache optionsCache, TokenPresence presence, StopModel stopModel)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // Every report needs a token in scope: in the many members that cannot have one, calls are not looked at (asked
        // first because classifying every method called anywhere, below, would look up the overloads of each).
        if (!presence.MayHaveToken(context.ContainingSymbol))
        {
            return;
        }

        // Most calls can never be blocking calls (cached verdict per method), unless configured. The tree's options are
        // read only for a method whose name some tree configures, or for a report that needs them.
        var method = invocation.TargetMethod;

        // `: base(...)` / `: this(...)`: a constructor chained to another is not a wait, whatever overloads it has
        // (nats.net's subscriptions, whose base constructor has an overload with a token; fresh set 2).
        if (method.MethodKind == MethodKind.Constructor)
        {
            return;
        }

        var configured = optionsCache.ConfiguredMethods(method.Name, invocation.Syntax.SyntaxTree);
        if (!apis.MayMatch(method) && !apis.IsConfigured(method, configured))
        {
            return;
        }

        var call = apis.Match(invocation, context.ContainingSymbol, configured);
        if (!call.IsValid || call.Replacement == BlockingReplacement.None || BlockingSites.HasErrors(invocation) || BlockingSites.IsOnTokenWaitHandle(invocation, types))
        {
            return;
        }

        if (WaitsOnACallReportedItself(invocation, apis, context.ContainingSymbol, optionsCache)
            || BufferedHttpContent.IsReadOfBufferedContent(invocation)
            || SentRequestContent.IsReadOfSentContent(invocation, types)
            || CompletedTaskSources.IsWaitOnCompletedSource(invocation)
            || TaskWaitedWithToken.Applies(invocation, types)
            || BlockingSites.WaitsOnlyForSelfEndingTasks(invocation, types)
            || BlockingExemptions.IsDroppedTask(invocation, types)
            || BlockingExemptions.IsTimeoutArmOfWhenAny(invocation, types)
            || BlockingExemptions.IsAddToUnboundedCollection(invocation, types)
            || ListenerStoppedOnCancellation.Applies(invocation, types))
        {
            return;
        }

        var tokens = BlockingExemptions.WithoutCompletionSignals(invocation, BlockingSites.UsableTokens(invocation, context.ContainingSymbol, types), types);
        tokens = UncancelledSources.Without(tokens, invocation.SemanticModel);
        tokens = UncancelledSources.WithoutLongerDeadlines(invocation, call, tokens);
        tokens = TokenCancelledBefore.Without(invocation, tokens, types);
        tokens = TokenCancellationAbsorbed.Without(invocation, tokens);
        tokens = TokenCreatedElsewhere.Without(invocation, tokens);
        tokens = TokenOfLaterWork.Without(invocation, tokens);
        tokens = ReplacedTokenSources.Without(invocation, tokens);
        tokens = InstalledTokens.Without(invocation, tokens);
        tokens = LoopsRunOnAfterCancellation.Without(invocation, call, tokens);
        tokens = RegisteredCallbacks.Without(invocation, tokens, types);
        tokens = TokenNobodyPasses.Without(invocation, tokens, context.CancellationToken);
        if (tokens.IsEmpty
            || (call.Replacement == BlockingReplacement.WaitAnyWithToken && BlockingSites.IsOnHandleBuiltFromToken(invocation, tokens, types))
            || FunctionCancelsTheSource(invocation, tokens, types, context.CancellationToken)
            || BlockingExemptions.PassesTokenInsideArgument(invocation, tokens, types)
            || TokenRaces.IsRacedAgainstToken(invocation, tokens, types)
            || HandledTimeoutWaits.Applies(invocation, tokens)
            || BlockingExemptions.WaitsInWorkJoinedBeforeCancel(invocation, tokens)
            || BlockingExemptions.IsOneShotWaitChosenAfterCheck(invocation, call, tokens)
            || MutexSemaphores.IsWaitOnShortMutex(invocation, types)
            || PeerSuppressions.Suppress(invocation, call, context.ContainingSymbol)
            || LocalDataStreams.IsOnLocalData(invocation)
            || TokenIgnoringCallees.Applies(call, invocation.SemanticModel, context.CancellationToken)
            || ExitingProcesses.IsAfterItsOutputEnded(invocation)
            || InputClosedProcesses.IsAfterItsInputClosed(invocation)
            || stopModel.IsEndedByOwnerThatCancels(invocation, tokens, context.CancellationToken)
            || stopModel.IsEndedByOwnerThatCancelsInLoopOnToken(invocation, tokens, context.CancellationToken)
            || DisposedOnCancellation.EndsTheWait(invocation, types, context.CancellationToken))
        {
            return;
        }

        // The fix writes the preferred token that cannot be null (a nullable token source could throw).
        var token = tokens[0];
        var fixable = !token.MayBeNull;
        foreach (var candidate in tokens)
        {
            if (!candidate.MayBeNull)
            {
                token = candidate;
                fixable = true;
                break;
            }
        }

        if (call.ConstantTimeoutMs == 0
            || (call.MaxTimeoutMs is > 0 and var ms && ms < optionsCache.Get(invocation.Syntax.SyntaxTree).ShortWaitThresholdMs && LoopObservesToken(invocation, tokens, types)))
        {
            return;
        }

        var tokenText = token.Expression;
        var isAsync = BlockingSites.IsInAsyncFunction(invocation, context.ContainingSymbol);
        var asyncAvailable = call.Api is { } api && apis.IsAsyncReplacementAvailable(api);
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties.Add(BlockingSites.Properties.Replacement, call.Replacement.ToString());
        if (fixable)
        {
            properties.Add(BlockingSites.Properties.Token, tokenText);
        }
        if (call.Api?.AsyncMethodName is { } asyncName)
        {
            properties.Add(BlockingSites.Properties.AsyncName, asyncName);
            properties.Add(BlockingSites.Properties.AsyncAvailable, asyncAvailable ? "true" : "false");
        }

        if (call.OmittedTokenParameter is { } parameter)
        {
            properties.Add(BlockingSites.Properties.TokenParameter, parameter.Name);
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.BlockingCallIgnoresToken,
            BlockingSites.NameLocation(invocation),
            properties.ToImmutable(),
            BlockingSites.CallText(invocation, call.Display),
            tokenText,
            Advice(call, tokenText, isAsync, asyncAvailable)));
    }

    private static string Advice(BlockingCall call, string token, bool isAsync, bool asyncAvailable) => call.Replacement switch
    {
        BlockingReplacement.SleepOnToken when isAsync => "use 'await Task.Delay(..., " + token + ")'",
        BlockingReplacement.SleepOnToken => "wait on '" + token + ".WaitHandle.WaitOne(...)' instead",
        BlockingReplacement.WaitAnyWithToken => "wait with 'WaitHandle.WaitAny' on the handle and '" + token + ".WaitHandle'",
        BlockingReplacement.AwaitAsyncOverload when isAsync && asyncAvailable => "use 'await " + call.Api!.AsyncMethodName + "(" + token + ")'",
        BlockingReplacement.AwaitAsyncOverload => "register a callback on the token that ends the wait, or call '" + call.Api!.AsyncMethodName + "' with the token from async code",
        _ => "pass it to the overload that takes a CancellationToken",
    };

    /// <summary>
    /// <c>client.SendAsync(m).Wait()</c>: the call that made the task ignores the token too, and is reported itself.
    /// Giving it the token ends the task on cancellation and the wait with it: one cause, one report.
    /// </summary>
    private static bool WaitsOnACallReportedItself(IInvocationOperation invocation, BlockingApis apis, ISymbol within, BlockingOptionsCache optionsCache)
    {
        if (invocation.TargetMethod.Name != "Wait"
            || invocation.Arguments.Length != 0
            || invocation.Instance is null
            || OperationUnwrapping.WithoutConversions(invocation.Instance) is not IInvocationOperation inner)
        {
            return false;
        }

        var call = apis.Match(inner, within, optionsCache.ConfiguredMethods(inner.TargetMethod.Name, inner.Syntax.SyntaxTree));
        return call.IsValid && call.Replacement == BlockingReplacement.TokenOverload;
    }

    /// <summary>
    /// The function that waits also cancels the source whose token is in scope (<c>await Task.Delay(d); cts.Cancel();</c>
    /// in the lambda that drives a test): the wait comes before the cancellation it issues itself, or after it, when the
    /// token is already cancelled and passing it would only make the call throw (DotNetty, AsyncEx tests).
    /// </summary>
    private static bool FunctionCancelsTheSource(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens, KnownTypes types, CancellationToken cancellationToken)
    {
        var function = OperationScopes.EnclosingFunction(invocation);
        foreach (var operation in function.Descendants())
        {
            // A Cancel() in a lambda or local function inside this one (a Ctrl+C handler) runs later, on another
            // thread: it is how someone else stops this function, not a cancellation the function issues itself.
            if (Cancellations.SourceCancelledBy(operation) is { } source
                && OperationScopes.EnclosingFunction(operation) == function)
            {
                foreach (var token in tokens)
                {
                    if (token.IsSource && SymbolEqualityComparer.Default.Equals(token.Symbol, source)
                        && !LoopExitCancels.IsLoopExitOfSourceCancelledElsewhere(operation, invocation, source, function, types, cancellationToken))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Whether the loop around the call (in the same function) reads any of the tokens in scope.</summary>
    private static bool LoopObservesToken(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        if (BlockingSites.EnclosingLoop(invocation) is not { } loop)
        {
            return false;
        }

        return TokenObservation.ObservesAny(loop, tokens, types);
    }
}
