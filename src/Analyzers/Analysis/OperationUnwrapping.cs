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
}
