using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Whether code observes a cancellation token: reads <c>IsCancellationRequested</c> or <c>WaitHandle</c>, calls
/// <c>ThrowIfCancellationRequested</c> or <c>Register</c>, passes the token (or its source, or the source's
/// <c>.Token</c>) to any call (which covers <c>Task.Delay(_, token)</c>, <c>WithCancellation(token)</c> and
/// <c>CreateLinkedTokenSource(token)</c>), or copies it somewhere (a local, a field, a return value).
/// Comparing a token, reading <c>CanBeCanceled</c>, passing <c>default</c> / <c>CancellationToken.None</c>, or calling
/// <c>Cancel()</c> on a source do not observe it.
/// </summary>
public static class TokenObservation
{
    /// <summary>Whether <paramref name="root"/> (a loop: condition, body and all) observes <paramref name="token"/> (a token or a source symbol).</summary>
    public static bool Observes(IOperation root, ISymbol token, KnownTypes types)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (ReferencedSymbol(operation) is { } symbol
                && SymbolEqualityComparer.Default.Equals(symbol, token.OriginalDefinition)
                && IsObservingUse(operation, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="root"/> observes any of <paramref name="tokens"/>.</summary>
    public static bool ObservesAny(IOperation root, ImmutableArray<TokenInScope> tokens, KnownTypes types)
    {
        if (tokens.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (ReferencedSymbol(operation) is not { } symbol)
            {
                continue;
            }

            foreach (var token in tokens)
            {
                if (SymbolEqualityComparer.Default.Equals(symbol, token.Symbol.OriginalDefinition) && IsObservingUse(operation, types))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="root"/> observes any token or token source at all, whatever its origin (a token read
    /// from another object, a method's result...). Rules use this to stay silent on code that handles cancellation
    /// in a way they do not follow.
    /// </summary>
    public static bool ObservesAnyCancellation(IOperation root, KnownTypes types)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (IsCancellationValue(operation.Type, types) && IsObservingUse(operation, types))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a method that <paramref name="root"/> calls directly (a local function, or a method of the same type
    /// declared in source) mentions cancellation in its body: <c>IsCancellationRequested</c>,
    /// <c>ThrowIfCancellationRequested</c>, <c>WaitHandle</c>, or the name of one of the member tokens in
    /// <paramref name="tokens"/>. A syntactic, one-level check: enough to stay silent on loops that delegate the check.
    /// </summary>
    public static bool CalleesMayObserve(IOperation root, ImmutableArray<TokenInScope> tokens, INamedTypeSymbol? containingType)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            var method = invocation.TargetMethod;
            if (method.MethodKind != MethodKind.LocalFunction
                && !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, containingType?.OriginalDefinition))
            {
                continue;
            }

            foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (MentionsCancellation(reference.GetSyntax(), tokens))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="operation"/>, a value of type <c>CancellationToken</c> or <c>CancellationTokenSource</c>,
    /// is used in a way that observes cancellation (see the type's summary).
    /// </summary>
    public static bool IsObservingUse(IOperation operation, KnownTypes types)
    {
        if (IsNoneToken(operation))
        {
            return false;
        }

        var value = operation;
        var parent = value.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            value = parent;
            parent = value.Parent;
        }

        switch (parent)
        {
            case IPropertyReferenceOperation property when property.Instance == value:
                switch (property.Property.Name)
                {
                    case "IsCancellationRequested":
                    case "WaitHandle":
                        return true;
                    case "Token":
                        return IsObservingUse(property, types);
                    default:
                        return false;
                }

            case IInvocationOperation invocation when invocation.Instance == value:
                return invocation.TargetMethod.Name is "ThrowIfCancellationRequested" or "Register" or "UnsafeRegister";

            case IArgumentOperation argument:
                return argument.ArgumentKind != ArgumentKind.DefaultValue;

            // Handed to code the compiler could not bind (a library missing from the references, half-typed code): it
            // may observe the token there, and a rule that cannot tell says nothing.
            case IInvalidOperation:
                return true;

            case IConditionalAccessOperation conditional when conditional.Operation == value:
                return ConditionalAccessObserves(conditional.WhenNotNull, types);

            case IVariableInitializerOperation:
            case ISimpleAssignmentOperation assignment when assignment.Value == value:
            case IReturnOperation:
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
            case IArrayInitializerOperation:
            case ITupleOperation:
            case IAnonymousObjectCreationOperation:
            case IMemberInitializerOperation:
            case ICollectionExpressionOperation:
                return true;

            default:
                return false;
        }
    }

    private static bool ConditionalAccessObserves(IOperation whenNotNull, KnownTypes types)
    {
        foreach (var operation in whenNotNull.DescendantsAndSelf())
        {
            if (operation is IConditionalAccessInstanceOperation instance)
            {
                return IsObservingUse(instance, types);
            }
        }

        return false;
    }

    /// <summary>The parameter, local, field or property that <paramref name="operation"/> reads, if it is a plain reference.</summary>
    public static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field.OriginalDefinition,
        IPropertyReferenceOperation property => property.Property.OriginalDefinition,
        _ => null,
    };

    private static bool IsCancellationValue(ITypeSymbol? type, KnownTypes types) =>
        TokenScope.IsTokenOrSource(type, types);

    /// <summary><c>default</c>, <c>CancellationToken.None</c>, <c>new CancellationToken(...)</c>.</summary>
    public static bool IsNoneToken(IOperation operation) => IsNoneValue(OperationUnwrapping.WithoutConversions(operation));

    private static bool IsNoneValue(IOperation operation) => operation switch
    {
        IDefaultValueOperation => true,
        IPropertyReferenceOperation { Property: { IsStatic: true, Name: "None" } } => true,
        IObjectCreationOperation { Type.Name: "CancellationToken" } => true,
        ILiteralOperation => true,
        _ => false,
    };

    private static bool MentionsCancellation(SyntaxNode declaration, ImmutableArray<TokenInScope> tokens)
    {
        foreach (var token in declaration.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken))
            {
                continue;
            }

            var text = token.ValueText;
            if (text is "IsCancellationRequested" or "ThrowIfCancellationRequested" or "WaitHandle")
            {
                return true;
            }

            if (tokens.IsDefaultOrEmpty)
            {
                continue;
            }

            foreach (var candidate in tokens)
            {
                if (candidate.Origin is TokenOrigin.Field or TokenOrigin.Property && candidate.Symbol.Name == text)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
