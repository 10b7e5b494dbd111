using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007, on the way to a report: a write in a private method that is only ever called by methods which also call the
/// loop's private method (directly, or through private methods only called so), the loop's method itself only ever
/// called (fresh set 7, fo-dicom's parser: <c>ParseVR</c> polls <c>_isExplicitVR</c> and <c>ParseValue</c> and the
/// sequence parsers it calls flip it, <c>ParseVR</c> and <c>ParseValue</c> called one after the other by <c>DoWork</c>). Whatever thread
/// runs the write also runs the loop, one after the other: the flag is one object's state, not a stop request from
/// another thread.
/// </summary>
internal static class StopFlagSequentialCalls
{
    public static bool AreCalledInSequence(StopFlagAccess write, StopFlagAccess read)
    {
        if (write.Chain.Length != 1
            || read.Chain.Length != 1
            || write.Function is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private } writer
            || read.Function is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private } looper
            || writer.Name == looper.Name
            || !SymbolEqualityComparer.Default.Equals(writer.ContainingType, looper.ContainingType))
        {
            return false;
        }

        var declarations = new List<SyntaxNode>();
        var looperNames = ImmutableArray.Create(looper.Name);
        foreach (var reference in writer.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            declarations.Add(declaration);
            foreach (var name in IdentifierSearch.Find(declaration, looperNames) ?? new List<IdentifierNameSyntax>())
            {
                // A method group (new Thread(Loop), Task.Run(Loop)) may run the loop anywhere.
                if (CalledMember(name) is null)
                {
                    return false;
                }
            }
        }

        return IsCalledOnlyBesideLoop(writer.Name, looperNames, declarations, new HashSet<string>(), depth: 0);
    }

    /// <summary>
    /// Whether every call of <paramref name="method"/> is made directly in a method that also calls the loop's method,
    /// or in a private method of which that holds in turn (a few calls up: a parser's <c>ReadValue</c> calling
    /// <c>ReadSequence</c> calling the writer).
    /// </summary>
    private static bool IsCalledOnlyBesideLoop(string method, ImmutableArray<string> looperNames, List<SyntaxNode> declarations, HashSet<string> visited, int depth)
    {
        if (!visited.Add(method))
        {
            // Recursion: the other calls decide.
            return true;
        }

        if (depth > MaxCallDepth)
        {
            return false;
        }

        var calls = 0;
        var names = ImmutableArray.Create(method);
        foreach (var declaration in declarations)
        {
            foreach (var name in IdentifierSearch.Find(declaration, names) ?? new List<IdentifierNameSyntax>())
            {
                if (CalledMember(name) is not BaseMethodDeclarationSyntax caller)
                {
                    return false;
                }

                calls++;
                if (IdentifierSearch.Find(caller, looperNames) is { } loopCalls && AnyCallOutsideLambdas(loopCalls, caller))
                {
                    continue;
                }

                if (caller is not MethodDeclarationSyntax { Identifier.ValueText: var callerName } named
                    || !IsPrivate(named)
                    || !IsCalledOnlyBesideLoop(callerName, looperNames, declarations, visited, depth + 1))
                {
                    return false;
                }
            }
        }

        return calls > 0;
    }

    private const int MaxCallDepth = 4;

    private static bool IsPrivate(MethodDeclarationSyntax method)
    {
        foreach (var modifier in method.Modifiers)
        {
            if (modifier.ValueText is "public" or "internal" or "protected" or "virtual" or "override" or "abstract")
            {
                return false;
            }
        }

        return method.ExplicitInterfaceSpecifier is null;
    }

    /// <summary>For <c>M(...)</c> or <c>this.M(...)</c> written directly in a method (no lambda or local function between): that method.</summary>
    private static SyntaxNode? CalledMember(IdentifierNameSyntax name)
    {
        SyntaxNode callee = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
        if (callee.Parent is not InvocationExpressionSyntax call || call.Expression != callee)
        {
            return null;
        }

        var function = call.FirstAncestorOrSelf<SyntaxNode>(static n =>
            n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        return function is BaseMethodDeclarationSyntax ? function : null;
    }

    private static bool AnyCallOutsideLambdas(List<IdentifierNameSyntax> names, SyntaxNode caller)
    {
        foreach (var name in names)
        {
            if (CalledMember(name) == caller)
            {
                return true;
            }
        }

        return false;
    }
}
