using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0007: replaces an unsynchronized stop flag by a CancellationTokenSource or a ManualResetEventSlim, rewriting
/// every access in every document of the type, or makes the field volatile.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StopFlagCodeFix)), Shared]
public sealed class StopFlagCodeFix : CodeFixProvider
{
    public const string TokenSourceTitle = "Use a CancellationTokenSource";
    public const string EventTitle = "Use a ManualResetEventSlim";
    public const string VolatileTitle = "Make the field volatile";

    public const string TokenSourceKey = "GS0007.CancellationTokenSource";
    public const string EventKey = "GS0007.ManualResetEventSlim";
    public const string VolatileKey = "GS0007.Volatile";

    /// <summary>The key of each site's preferred action: <see cref="TokenSourceTitle"/>, or <see cref="VolatileTitle"/> where no token source can be written.</summary>
    public const string PreferredKey = TokenSourceKey;

    private static readonly ImmutableArray<FixAction> Actions = ImmutableArray.Create(
        new FixAction(StopFlagFix.TokenSource, TokenSourceTitle, TokenSourceKey),
        new FixAction(StopFlagFix.Event, EventTitle, EventKey),
        new FixAction(StopFlagFix.Volatile, VolatileTitle, VolatileKey));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.StopFlag);

    /// <summary>
    /// Fixes interact (two flags of one type, a partial type edited in several documents): one fix at a time, on
    /// the solution the previous fix produced, like fixing one by one.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() =>
        new SequentialFixAllProvider(static () => new StopFlagAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var model = await StopFlagModel.CreateAsync(
                context.Document,
                diagnostic.Location.SourceSpan,
                diagnostic.Properties.ContainsKey(StopFlagAnalyzer.WrittenOutsideTypeProperty),
                context.CancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                continue;
            }

            // The preferred action comes first with the same key at every site (the token source, or where it cannot
            // be written, volatile), so Fix All and dotnet format apply each site's preferred fix whatever the order.
            var solution = context.Document.Project.Solution;
            var preferred = model.Supports(StopFlagFix.TokenSource) ? Actions[0]
                : model.Supports(StopFlagFix.Volatile) ? Actions[2]
                : null;
            if (preferred is null)
            {
                continue;
            }

            foreach (var action in Actions)
            {
                // A secondary action that leaves a polling loop's wait unwoken would not make the program stop: not offered.
                if (model.Supports(action.Fix) && (action == preferred || !FlagLoopWaits.AnyUnwoken(model, action.Fix)))
                {
                    var fix = action.Fix;
                    var key = action == preferred ? PreferredKey : action.Key;
                    context.RegisterCodeFix(
                        CodeAction.Create(action.Title, cancellationToken => model.ApplyAsync(solution, fix, cancellationToken), key),
                        diagnostic);
                }
            }
        }
    }

    private sealed class FixAction
    {
        public FixAction(StopFlagFix fix, string title, string key)
        {
            Fix = fix;
            Title = title;
            Key = key;
        }

        public StopFlagFix Fix { get; }

        public string Title { get; }

        public string Key { get; }
    }
}
