using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A manual-reset event that is never left unset, waited on by the loop that sets it
/// (<c>while (run) { ev.Set(); Read(); ev.Wait(); ev.Reset(); }</c>, with another thread doing
/// <c>ev.Wait(); ev.Reset(); Copy(); ev.Set();</c>): the loop sets the event itself each turn before it waits, and every
/// other <c>Reset()</c> of it is followed by a <c>Set()</c> in the same block, so the wait only lasts while the other
/// party holds the event for a moment (a pause handshake, DS4Windows' <c>readWaitEv</c>, fresh set 6); a reset by another
/// such loop (a derived device's own input loop, which sets the event at the top of each turn) counts as set again. A <c>Reset()</c>
/// in the loop between its <c>Set()</c> and the wait must leave the turn (<c>continue</c>, <c>return</c>), and an event
/// handed out other than through a property returning the field is not followed. Asked only right before a report; the
/// compilation's resets of an event are found once per field, by the text of its names.
/// </summary>
internal sealed class KeptSetEvents
{
    private readonly Compilation _compilation;
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<IFieldSymbol, ImmutableArray<ResetSite>?> _resets = new(SymbolEqualityComparer.Default);

    public KeptSetEvents(KnownTypes types)
    {
        _types = types;
        _compilation = types.Compilation;
    }

    /// <summary>Whether <paramref name="wait"/>, in <paramref name="loop"/>, waits on an event the loop sets before it and nobody leaves unset.</summary>
    public bool IsSetByItsLoopAndNeverLeftUnset(IInvocationOperation wait, ILoopOperation loop, CancellationToken cancellationToken)
    {
        if (wait.Arguments.Length != 0
            || wait.Syntax.Parent is not ExpressionStatementSyntax waitStatement
            || wait.Instance is not { } instance
            || OperationUnwrapping.WithoutConversions(instance) is not IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { } field }
            || !IsManualResetEvent(field.Type)
            || loop.Body.Syntax is not { } body
            || SetBefore(waitStatement, body, field.Name) is not { } set
            || !ResetsBetweenLeaveTheTurn(body, TextSpan.FromBounds(set.Span.End, waitStatement.SpanStart), field.Name))
        {
            return false;
        }

        field = field.OriginalDefinition;
        if (!_resets.TryGetValue(field, out var resets))
        {
            resets = _resets.GetOrAdd(field, FindResets(field, cancellationToken));
        }

        if (resets is not { } sites)
        {
            return false;
        }

        foreach (var site in sites)
        {
            // The waiting loop's own resets are on its thread: before the wait they leave the turn (checked above), after
            // it the next turn sets the event again first.
            var inLoop = site.Tree == body.SyntaxTree && body.Span.Contains(site.Span);
            if (!inLoop && !site.FollowedBySet)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsManualResetEvent(ITypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type, _types.ManualResetEventSlim)
        || type is INamedTypeSymbol { Name: "ManualResetEvent", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } };

