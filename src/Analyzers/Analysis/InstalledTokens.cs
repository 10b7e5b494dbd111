using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A token the function only installs for later work: every use of it (or of its source's <c>Token</c>) stores it in a
/// field or property, directly, inside a linked source stored there, or as a registration stored there
/// (<c>_parentToken = token;</c>, <c>_requestSource = CancellationTokenSource.CreateLinkedTokenSource(_parentToken,
/// _clear.Token);</c>, <c>subscription.Registration = token.Register(() =&gt; CloseAsync(subscription));</c>), apart from
/// comparisons with <c>default</c>. The function sets the lifetime of work that reads the member, or of a teardown the
/// registration runs, later; the token is its data, not a request to stop this function (Discord.Net's request queue and
/// CryptoExchange.Net's subscription token, fresh set 9). A function that also passes the token to a call, checks it,
/// cancels it, or keeps a registration in a local uses it as its own stop. Parameters and members only; asked only right
/// before a report.
/// </summary>
public static class InstalledTokens
{
    private enum Use
    {
        Other,
        Installed,
        Neutral,
    }

    /// <summary><paramref name="tokens"/> without those the function around <paramref name="invocation"/> only stores for later work.</summary>
    public static ImmutableArray<TokenInScope> Without(IInvocationOperation invocation, ImmutableArray<TokenInScope> tokens)
    {
        if (tokens.IsEmpty)
        {
            return tokens;
        }

        var function = OperationScopes.EnclosingFunction(invocation);

        // RemoveAll returns the same array when nothing matches.
        return tokens.RemoveAll(t => t.Origin != TokenOrigin.Local && IsOnlyInstalled(function, t));
    }

    private static bool IsOnlyInstalled(IOperation function, TokenInScope token)
    {
        var installed = false;
        foreach (var operation in function.Descendants())
        {
            if (!IsReferenceTo(operation, token.Symbol))
            {
                continue;
            }

            switch (UseOf(operation, token.IsSource))
            {
                case Use.Installed:
                    installed = true;
                    break;
                case Use.Neutral:
                    break;
                default:
                    return false;
            }
        }

        return installed;
    }

    private static bool IsReferenceTo(IOperation operation, ISymbol symbol) => operation switch
    {
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property => SymbolEqualityComparer.Default.Equals(property.Property, symbol),
        _ => false,
    };

    private static Use UseOf(IOperation reference, bool isSource)
    {
        if (reference.Parent is ISimpleAssignmentOperation { Target: var target } && target == reference)
        {
            return Use.Neutral;
        }

        // A source counts through its Token.
        var value = reference;
        if (isSource)
        {
            if (reference.Parent is not IPropertyReferenceOperation { Property.Name: "Token" } read)
            {
                return Use.Other;
            }

            value = read;
        }

        if (IsComparedWithDefault(value))
        {
            return Use.Neutral;
        }

        if (value.Parent is IInvocationOperation { TargetMethod.Name: "Register" or "UnsafeRegister", Instance: var registered } registration && registered == value)
        {
            return Outer(registration) is ISimpleAssignmentOperation { Target: var holder } && IsFieldOrProperty(holder) ? Use.Installed : Use.Other;
        }

        var parent = Outer(value);
        if (parent is IArgumentOperation argument)
        {
            parent = argument.Parent;
            if (parent is not IInvocationOperation { TargetMethod: { Name: "CreateLinkedTokenSource", IsStatic: true, ContainingType.Name: "CancellationTokenSource" } } link)
            {
                return Use.Other;
            }

            parent = Outer(link);
            if (parent is IPropertyReferenceOperation { Property.Name: "Token" } linkedToken)
            {
                parent = Outer(linkedToken);
            }
        }

        return parent is ISimpleAssignmentOperation { Target: var member } && IsFieldOrProperty(member) ? Use.Installed : Use.Other;
    }

    /// <summary>The parent, past conversions and the array a <c>params</c> argument is collected into.</summary>
    private static IOperation? Outer(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static bool IsFieldOrProperty(IOperation target) => target is IFieldReferenceOperation or IPropertyReferenceOperation;

    /// <summary><c>token != default</c>, <c>token == CancellationToken.None</c>, <c>token.CanBeCanceled</c>: asks about it, does not use it.</summary>
    private static bool IsComparedWithDefault(IOperation value)
    {
        if (value.Parent is IPropertyReferenceOperation { Property.Name: "CanBeCanceled" })
        {
            return true;
        }

        var parent = value.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, LeftOperand: var left, RightOperand: var right }
            && (IsDefault(left) || IsDefault(right));
    }

    private static bool IsDefault(IOperation operand) =>
        OperationUnwrapping.WithoutConversions(operand) is IDefaultValueOperation or IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } };
}
