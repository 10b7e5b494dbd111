using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call on data already in memory: a <c>MemoryStream</c>, <c>StringReader</c> or <c>StringWriter</c>, or a reader or
/// writer (<c>StreamReader</c>, <c>BinaryWriter</c>...) made over one (<c>new StreamReader(stream).ReadToEndAsync()</c>
/// with <c>stream</c> a local <c>new MemoryStream()</c> just filled; SmtpServer on fresh set 3). It completes at once:
/// there is nothing for a token to cancel. <c>CopyTo</c> is left out: its destination may be a socket. Asked only right
/// before a report.
/// </summary>
public static class InMemoryStreams
{
    // Locals initialised from locals: how many initialisers are followed back before giving up.
    private const int MaxDepth = 3;

    /// <summary>Whether <paramref name="invocation"/> is called on an in-memory stream, reader or writer.</summary>
    public static bool IsOnInMemoryData(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is not ("CopyTo" or "CopyToAsync")
        && invocation.Instance is { } instance
        && IsInMemory(instance, MaxDepth);

    private static bool IsInMemory(IOperation value, int depth)
    {
        value = OperationUnwrapping.WithoutConversions(value);
        if (IsInMemoryType(value.Type))
        {
            return true;
        }

        if (depth == 0)
        {
            return false;
        }

        return value switch
        {
            IObjectCreationOperation { Arguments.Length: > 0 } creation => IsReaderOrWriter(creation.Type)
                && IsInMemory(creation.Arguments[0].Value, depth - 1),
            ILocalReferenceOperation local => InitialValue(local) is { } initial && IsInMemory(initial, depth - 1),
            _ => false,
        };
    }

    /// <summary>The initializer of a local that nothing assigns again in the block that declares it.</summary>
    private static IOperation? InitialValue(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator
            || reference.SemanticModel is not { } model
            || declarator.SyntaxTree != model.SyntaxTree
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope)
        {
            return null;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } && target.Identifier.ValueText == local.Name)
            {
                return null;
            }
        }

        return model.GetOperation(initial);
    }

    private static bool IsInMemoryType(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "MemoryStream" or "StringReader" or "StringWriter" && IsSystemIO(current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReaderOrWriter(ITypeSymbol? type) =>
        type is { Name: "StreamReader" or "StreamWriter" or "BinaryReader" or "BinaryWriter" } && IsSystemIO(type);

    private static bool IsSystemIO(ITypeSymbol type) =>
        type.ContainingNamespace is { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}
