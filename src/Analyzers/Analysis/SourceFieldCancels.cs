using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Every <c>Cancel()</c> of a private <c>CancellationTokenSource</c> field, found in its type through the text and
/// bound one call at a time: what the owner does around each cancel tells what else ends the work that uses its token
/// (<see cref="StopEndsLoopBeforeCancel"/>, <see cref="StopClosesWorkReceiver"/>). Null when a cancel may be out of
/// sight: the field is not private, or the source itself is handed elsewhere. Asked only right before a report.
/// </summary>
internal static class SourceFieldCancels
{
    private static readonly ImmutableArray<string> CancelNames = ImmutableArray.Create("Cancel", "CancelAsync", "CancelAfter");

    /// <summary>
    /// The source field a token reference reads: <c>_cts</c> or <c>_cts.Token</c>, with <c>_cts</c> a
    /// <c>CancellationTokenSource</c> field of this instance (or a static one).
    /// </summary>
    public static IFieldSymbol? SourceFieldOf(IOperation token)
    {
        token = OperationUnwrapping.WithoutConversions(token);
        if (token is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } instance })
        {
            token = OperationUnwrapping.WithoutConversions(instance);
        }

        return token is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { Type.Name: "CancellationTokenSource" } field }
            ? field.OriginalDefinition
            : null;
    }

    /// <summary>The cancels of <paramref name="source"/>, or null when some use of it is out of sight.</summary>
    public static List<IInvocationOperation>? Of(IFieldSymbol source, Compilation compilation, CancellationToken cancellationToken)
    {
        if (source.DeclaredAccessibility != Accessibility.Private)
        {
            return null;
        }

        var cancels = new List<IInvocationOperation>();
        var names = ImmutableArray.Create(source.Name);
        foreach (var reference in source.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return null;
            }

            SemanticModel? model = null;
            foreach (var name in IdentifierSearch.Find(declaration, names) ?? new List<IdentifierNameSyntax>())
            {
                // _cts.Member / this._cts.Member / _cts?.Member: a member of the source (its Token, Cancel, Dispose).
                var used = ThisMemberName.UseOf(name);
                switch (used.Parent)
                {
                    case MemberAccessExpressionSyntax access when access.Expression == used:
                        if (CancelNames.Contains(access.Name.Identifier.ValueText))
                        {
                            model ??= compilation.GetSemanticModel(declaration.SyntaxTree);
                            if (model.GetOperation(access.Parent!, cancellationToken) is IInvocationOperation cancel)
                            {
                                cancels.Add(cancel);
                            }
                        }

                        continue;
                    case ConditionalAccessExpressionSyntax conditional when conditional.Expression == used:
                        if (conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } call
                            && CancelNames.Contains(binding.Name.Identifier.ValueText))
                        {
                            model ??= compilation.GetSemanticModel(declaration.SyntaxTree);
                            if (model.GetOperation(call, cancellationToken) is IInvocationOperation cancel)
                            {
                                cancels.Add(cancel);
                            }
                        }

                        continue;
                    case AssignmentExpressionSyntax assignment when assignment.Left == used:
                    case BinaryExpressionSyntax comparison when comparison.IsKind(SyntaxKind.EqualsExpression) || comparison.IsKind(SyntaxKind.NotEqualsExpression):
                    case IsPatternExpressionSyntax:
                    case UsingStatementSyntax:
                        continue;
                    default:
                        // The source itself passed, stored or returned: someone else may cancel it.
                        return null;
                }
            }
        }

        return cancels;
    }
}
