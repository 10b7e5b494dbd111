using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Cheap syntactic pre-checks for GS0007, so that the operation trees are walked only where a stop flag can be
/// found: a loop that polls it (while, do or for) and, for a captured local, a lambda, anonymous method, local
/// function or query expression (whose clauses are lambdas in the operation tree).
/// </summary>
public static class StopFlagSyntax
{
    /// <summary>What a piece of syntax contains.</summary>
    [Flags]
    public enum Shape
    {
        None = 0,
        Loop = 1,
        NestedFunction = 2,
        All = Loop | NestedFunction,
    }

    /// <summary>The shape of every declaration of <paramref name="type"/>, its nested types included.</summary>
    public static Shape ScanType(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var references = type.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            // An implicitly declared type (e.g. the entry point of top-level statements): assume anything.
            return Shape.All;
        }

        var shape = Shape.None;
        foreach (var reference in references)
        {
            shape |= Scan(reference.GetSyntax(cancellationToken), shape);
            if (shape == Shape.All)
            {
                break;
            }
        }

        return shape;
    }

    /// <summary>Whether an operation block has both a loop and a nested function, the precondition for a captured-local report.</summary>
    public static bool MayShareLocal(ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        var shape = Shape.None;
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            shape |= Scan(block.Syntax, shape);
            if (shape == Shape.All)
            {
                return true;
            }
        }

        return false;
    }

    private static Shape Scan(SyntaxNode root, Shape shape)
    {
        foreach (var node in root.DescendantNodesAndSelf())
        {
            switch (node.RawKind)
            {
                case (int)SyntaxKind.WhileStatement:
                case (int)SyntaxKind.DoStatement:
                case (int)SyntaxKind.ForStatement:
                    shape |= Shape.Loop;
                    break;
                case (int)SyntaxKind.SimpleLambdaExpression:
                case (int)SyntaxKind.ParenthesizedLambdaExpression:
                case (int)SyntaxKind.AnonymousMethodExpression:
                case (int)SyntaxKind.LocalFunctionStatement:
                case (int)SyntaxKind.QueryExpression:
                    shape |= Shape.NestedFunction;
                    break;
                default:
                    continue;
            }

            if (shape == Shape.All)
            {
                break;
            }
        }

        return shape;
    }
}
