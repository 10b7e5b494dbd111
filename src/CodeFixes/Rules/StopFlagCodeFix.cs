using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

    private static readonly ImmutableArray<FixAction> Actions = ImmutableArray.Create(
        new FixAction(StopFlagFix.TokenSource, TokenSourceTitle, TokenSourceKey),
        new FixAction(StopFlagFix.Event, EventTitle, EventKey),
        new FixAction(StopFlagFix.Volatile, VolatileTitle, VolatileKey));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.StopFlag);

    public override FixAllProvider GetFixAllProvider() => StopFlagFixAllProvider.Instance;

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

            var solution = context.Document.Project.Solution;
            foreach (var action in Actions)
            {
                if (model.Supports(action.Fix))
                {
                    var fix = action.Fix;
                    context.RegisterCodeFix(
                        CodeAction.Create(action.Title, cancellationToken => model.ApplyAsync(solution, fix, cancellationToken), action.Key),
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

    /// <summary>A flag to fix, found again by name and container in the solution that earlier fixes produced.</summary>
    private sealed class Target
    {
        public Target(DocumentId document, string name, string container, bool writtenOutsideType)
        {
            Document = document;
            Name = name;
            Container = container;
            WrittenOutsideType = writtenOutsideType;
        }

        public DocumentId Document { get; }

        public string Name { get; }

        public string Container { get; }

        public bool WrittenOutsideType { get; }
    }

    /// <summary>
    /// Fixes the flags one after the other on the solution the previous fix produced, so that names chosen for
    /// several flags of one type never collide and the result equals fixing them one by one.
    /// </summary>
    private sealed class StopFlagFixAllProvider : FixAllProvider
    {
        public static readonly StopFlagFixAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var action = Actions.FirstOrDefault(a => a.Key == fixAllContext.CodeActionEquivalenceKey);
            if (action is null)
            {
                return null;
            }

            var diagnostics = new List<Diagnostic>();
            switch (fixAllContext.Scope)
            {
                case FixAllScope.Document when fixAllContext.Document is { } document:
                    diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false));
                    break;
                case FixAllScope.Solution:
                    foreach (var project in fixAllContext.Solution.Projects)
                    {
                        diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    }

                    break;
            }

            var solution = fixAllContext.Solution;
            var cancellationToken = fixAllContext.CancellationToken;
            var targets = new List<Target>();
            foreach (var diagnostic in diagnostics
                .Where(d => d.Location.IsInSource)
                .OrderBy(d => d.Location.SourceTree!.FilePath, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start))
            {
                if (solution.GetDocument(diagnostic.Location.SourceTree) is not { } document
                    || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel
                    || (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
                    || semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not { } symbol)
                {
                    continue;
                }

                targets.Add(new Target(
                    document.Id,
                    symbol.Name,
                    symbol.ContainingSymbol.ToDisplayString(),
                    diagnostic.Properties.ContainsKey(StopFlagAnalyzer.WrittenOutsideTypeProperty)));
            }

            if (targets.Count == 0)
            {
                return null;
            }

            var fix = action.Fix;
            return CodeAction.Create(
                action.Title,
                token => FixSequentiallyAsync(solution, targets, fix, token),
                action.Key);
        }

        private static async Task<Solution> FixSequentiallyAsync(Solution solution, List<Target> targets, StopFlagFix fix, CancellationToken cancellationToken)
        {
            foreach (var target in targets)
            {
                var document = solution.GetDocument(target.Document);
                if (document is null
                    || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                    || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel)
                {
                    continue;
                }

                foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
                {
                    if (declarator.Identifier.ValueText != target.Name
                        || semanticModel.GetDeclaredSymbol(declarator, cancellationToken)?.ContainingSymbol.ToDisplayString() != target.Container)
                    {
                        continue;
                    }

                    var model = await StopFlagModel.CreateAsync(document, declarator.Identifier.Span, target.WrittenOutsideType, cancellationToken).ConfigureAwait(false);
                    if (model is not null && model.Supports(fix))
                    {
                        solution = await model.ApplyAsync(solution, fix, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }
            }

            return solution;
        }
    }
}
