using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using GracefulStop.Analyzers;
using GracefulStop.Analyzers.Analysis;
using GracefulStop.Analyzers.Rules;
using GracefulStop.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Rules;

/// <summary>
/// GS0006: add a <c>CancellationToken cancellationToken = default</c> parameter to the containing method and pass it
/// to the wait (GS0005's replacement); or, for timeout-only waits, wait with the configured timeout.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCanWaitForeverCodeFix)), Shared]
public sealed class BlockingCallCanWaitForeverCodeFix : CodeFixProvider
{
    public const string AddParameterTitle = "Add a CancellationToken parameter and pass it to the wait";
    public const string AddParameterKey = "GS0006.AddParameter";
    public const string TimeoutTitle = "Wait with a timeout";
    public const string TimeoutKey = "GS0006.Timeout";

    /// <summary>
    /// The key of each site's preferred action: <see cref="AddParameterTitle"/>, or for a wait that has no token form
    /// (<c>Join</c>, <c>Monitor.Wait</c>, <c>SpinUntil</c>), <see cref="TimeoutTitle"/>.
    /// </summary>
    public const string PreferredKey = AddParameterKey;

    private const string ParameterName = "cancellationToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.BlockingCallCanWaitForever);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(() => new BlockingCallCanWaitForeverAnalyzer());

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var call = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || call is null || model is null)
        {
            return;
        }

        var addsParameter = false;
        if (Enum.TryParse<BlockingReplacement>(diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.Replacement), out var replacement)
            && replacement != BlockingReplacement.None
            && await TryAddParameterAsync(context.Document, root, model, call, replacement, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } withParameter)
        {
            context.RegisterCodeFix(CodeAction.Create(AddParameterTitle, _ => Task.FromResult(withParameter), PreferredKey), diagnostic);
            addsParameter = true;
        }

        if (diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.TimeoutOnly) == "true"
            && (call.Parent is ExpressionStatementSyntax || model.GetSymbolInfo(call, context.CancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true })
            && call.ArgumentList.Arguments.All(a => a.NameColon is null)
            && await EveryTarget.HasAsync(context.Document, TimeoutOverload(model, call, context.CancellationToken), context.CancellationToken).ConfigureAwait(false))
        {
            var seconds = int.TryParse(diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.TimeoutSeconds), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : BlockingOptions.DefaultTimeoutSeconds;
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(TimeoutTitle, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(call, WithTimeout(call, seconds)))), addsParameter ? TimeoutKey : PreferredKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The overload the timeout fix calls: the same parameters plus a trailing <c>TimeSpan</c>
    /// (<c>Process.WaitForExit(TimeSpan)</c> exists on .NET 7+ only).
    /// </summary>
    private static IMethodSymbol? TimeoutOverload(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method
            || model.Compilation.GetTypeByMetadataName("System.TimeSpan") is not { } timeSpan)
        {
            return null;
        }

        var original = method.ReducedFrom ?? method;
        foreach (var member in original.ContainingType.GetMembers(original.Name))
        {
            if (member is IMethodSymbol candidate
                && candidate.IsStatic == original.IsStatic
                && candidate.Parameters.Length == original.Parameters.Length + 1
                && SymbolEqualityComparer.Default.Equals(candidate.Parameters[candidate.Parameters.Length - 1].Type, timeSpan)
                && original.Parameters.Select(p => p.Type).SequenceEqual(candidate.Parameters.Take(original.Parameters.Length).Select(p => p.Type), SymbolEqualityComparer.Default))
            {
                return candidate;
            }
        }

        return null;
    }

    private static InvocationExpressionSyntax WithTimeout(InvocationExpressionSyntax call, int seconds)
    {
        var timeout = InvocationExpression(
            MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                ParseExpression("System.TimeSpan").WithAdditionalAnnotations(Simplifier.Annotation),
                IdentifierName("FromSeconds")),
            ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(seconds))))));
        var list = call.ArgumentList;
        var items = new List<SyntaxNodeOrToken>();
        foreach (var item in list.Arguments.GetWithSeparators())
        {
            items.Add(item);
        }

        if (list.Arguments.Count > 0)
        {
            items.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
        }

        items.Add(Argument(timeout));
        return call.WithArgumentList(list.WithArguments(SeparatedList<ArgumentSyntax>(items)));
    }

    private static async Task<Document?> TryAddParameterAsync(
        Document document,
        SyntaxNode root,
        SemanticModel model,
        InvocationExpressionSyntax call,
        BlockingReplacement replacement,
        Diagnostic diagnostic,
        CancellationToken cancellationToken)
    {
        var function = ContainingFunction(call);
        if (function is null
            || model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method
            || !CanTakeParameter(method)
            || model.Compilation.GetTypeByMetadataName("System.Threading.CancellationToken") is not { } tokenType
            || await IsUsedAsMethodGroupAsync(document.Project.Solution, method, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var name = Names.UniqueLocalName(model, call.SpanStart, ParameterName);
        var rewrite = BlockingRewrite.TryRewrite(
            model,
            call,
            replacement,
            IdentifierName(name),
            diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.AsyncName),
            diagnostic.Properties.GetValueOrDefault(BlockingSites.Properties.TokenParameter),
            cancellationToken);
        if (rewrite is not { } change
            || !await EveryTarget.HasAsync(document, change.Calls, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        editor.ReplaceNode(change.Old, change.New);
        editor.ReplaceNode(function, (node, generator) =>
        {
            var parameter = Parameter(Identifier(name))
                .WithType(((TypeSyntax)generator.TypeExpression(tokenType)).WithTrailingTrivia(Space))
                .WithDefault(EqualsValueClause(LiteralExpression(SyntaxKind.DefaultLiteralExpression)));
            return node switch
            {
                MethodDeclarationSyntax m => m.WithParameterList(AddTo(m.ParameterList, parameter)),
                LocalFunctionStatementSyntax l => l.WithParameterList(AddTo(l.ParameterList, parameter)),
                _ => node,
            };
        });
        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }

    private static ParameterListSyntax AddTo(ParameterListSyntax list, ParameterSyntax parameter)
    {
        var items = new List<SyntaxNodeOrToken>();
        foreach (var item in list.Parameters.GetWithSeparators())
        {
            items.Add(item);
        }

        if (list.Parameters.Count > 0)
        {
            items.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
        }

        items.Add(parameter);
        return list.WithParameters(SeparatedList<ParameterSyntax>(items));
    }

    private static SyntaxNode? ContainingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                    return null;
                case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                    return current;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>A parameter can be added without breaking overrides, interfaces, entry points or a params list.</summary>
    private static bool CanTakeParameter(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)
            || method.IsOverride || method.IsVirtual || method.IsAbstract || method.IsExtern
            || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || !method.ExplicitInterfaceImplementations.IsEmpty
            || method.Name == "Main"
            || (method.Parameters.Length > 0 && method.Parameters[method.Parameters.Length - 1].IsParams))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.Name == "CancellationToken")
            {
                return false;
            }
        }

        var type = method.ContainingType;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A method group conversion (<c>new Thread(Run)</c>) would stop compiling with an extra parameter.</summary>
    private static async Task<bool> IsUsedAsMethodGroupAsync(Solution solution, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var references = await SymbolFinder.FindReferencesAsync(method, solution, cancellationToken).ConfigureAwait(false);
        foreach (var reference in references)
        {
            foreach (var location in reference.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var node = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                if (node is null)
                {
                    return true;
                }

                var expression = node.Parent is MemberAccessExpressionSyntax member && member.Name == node ? member : node;
                if (expression.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != expression)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
