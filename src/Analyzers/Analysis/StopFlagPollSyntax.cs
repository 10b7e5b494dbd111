using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007's questions about a type's flags answered from syntax, before anything is bound (issue 19: binding a type
/// for every loop that mentions a bool field cost more than the rest of the rules together). Which candidate flags a
/// loop may poll, with the same shapes as <see cref="StopFlagAnalysis.Classify"/>'s loop reads but by name: a loop's
/// condition, or the condition of an <c>if</c> that leaves the nearest while/do/for loop with <c>break</c> or
/// <c>return</c>, not under a <c>lock</c>. A superset of what binding finds, so nothing reported is lost.
/// </summary>
internal static class StopFlagPollSyntax
{
    /// <summary>
    /// Adds to <paramref name="polled"/> the names of <paramref name="candidateNames"/> that a loop of
    /// <paramref name="declaration"/> (nested types included) may poll, and to <paramref name="mentions"/> every place
    /// one of the candidates is polled or may be written (what to bind, once the polled names of every declaration are
    /// known: a block where a flag is only read otherwise has nothing to say about it).
    /// </summary>
    public static void Scan(TypeDeclarationSyntax declaration, bool isOnlyDeclaration, ImmutableArray<string> candidateNames, List<(string Name, int Position)> mentions, ref HashSet<string>? polled)
    {
        if (IdentifierSearch.Find(declaration, candidateNames) is not { } identifiers)
        {
            return;
        }

        List<(IdentifierNameSyntax Read, SyntaxNode Loop)>? polls = null;
        List<IdentifierNameSyntax>? writes = null;
        foreach (var identifier in identifiers)
        {
            if (PolledLoop(identifier) is { } loop)
            {
                (polls ??= new()).Add((identifier, loop));
                mentions.Add((identifier.Identifier.ValueText, identifier.SpanStart));
            }
            else if (WriteSyntax.MayWrite(identifier))
            {
                (writes ??= new()).Add(identifier);
                mentions.Add((identifier.Identifier.ValueText, identifier.SpanStart));
            }
        }

        foreach (var (read, loop) in polls ?? new())
        {
            // A loop that assigns the flag itself, or calls a method of the type that does, keeps it as its own state
            // (StopFlagAnalysis.IsWrittenByLoop): such a poll is no stop request, and a type whose every poll is so (a
            // parser's "while (!_done)") is not bound.
            if (!AssignsItself(loop, read, writes)
                && !(isOnlyDeclaration && CallsOnlyMethodsThatAssign(loop, read, declaration, writes)))
            {
                (polled ??= new HashSet<string>()).Add(read.Identifier.ValueText);
            }
        }
    }

    /// <summary>Whether the name stands in a loop's condition or in the condition of an if that leaves the loop.</summary>
    public static bool IsPollShape(IdentifierNameSyntax identifier) => PolledLoop(identifier) is not null;

    /// <summary>The loop that may poll the name: the while/do/for of whose condition it is part, or the one an if around it leaves.</summary>
    private static SyntaxNode? PolledLoop(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        while (node.Parent is ExpressionSyntax parent and not AnonymousFunctionExpressionSyntax)
        {
            node = parent;
        }

        var loop = node.Parent switch
        {
            WhileStatementSyntax statement when statement.Condition == node => statement,
            DoStatementSyntax statement when statement.Condition == node => statement,
            ForStatementSyntax statement when statement.Condition == node => statement,
            IfStatementSyntax statement when statement.Condition == node => LeftLoop(statement),
            _ => null,
        };

        return loop is not null && !SyntaxScopes.IsWithinFunction<LockStatementSyntax>(identifier) ? loop : null;
    }

    /// <summary>
    /// Whether <paramref name="loop"/> assigns the polled name in its own function (not in a lambda or local function,
    /// not in a constructor, whose writes are initialisation), other than just before leaving the loop
    /// (<see cref="StopFlagLoopExits.IsWrittenOnTheWayOut"/>): what <see cref="StopFlagAnalysis.IsWrittenByLoop"/>
    /// finds first, told from syntax.
    /// </summary>
    private static bool AssignsItself(SyntaxNode loop, IdentifierNameSyntax read, List<IdentifierNameSyntax>? writes)
    {
        if (writes is null)
        {
            return false;
        }

        var function = SyntaxScopes.EnclosingFunction(loop);
        if (function is ConstructorDeclarationSyntax)
        {
            return false;
        }

        foreach (var write in writes)
        {
            if (write.Identifier.ValueText == read.Identifier.ValueText
                && loop.Span.Contains(write.Span)
                && AssignedStatement(write) is { } statement
                && SyntaxScopes.EnclosingFunction(write) == function
                && !(NextStatement(statement, loop) is { } next && Leaves(next, loop)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the loop calls, by its simple name or through <c>this</c>, a method of the type every declaration of which
    /// that the call's argument count can choose assigns the polled name in its own body (not in a lambda or local
    /// function), and which is not a stop method others call (<see cref="StopFlagAnalysis.IsStopMethodOthersCall"/>):
    /// then the loop's callees reach a write, which <see cref="StopFlagAnalysis.IsWrittenByLoop"/> counts, told from
    /// syntax. Only for a type with one declaration, whose methods are all in view.
    /// </summary>
    private static bool CallsOnlyMethodsThatAssign(SyntaxNode loop, IdentifierNameSyntax read, TypeDeclarationSyntax declaration, List<IdentifierNameSyntax>? writes)
    {
        // A loop in a nested type calls that type's methods; the loop's own method calling itself counts only writes
        // inside the loop (IsWrittenByLoop's first case), which AssignsItself has looked for.
        var loopFunction = SyntaxScopes.EnclosingFunction(loop);
        if (writes is null || loop.FirstAncestorOrSelf<TypeDeclarationSyntax>() != declaration)
        {
            return false;
        }

        foreach (var node in loop.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax invocation
                || invocation.Expression switch
                {
                    IdentifierNameSyntax => false,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax } => false,
                    _ => true,
                }
                || RightmostName.Of(invocation.Expression) is not { } name)
            {
                continue;
            }

            var arguments = invocation.ArgumentList.Arguments.Count;
            var candidates = 0;
            var assigning = 0;
            foreach (var member in declaration.Members)
            {
                if (member is MethodDeclarationSyntax method && method.Identifier.ValueText == name && Accepts(method, arguments))
                {
                    candidates++;
                    if (method != loopFunction && !IsStopMethodOthersCall(method) && AssignsInOwnBody(method, read.Identifier.ValueText, writes))
                    {
                        assigning++;
                    }
                }
            }

            // A local function of that name would be what the call binds to (walked only for a call that matches).
            if (candidates > 0 && assigning == candidates && !DeclaresLocalFunction(loop, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresLocalFunction(SyntaxNode loop, string name)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            if (current is MemberDeclarationSyntax member)
            {
                foreach (var node in member.DescendantNodes())
                {
                    if (node is LocalFunctionStatementSyntax local && local.Identifier.ValueText == name)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }

    /// <summary>Whether a call with that many arguments may choose the method (optional parameters and params arrays included).</summary>
    private static bool Accepts(MethodDeclarationSyntax method, int arguments)
    {
        var parameters = method.ParameterList.Parameters;
        var required = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.Default is null && !parameter.Modifiers.Any(SyntaxKind.ParamsKeyword))
            {
                required++;
            }
        }

        var hasParams = parameters.Count > 0 && parameters[parameters.Count - 1].Modifiers.Any(SyntaxKind.ParamsKeyword);
        return arguments >= required && (arguments <= parameters.Count || hasParams);
    }

    private static bool IsStopMethodOthersCall(MethodDeclarationSyntax method) =>
        StopPath.IsStopName(method.Identifier.ValueText)
        && (method.Modifiers.Any(SyntaxKind.PublicKeyword) || method.Modifiers.Any(SyntaxKind.InternalKeyword));

    private static bool AssignsInOwnBody(MethodDeclarationSyntax method, string name, List<IdentifierNameSyntax> writes)
    {
        foreach (var write in writes)
        {
            if (write.Identifier.ValueText == name
                && method.Span.Contains(write.Span)
                && AssignedStatement(write) is not null
                && SyntaxScopes.EnclosingFunction(write) == method)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The expression statement of <c>name = ...</c>, <c>this.name = ...</c> or a compound assignment; null for other writes.</summary>
    private static SyntaxNode? AssignedStatement(IdentifierNameSyntax identifier)
    {
        var node = WriteSyntax.Target(identifier);
        return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node
            && assignment.Parent is ExpressionStatementSyntax statement
            ? statement
            : null;
    }

    /// <summary>The statement after <paramref name="statement"/> in its block or switch section inside the loop (an embedded statement counts as its parent's).</summary>
    private static StatementSyntax? NextStatement(SyntaxNode statement, SyntaxNode loop)
    {
        while (statement.Parent is { } parent && parent != loop)
        {
            var siblings = parent switch
            {
                BlockSyntax block => block.Statements,
                SwitchSectionSyntax section => section.Statements,
                _ => default(SyntaxList<StatementSyntax>?),
            };
            if (siblings is { } list)
            {
                var index = list.IndexOf((StatementSyntax)statement);
                return index >= 0 && index + 1 < list.Count ? list[index + 1] : null;
            }

            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return null;
            }

            statement = parent;
        }

        return null;
    }

    /// <summary>A <c>return</c>, a <c>throw</c>, or a <c>break</c> of <paramref name="loop"/> itself.</summary>
    private static bool Leaves(StatementSyntax statement, SyntaxNode loop)
    {
        switch (statement)
        {
            case ReturnStatementSyntax or ThrowStatementSyntax:
                return true;
            case BreakStatementSyntax:
                for (var current = statement.Parent; current is not null; current = current.Parent)
                {
                    if (current == loop)
                    {
                        return true;
                    }

                    if (current is SwitchSectionSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax)
                    {
                        return false;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static SyntaxNode? LeftLoop(IfStatementSyntax statement)
    {
        var exit = statement.Statement is BlockSyntax { Statements: { Count: > 0 } statements } ? statements[statements.Count - 1] : statement.Statement;
        var isBreak = exit is BreakStatementSyntax;
        if (!isBreak && exit is not ReturnStatementSyntax)
        {
            return null;
        }

        for (var current = statement.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax:
                    return current;
                case CommonForEachStatementSyntax:
                    return null;
                case SwitchSectionSyntax when isBreak:
                    return null;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }
}
