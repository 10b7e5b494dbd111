using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Reads of cancellation tokens and token sources inside a piece of code: the references GS0008 and GS0009
/// need in order to name the token a piece of code observes (which <c>TokenObservation</c> answers only for a
/// token that is already known).
/// </summary>
public static class TokenReferences
{
    /// <summary>
    /// Whether <paramref name="operation"/> reads a token or a token source: a local, parameter, field or property
    /// of type <c>CancellationToken</c> or <c>CancellationTokenSource</c>. <c>CancellationToken.None</c> is not one,
    /// nor is a source's <c>Token</c> property (the source it is read from is), nor the target of an assignment.
    /// </summary>
    public static bool IsTokenReference(IOperation operation, KnownTypes types)
    {
        ITypeSymbol type;
        switch (operation)
        {
            case ILocalReferenceOperation local:
                type = local.Local.Type;
                break;
            case IParameterReferenceOperation parameter:
                type = parameter.Parameter.Type;
                break;
            case IFieldReferenceOperation field:
                type = field.Field.Type;
                break;
            case IPropertyReferenceOperation property:
                if (property.Property.IsStatic || Is(property.Property.ContainingType, types.CancellationTokenSource))
                {
                    return false;
                }

                type = property.Property.Type;
                break;
            default:
                return false;
        }

        if (operation.Parent is IAssignmentOperation assignment && assignment.Target == operation)
        {
            return false;
        }

        return Is(type, types.CancellationToken) || Is(type, types.CancellationTokenSource);
    }

    /// <summary>
    /// The first token or source that <paramref name="root"/> observes (nested lambdas included), in source order: a
    /// reference that <see cref="TokenObservation.IsObservingUse"/> accepts.
    /// </summary>
    public static IOperation? FindFirst(IOperation? root, KnownTypes types)
    {
        if (root is null)
        {
            return null;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (IsTokenReference(operation, types) && TokenObservation.IsObservingUse(operation, types))
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="root"/> observes any token or token source held in a variable, field or property.</summary>
    public static bool ObservesAny(IOperation? root, KnownTypes types) => FindFirst(root, types) is not null;

    /// <summary>The local, parameter, field or property a token reference reads.</summary>
    public static ISymbol? Symbol(IOperation reference) => reference switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="root"/> asks whether cancellation was requested: reads <c>IsCancellationRequested</c>
    /// or calls <c>ThrowIfCancellationRequested()</c> on a token or source.
    /// </summary>
    public static bool ChecksCancellation(IOperation? root, KnownTypes types)
    {
        if (root is null)
        {
            return false;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } property
                    when IsTokenType(property.Property.ContainingType, types):
                    return true;
                case IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" } invocation
                    when IsTokenType(invocation.TargetMethod.ContainingType, types):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>CancellationToken</c> or <c>CancellationTokenSource</c>.</summary>
    public static bool IsTokenType(ITypeSymbol? type, KnownTypes types) =>
        Is(type, types.CancellationToken) || Is(type, types.CancellationTokenSource);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
