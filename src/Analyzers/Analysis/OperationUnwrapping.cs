using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Small operation-tree helpers shared by the analyses.</summary>
public static class OperationUnwrapping
{
    /// <summary>The value under any conversions and parentheses (<c>(Task)(x)</c> is <c>x</c>).</summary>
    public static IOperation WithoutConversions(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The variable an operation reads, under conversions: a local, a parameter, a field or a property without
    /// arguments; null for anything else.
    /// </summary>
    public static ISymbol? ReferencedSymbol(IOperation operation) => WithoutConversions(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation { Property.Parameters.Length: 0 } property => property.Property,
        _ => null,
    };

    /// <summary>
    /// The operation that carries a handler as a delegate value: <paramref name="handler"/> (a method reference or a
    /// lambda) under the delegate creation, conversions and parentheses around it.
    /// </summary>
    public static IOperation AsDelegateValue(IOperation handler)
    {
        var current = handler;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>The event <c>+=</c> / <c>-=</c> whose handler is <paramref name="handler"/> (through <see cref="AsDelegateValue"/>); null otherwise.</summary>
    public static IEventAssignmentOperation? EventAssignmentOf(IOperation handler)
    {
        var value = AsDelegateValue(handler);
        return value.Parent is IEventAssignmentOperation assignment && assignment.HandlerValue == value ? assignment : null;
    }
}
