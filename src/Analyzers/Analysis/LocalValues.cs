using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>The values a local is given: its declarator's initializer and every simple assignment to it.</summary>
internal static class LocalValues
{
    /// <summary>The value <paramref name="operation"/> gives <paramref name="local"/>, or null when it gives it none.</summary>
    public static IOperation? GivenBy(IOperation operation, ILocalSymbol local) => operation switch
    {
        IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
        _ => null,
    };
}
