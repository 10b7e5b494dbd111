using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A <c>SemaphoreSlim</c> used as a mutex: a private field or get-only property created with one slot
/// (<c>new SemaphoreSlim(1)</c>, <c>new(1, 1)</c>) that every holder takes right before a <c>try</c> (or as its first
/// statement) and releases in its <c>finally</c>, around a short section: no <c>while</c>, <c>do</c> or endless
/// <c>for</c>, and no call that can wait forever. A wait on it lasts as long as another holder's section, not until
/// someone stops the work. Found on FtpServer's start/stop mutex and hivemq's subscription lock (fresh set 3).
/// Asked only right before a report; reads syntax only, the type's declarations, by the member's name.
/// </summary>
public static class MutexSemaphores
{
    /// <summary>Whether <paramref name="wait"/> takes a one-slot semaphore that every holder releases after a short section.</summary>
    public static bool IsWaitOnShortMutex(IInvocationOperation wait, KnownTypes types)
    {
        if (wait.TargetMethod.Name is not ("Wait" or "WaitAsync")
            || wait.Instance is not { } instance
            || !SymbolEqualityComparer.Default.Equals(wait.TargetMethod.ContainingType, types.SemaphoreSlim))
        {
            return false;
        }

        var member = OperationUnwrapping.WithoutConversions(instance) switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => (ISymbol)field.Field,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property => property.Property,
            _ => null,
        };
        if (member is null
            || member.DeclaredAccessibility != Accessibility.Private
            || member.ContainingType is not { } type
            || !IsCreatedWithOneSlot(member))
        {
            return false;
        }

        var found = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != member.Name)
                {
                    continue;
                }

                if (!IsHolderUse(identifier, member.Name))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }

    /// <summary>A readonly field or a get-only auto-property, initialised with <c>(1)</c> or <c>(1, 1)</c> and never written.</summary>
    private static bool IsCreatedWithOneSlot(ISymbol member)
    {
        if (member.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var initializer = member.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            VariableDeclaratorSyntax declarator when member is IFieldSymbol { IsReadOnly: true } => declarator.Initializer?.Value,
            PropertyDeclarationSyntax { AccessorList.Accessors: { Count: 1 } accessors } property
                when accessors[0] is { Body: null, ExpressionBody: null } getter && getter.IsKind(SyntaxKind.GetAccessorDeclaration) => property.Initializer?.Value,
            _ => null,
        };

        return initializer is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 or 2 } arguments } creation
            && creation is not ObjectCreationExpressionSyntax { Initializer: not null }
            && IsOne(arguments[0].Expression)
            && (arguments.Count == 1 || IsOne(arguments[1].Expression));
    }

    private static bool IsOne(ExpressionSyntax value) =>
        value is LiteralExpressionSyntax { Token.Value: 1 } && value.IsKind(SyntaxKind.NumericLiteralExpression);

    /// <summary>
    /// <c>gate.Wait…()</c> paired with a <c>try</c> that releases it, <c>gate.Release()</c> in a <c>finally</c>, or
    /// <c>gate.Dispose()</c> / <c>gate.CurrentCount</c>. Anything else (the semaphore handed on, released elsewhere) is a
    /// signal between threads rather than a lock.
    /// </summary>
    private static bool IsHolderUse(IdentifierNameSyntax identifier, string name)
    {
        var used = ThisMemberName.UseOf(identifier);

        if (used.Parent is not MemberAccessExpressionSyntax access || access.Expression != used)
        {
            return false;
        }

        var method = access.Name.Identifier.ValueText;
        if (method is "Dispose" or "CurrentCount")
        {
            return true;
        }

        if (access.Parent is not InvocationExpressionSyntax call || call.Expression != access)
        {
            return false;
        }

        return method switch
        {
            "Wait" or "WaitAsync" => IsFollowedByReleasingTry(call, name),
            "Release" => call.ArgumentList.Arguments.Count == 0 && (SyntaxScopes.IsWithinFunction<FinallyClauseSyntax>(call) || IsReleaseOnTheWayOut(call)),
            _ => false,
        };
    }

    /// <summary>
    /// <c>gate.Release(); return;</c> (or <c>throw</c>): an early exit between the wait and the releasing <c>try</c>
    /// (<c>if (IsStarted) { gate.Release(); return; }</c>, silverback's start/stop mutex, fresh set 5).
    /// </summary>
    private static bool IsReleaseOnTheWayOut(InvocationExpressionSyntax release)
    {
        if (release.Parent is not ExpressionStatementSyntax statement || statement.Parent is not BlockSyntax block)
        {
            return false;
        }

        var index = block.Statements.IndexOf(statement);
        return index + 1 < block.Statements.Count && block.Statements[index + 1] is ReturnStatementSyntax or ThrowStatementSyntax;
    }

    /// <summary>The wait's statement is the first of a <c>try</c> block, or a later statement of its block is such a <c>try</c>.</summary>
    private static bool IsFollowedByReleasingTry(InvocationExpressionSyntax wait, string name)
    {
        var statement = wait.FirstAncestorOrSelf<StatementSyntax>();
        if (statement?.Parent is not BlockSyntax block)
        {
            return false;
        }

        for (var node = wait.Parent; node != statement; node = node!.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax)
            {
                return false;
            }
        }

        if (block.Parent is TryStatementSyntax enclosing && enclosing.Block == block && block.Statements[0] == statement)
        {
            return IsReleasingTry(enclosing, name);
        }

        var index = block.Statements.IndexOf(statement);
        for (var i = index + 1; i < block.Statements.Count; i++)
        {
            if (block.Statements[i] is TryStatementSyntax later && IsReleasingTry(later, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReleasingTry(TryStatementSyntax statement, string name) =>
        statement.Finally is { } @finally && Releases(@finally.Block, name) && IsShortSection(statement.Block, name);

    private static bool Releases(BlockSyntax block, string name)
    {
        foreach (var inner in block.Statements)
        {
            if (inner is ExpressionStatementSyntax { Expression: var expression }
                && (expression is AssignmentExpressionSyntax { Right: InvocationExpressionSyntax discarded } ? discarded : expression) is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Release", Expression: var target },
                }
                && RightmostName.Of(target) == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>No loop that may run on and no call that may wait forever while the semaphore is held.</summary>
    /// <remarks>The section may begin with the wait for the semaphore itself (<c>try { gate.Wait(); ... }</c>).</remarks>
    private static bool IsShortSection(BlockSyntax section, string name)
    {
        foreach (var node in section.DescendantNodes())
        {
            switch (node)
            {
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax { Condition: null }:
                    return false;
                case InvocationExpressionSyntax { Expression: var callee }
                    when RightmostName.Of(callee) is { } called
                        && BlockingApis.IsWaitForeverName(called)
                        && !(callee is MemberAccessExpressionSyntax { Expression: var target } && RightmostName.Of(target) == name):
                    return false;
            }
        }

        return true;
    }
}