    /// <summary>A <c>field.Set();</c> statement in a block around the wait, before it, inside the loop's body.</summary>
    private static StatementSyntax? SetBefore(StatementSyntax waitStatement, SyntaxNode body, string fieldName)
    {
        for (SyntaxNode node = waitStatement; node != body && node.Parent is { } parent; node = parent)
        {
            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return null;
            }

            if (parent is BlockSyntax block)
            {
                foreach (var statement in block.Statements)
                {
                    if (statement.SpanStart >= node.SpanStart)
                    {
                        break;
                    }

                    if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Set" } access } }
                        && NamesField(access.Expression, fieldName))
                    {
                        return statement;
                    }
                }
            }
        }

        return null;
    }

    private static bool NamesField(ExpressionSyntax expression, string fieldName) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == fieldName,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax name } => name.Identifier.ValueText == fieldName,
        _ => false,
    };

    /// <summary>Every use of the field between the loop's <c>Set()</c> and the wait is a call on it, and a <c>Reset()</c> there ends its block by leaving the turn.</summary>
    private static bool ResetsBetweenLeaveTheTurn(SyntaxNode body, TextSpan between, string fieldName)
    {
        if (between.IsEmpty || IdentifierSearch.Find(body, between, ImmutableArray.Create(fieldName)) is not { } uses)
        {
            return true;
        }

        foreach (var use in uses)
        {
            var receiver = Receiver(use);
            if (receiver.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var member } access || access.Expression != receiver)
            {
                return false;
            }

            if (member == "Reset"
                && !(ResetStatement(access) is { Parent: BlockSyntax { Statements: var statements } } && statements[statements.Count - 1] is ContinueStatementSyntax or ReturnStatementSyntax or BreakStatementSyntax or ThrowStatementSyntax))
            {
                return false;
            }
        }

        return true;
    }

    private static ExpressionSyntax Receiver(IdentifierNameSyntax use) =>
        use.Parent is MemberAccessExpressionSyntax access && access.Name == use ? access : use;

    private static ExpressionStatementSyntax? ResetStatement(MemberAccessExpressionSyntax access) =>
        access.Parent is InvocationExpressionSyntax { Parent: ExpressionStatementSyntax statement } ? statement : null;

    /// <summary>
    /// Every <c>Reset()</c> of the field in the compilation, directly or through a property of its type that returns it;
    /// null when the event is used otherwise than by calls on it (handed to a method, stored elsewhere), or a reset is not
    /// a statement.
    /// </summary>
    private ImmutableArray<ResetSite>? FindResets(IFieldSymbol field, CancellationToken cancellationToken)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        names.Add(field.Name);
        var exposing = new List<ISymbol> { field };
        foreach (var member in field.ContainingType.GetMembers())
        {
            if (member is IPropertySymbol property && ReturnsField(property, field.Name, cancellationToken))
            {
                names.Add(property.Name);
                exposing.Add(property);
            }
        }

        var words = names.ToImmutable();
        var sites = ImmutableArray.CreateBuilder<ResetSite>();
        foreach (var tree in _compilation.SyntaxTrees)
        {
            var root = tree.GetRoot(cancellationToken);
            if (IdentifierSearch.Find(root, words) is not { } uses)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var use in uses)
            {
                var receiver = Receiver(use);
                var access = receiver.Parent as MemberAccessExpressionSyntax;
                var member = access is not null && access.Expression == receiver ? access.Name.Identifier.ValueText : null;
                if (member is not null and not "Reset")
                {
                    continue;
                }

                if (member is null && IsHarmless(receiver))
                {
                    continue;
                }

                model ??= _compilation.GetSemanticModel(tree);
                var symbol = model.GetSymbolInfo(use, cancellationToken).Symbol?.OriginalDefinition;
                if (symbol is null || !exposing.Exists(e => SymbolEqualityComparer.Default.Equals(e, symbol)))
                {
                    continue;
                }

                if (member is null || ResetStatement(access!) is not { Parent: BlockSyntax block } statement)
                {
                    return null;
                }

                sites.Add(new ResetSite(tree, statement.Span, IsFollowedBySet(block, statement, receiver) || IsInLoopThatSetsItEachTurn(statement, receiver)));
            }
        }

        return sites.ToImmutable();
    }

    /// <summary>The field's own declaration-time uses: assigned (<c>ev = new(...)</c>) or returned by a property getter.</summary>
    private static bool IsHarmless(ExpressionSyntax receiver) =>
        receiver.Parent is AssignmentExpressionSyntax assignment && assignment.Left == receiver
        || receiver.Parent is ArrowExpressionClauseSyntax { Parent: AccessorDeclarationSyntax or PropertyDeclarationSyntax }
        || receiver.Parent is ReturnStatementSyntax { Parent: BlockSyntax { Parent: AccessorDeclarationSyntax } };

    private static bool ReturnsField(IPropertySymbol property, string fieldName, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax declaration)
            {
                continue;
            }

            var returned = declaration.ExpressionBody?.Expression;
            if (returned is null && declaration.AccessorList is { } accessors)
            {
                foreach (var accessor in accessors.Accessors)
                {
                    if (accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
                    {
                        returned = accessor.ExpressionBody?.Expression
                            ?? (accessor.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
                    }
                }
            }

            if (returned is not null && NamesField(returned, fieldName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFollowedBySet(BlockSyntax block, StatementSyntax reset, ExpressionSyntax receiver)
    {
        var after = false;
        foreach (var statement in block.Statements)
        {
            if (statement == reset)
            {
                after = true;
            }
            else if (after && IsSetOf(statement, receiver))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A reset by another loop that keeps the event set too: the loop's body sets it at its top, each turn.</summary>
    private static bool IsInLoopThatSetsItEachTurn(StatementSyntax reset, ExpressionSyntax receiver)
    {
        for (var node = reset.Parent; node is not null and not MemberDeclarationSyntax and not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax; node = node.Parent)
        {
            var body = node switch
            {
                WhileStatementSyntax loop => loop.Statement,
                DoStatementSyntax loop => loop.Statement,
                ForStatementSyntax loop => loop.Statement,
                _ => null,
            };
            if (body is BlockSyntax block)
            {
                foreach (var statement in block.Statements)
                {
                    if (IsSetOf(statement, receiver))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }

    private static bool IsSetOf(StatementSyntax statement, ExpressionSyntax receiver) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Set" } access } }
        && SyntaxFactory.AreEquivalent(access.Expression, receiver);

    private readonly struct ResetSite
    {
        public ResetSite(SyntaxTree tree, TextSpan span, bool followedBySet)
        {
            Tree = tree;
            Span = span;
            FollowedBySet = followedBySet;
        }

        public SyntaxTree Tree { get; }

        public TextSpan Span { get; }

        /// <summary>Followed by a <c>Set()</c> in its block, or made by a loop that sets the event at the top of each turn.</summary>
        public bool FollowedBySet { get; }
    }
}
