using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// GS0007, on the way to a report: a write in a private method that is only ever called by methods which also call the
/// loop's private method, itself only ever called (fresh set 7, fo-dicom's parser: <c>ParseVR</c> polls
/// <c>_isExplicitVR</c> and <c>ParseValue</c> flips it, both called one after the other by <c>DoWork</c>). Whatever thread
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

        var callers = 0;
        var writerNames = ImmutableArray.Create(writer.Name);
        var looperNames = ImmutableArray.Create(looper.Name);
        foreach (var reference in writer.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            foreach (var name in IdentifierSearch.Find(declaration, looperNames) ?? new List<IdentifierNameSyntax>())
            {
                // A method group (new Thread(Loop), Task.Run(Loop)) may run the loop anywhere.
                if (CalledMember(name) is null)
                {
                    return false;
                }
            }

            foreach (var name in IdentifierSearch.Find(declaration, writerNames) ?? new List<IdentifierNameSyntax>())
            {
                if (CalledMember(name) is not BaseMethodDeclarationSyntax caller
                    || IdentifierSearch.Find(caller, looperNames) is not { } loopCalls
                    || !AnyCallOutsideLambdas(loopCalls, caller))
                {
                    return false;
                }

                callers++;
            }
        }

        return callers > 0;
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
