using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The branches of a loop found in one of its statements, shared by the rules that ask how a loop goes round.</summary>
public static class LoopBranches
{
    /// <summary>Whether <paramref name="statement"/> holds a <c>continue</c> of <paramref name="loop"/>.</summary>
    public static bool HasContinueOf(IOperation statement, ILoopOperation loop)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IBranchOperation { BranchKind: BranchKind.Continue } branch
                && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel))
            {
                return true;
            }
        }

        return false;
    }
}
