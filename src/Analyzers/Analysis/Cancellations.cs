using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The operations that cancel a source or test for a cancellation, as GS0005's exemptions read them.</summary>
internal static class Cancellations
{
    /// <summary>The local, field or parameter that a <c>Cancel</c>, <c>CancelAfter</c> or <c>CancelAsync</c> call cancels; null otherwise.</summary>
    public static ISymbol? SourceCancelledBy(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod.Name: "Cancel" or "CancelAfter" or "CancelAsync", Instance: { } instance }
            ? OperationUnwrapping.WithoutConversions(instance) switch
            {
                ILocalReferenceOperation local => local.Local,
                IFieldReferenceOperation field => field.Field,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            }
            : null;

    /// <summary>The token or source tested by <c>!x.IsCancellationRequested</c> (conversions unwrapped); null for any other condition.</summary>
    public static IOperation? NotRequested(IOperation condition) =>
        OperationUnwrapping.WithoutConversions(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }
        && OperationUnwrapping.WithoutConversions(operand) is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } instance }
            ? OperationUnwrapping.WithoutConversions(instance)
            : null;

    /// <summary><c>source.Token</c>: the source; null otherwise.</summary>
    public static IOperation? SourceOfToken(IOperation token, KnownTypes types) =>
        OperationUnwrapping.WithoutConversions(token) is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source } && TokenScope.IsSource(source.Type, types)
            ? source
            : null;
}
