using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A local <c>var cts = new CancellationTokenSource();</c> (or a private field) that nothing can ever cancel: no
/// <c>Cancel</c>, <c>CancelAfter</c> or <c>CancelAsync</c> on it, and the source itself is never handed anywhere (an
/// argument, an assignment, a return, a capture that does more than read it); only its <c>Token</c>,
/// <c>IsCancellationRequested</c> or <c>Dispose</c> are used. Its token never fires, so waits and loops that ignore it
/// lose nothing.
/// </summary>
public static class UncancelledSources
{
    /// <summary><paramref name="tokens"/> without the local sources nobody can cancel.</summary>
    public static ImmutableArray<TokenInScope> Without(ImmutableArray<TokenInScope> tokens, SemanticModel? model)
    {
        if (model is null)
        {
            return tokens;
        }

        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => CannotFire(t, model));
    }

    /// <summary>
    /// A local or private field source nobody cancels, a token field of no source, or a token parameter named <c>_</c> or
    /// <c>__</c>: the function says it does not use it (a test-case lambda <c>async _ =&gt; ...</c>; SuperSimpleTcp on
    /// fresh set 2).
    /// </summary>
    private static bool CannotFire(TokenInScope token, SemanticModel model) =>
        token.IsSource
            ? token.Symbol switch
            {
                ILocalSymbol local => IsNeverCancelled(local, model),
                IFieldSymbol sourceField => IsSourceFieldNeverCancelled(sourceField),
                _ => false,
            }
            : token.Symbol is IFieldSymbol field ? IsTokenOfNoSource(field)
            : token.Symbol is IParameterSymbol { Name: "_" or "__" } or IParameterSymbol { IsDiscard: true };

    /// <summary>
    /// A private token field whose every assignment (its initializer included) is the token of a source nobody keeps
    /// (<c>new CancellationTokenSource().Token</c>), <c>CancellationToken.None</c> or <c>default</c>: it never fires.
    /// </summary>
    public static bool IsTokenOfNoSource(IFieldSymbol field)
    {
        if (field.DeclaredAccessibility != Accessibility.Private || field.ContainingType is not { } type)
        {
            return false;
        }

        var assigned = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                ExpressionSyntax? value = node switch
                {
                    VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == field.Name
                        && declarator.Parent?.Parent is FieldDeclarationSyntax => declarator.Initializer?.Value,
                    IdentifierNameSyntax identifier when identifier.Identifier.ValueText == field.Name && StopModel.IsWritten(identifier) => WrittenValue(identifier),
                    _ => null,
                };
                if (value is null)
                {
                    if (node is IdentifierNameSyntax { Parent: not null } written && written.Identifier.ValueText == field.Name && StopModel.IsWritten(written))
                    {
                        // Written by ref, out, or a compound assignment.
                        return false;
                    }

                    continue;
                }

                if (!IsTokenThatNeverFires(value) && !IsTokenOfUncancelledSourceField(value, field, type))
                {
                    return false;
                }

                assigned = true;
            }
        }

        return assigned;
    }

    /// <summary>
    /// A private field <c>new CancellationTokenSource()</c> (no delay) that the type only hands the token of to others:
    /// every use, in every part of the type, is its <c>Token</c> as an argument, or <c>Dispose</c>, so nothing can
    /// cancel it (a test class's <c>cancelSource</c>; Terminals on fresh set 3). A type that polls or throws on its own
    /// source's token expects a cancellation this code does not show, and keeps it. Syntax only, by the field's name: a
    /// local of the same name used otherwise keeps the field.
    /// </summary>
    private static bool IsSourceFieldNeverCancelled(IFieldSymbol field, string? tokenField = null)
    {
        if (field.DeclaredAccessibility != Accessibility.Private
            || field.ContainingType is not { } type
            || field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax { ArgumentList: null or { Arguments.Count: 0 } } creation }
            || creation is ObjectCreationExpressionSyntax { Initializer: not null })
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == field.Name && !IsTokenHandedOutOrDisposed(identifier, tokenField))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// <c>Find(source.Token)</c>, <c>new Search(this.source.Token)</c>, <c>source.Dispose()</c>, <c>source?.Dispose()</c>,
    /// and, given <paramref name="tokenField"/>, <c>tokenField = source.Token</c>.
    /// </summary>
    private static bool IsTokenHandedOutOrDisposed(IdentifierNameSyntax identifier, string? tokenField)
    {
        var used = ThisMemberName.UseOf(identifier);
        return used.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == used
                && (access.Name.Identifier.ValueText == "Dispose"
                    || (access.Name.Identifier.ValueText == "Token"
                        && (access.Parent is ArgumentSyntax
                            || (tokenField is not null
                                && access.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                                && assignment.Right == access
                                && ThisMemberName.Of(assignment.Left) == tokenField)))),
            ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } } conditional
                => conditional.Expression == used && binding.Name.Identifier.ValueText == "Dispose",
            _ => false,
        };
    }

    /// <summary>
    /// <c>_token = _cts.Token;</c> where <c>_cts</c> is a private <c>CancellationTokenSource</c> field of the same type that
    /// nobody cancels (<see cref="IsSourceFieldNeverCancelled"/>, its token read only into arguments and this field), and
    /// this token field is itself only handed to calls: the token never fires (ros-sharp's WebSocket protocol, fresh set
    /// 12). A token field the type polls keeps it, as a polled source does.
    /// </summary>
    private static bool IsTokenOfUncancelledSourceField(ExpressionSyntax value, IFieldSymbol tokenField, INamedTypeSymbol type)
    {
        if (value is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Token" } access
            || ThisMemberName.Of(access.Expression) is not { } sourceName)
        {
            return false;
        }

        foreach (var member in type.GetMembers(sourceName))
        {
            if (member is IFieldSymbol source
                && SymbolNames.IsType(source.Type as INamedTypeSymbol, "System.Threading.CancellationTokenSource")
                && IsSourceFieldNeverCancelled(source, tokenField.Name)
                && IsOnlyHandedToCalls(tokenField, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every use of <paramref name="field"/> in <paramref name="type"/> is an argument or an assignment to it.</summary>
    private static bool IsOnlyHandedToCalls(IFieldSymbol field, INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != field.Name)
                {
                    continue;
                }

                var used = ThisMemberName.UseOf(identifier);
                if (used.Parent is not ArgumentSyntax
                    && !(used.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment && assignment.Left == used))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ExpressionSyntax? WrittenValue(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
        {
            node = access;
        }

        return node.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment && assignment.Left == node
            ? assignment.Right
            : null;
    }

    private static bool IsTokenThatNeverFires(ExpressionSyntax value) => value switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Token", Expression: BaseObjectCreationExpressionSyntax { ArgumentList: null or { Arguments.Count: 0 } } creation }
            => creation is not ObjectCreationExpressionSyntax { Initializer: not null },
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "None", Expression: IdentifierNameSyntax { Identifier.ValueText: "CancellationToken" } } => true,
        LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.DefaultLiteralExpression),
        DefaultExpressionSyntax => true,
        _ => false,
    };

    /// <summary>
    /// <paramref name="tokens"/> without the local deadlines that cannot end a bounded one-shot wait sooner than its own
    /// timeout: a source created with a delay (<c>new CancellationTokenSource(TimeSpan.FromSeconds(60))</c>) that
    /// nothing cancels otherwise, when the call waits with a timeout that is the same value
    /// (<c>WaitAsync(WaitSpan)</c> under <c>new CancellationTokenSource(WaitSpan)</c>) or a constant no longer than the
    /// delay (<c>WaitOne(TimeSpan.FromSeconds(5))</c> under a 60 s deadline). The token is a deadline, not a stop request,
    /// and the wait already has a shorter one (rabbitmq's and WebSocket4Net's tests, fresh sets 1 and 2). Likewise a
    /// one-shot pause of constant length (<c>await Task.Delay(500);</c> "let the consumer start") no longer than the
    /// deadline: the deadline is there to end a hang, and a fixed pause cannot hang (nats.net's, rabbitmq's, protoactor's
    /// and Foundatio's tests, fresh sets 2, 4 and 5). A wait in a loop, without a timeout, or a pause whose length is not
    /// a constant, keeps the token; so does a token local copied from the source (<c>var token = cts.Token;</c>), which
    /// is not followed.
    /// </summary>
    public static ImmutableArray<TokenInScope> WithoutLongerDeadlines(IInvocationOperation invocation, BlockingCall call, ImmutableArray<TokenInScope> tokens)
    {
        if (call.Timeout is not { } timeout
            || call.WaitsForever
            || invocation.SemanticModel is not { } model
            || BlockingSites.EnclosingLoop(invocation) is not null)
        {
            return tokens;
        }

        // A pause (Sleep, Delay) is all timeout: only a constant one is known not to outlast the deadline.
        var isPause = invocation.TargetMethod.Name is "Sleep" or "Delay";
        if (isPause && BlockingApis.ConstantMilliseconds(timeout.Value) is not > 0)
        {
            return tokens;
        }

        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => IsDeadlineNoSoonerThan(t, timeout.Value, isPause, model));
    }

    private static bool IsDeadlineNoSoonerThan(TokenInScope token, IOperation timeout, bool isPause, SemanticModel model)
    {
        if (!token.IsSource
            || token.Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation
            || creation is ObjectCreationExpressionSyntax { Initializer: not null }
            || declarator.SyntaxTree != model.SyntaxTree
            || model.GetOperation(creation) is not IObjectCreationOperation { Arguments.Length: 1 } created
            || created.Arguments[0].Parameter?.Name is not ("delay" or "millisecondsDelay"))
        {
            return false;
        }

        var delay = created.Arguments[0].Value;
        var sameValue = !isPause
            && OperationUnwrapping.ReferencedSymbol(timeout) is { } waitSymbol
            && SymbolEqualityComparer.Default.Equals(waitSymbol, OperationUnwrapping.ReferencedSymbol(delay));
        var notLonger = BlockingApis.ConstantMilliseconds(timeout) is { } waitMs && waitMs >= 0
            && BlockingApis.ConstantMilliseconds(delay) is { } delayMs && waitMs <= delayMs;
        return (sameValue || notLonger) && IsOnlyRead(local, declarator, model);
    }

    public static bool IsNeverCancelled(ILocalSymbol local, SemanticModel model)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } creation
            || creation is ObjectCreationExpressionSyntax { Initializer: not null }
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        return IsOnlyRead(local, declarator, model);
    }

    /// <summary>Whether every use of the source in its scope only reads its <c>Token</c> or state, or disposes it.</summary>
    private static bool IsOnlyRead(ILocalSymbol local, VariableDeclaratorSyntax declarator, SemanticModel model)
    {

        // The local's scope: the block (or switch section, or function body) that declares it.
        var scope = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax or SwitchSectionSyntax or ArrowExpressionClauseSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return false;
        }

        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name)
            {
                continue;
            }

            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier).Symbol, local))
            {
                continue;
            }

            if (identifier.Parent is not MemberAccessExpressionSyntax access
                || access.Expression != identifier
                || access.Name.Identifier.ValueText is not ("Token" or "IsCancellationRequested" or "Dispose"))
            {
                return false;
            }
        }

        return true;
    }
}
