using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A call on data already in memory or in a local file: a <c>MemoryStream</c>, <c>StringReader</c> or
/// <c>StringWriter</c>, a <c>FileStream</c> (or <c>File.Open</c>, <c>File.Create</c>...), or a reader or writer
/// (<c>StreamReader</c>, <c>BinaryWriter</c>...) made over one (<c>new StreamReader(stream).ReadToEndAsync()</c> with
/// <c>stream</c> a local <c>new MemoryStream()</c> just filled; SmtpServer on fresh set 3), followed through locals and
/// through the private fields of the type that are only ever given such a stream (<c>_writer = new
/// StreamWriter(_fileStream);</c> in the constructor). It completes from memory or from the disk: nothing waits on
/// another party that a token could give up on (a log line flushed to its file, a downloaded block written to disk;
/// OpenTabletDriver and NetSparkle, fresh sets 6 and 8). <c>CopyTo</c> is left out: its destination may be a socket.
/// Asked only right before a report.
/// </summary>
public static class LocalDataStreams
{
    // Locals initialised from locals: how many initialisers are followed back before giving up.
    private const int MaxDepth = 3;

    /// <summary>Whether <paramref name="invocation"/> is called on an in-memory or file stream, reader or writer.</summary>
    public static bool IsOnLocalData(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is not ("CopyTo" or "CopyToAsync")
        && invocation.Instance is { } instance
        && IsLocalData(instance, MaxDepth);

    /// <summary>
    /// Whether <paramref name="invocation"/> is called on a <c>MemoryStream</c>, <c>StringReader</c> or <c>StringWriter</c>
    /// by the receiver's own type, also when the method is declared by a base class (<c>stringWriter.WriteLine(line)</c>
    /// is <c>TextWriter.WriteLine</c>): it reads or writes memory, never a device (wexflow on fresh set 10, a
    /// <c>while ((line = reader.ReadLine()) != null)</c> over a string taken for a loop that does I/O).
    /// </summary>
    public static bool IsOnMemory(IInvocationOperation invocation)
    {
        for (var current = invocation.Instance is { } instance ? OperationUnwrapping.WithoutConversions(instance).Type : null; current is not null; current = current.BaseType)
        {
            if (current.Name is "MemoryStream" or "UnmanagedMemoryStream" or "StringReader" or "StringWriter" && IsSystemIO(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="value"/> is an in-memory or file stream, reader or writer (a copy's destination).</summary>
    public static bool IsLocalData(IOperation value) => IsLocalData(value, MaxDepth);

    private static bool IsLocalData(IOperation value, int depth)
    {
        value = OperationUnwrapping.WithoutConversions(value);
        if (IsLocalDataType(value.Type))
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
                && IsLocalData(creation.Arguments[0].Value, depth - 1),
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Open" or "OpenRead" or "OpenWrite" or "Create" or "OpenText" or "CreateText" or "AppendText", ContainingType: { Name: "File" } file } }
                => IsSystemIO(file),
            ILocalReferenceOperation local => InitialValue(local) is { } initial && IsLocalData(initial, depth - 1),
            IFieldReferenceOperation field => IsFieldOfLocalData(field, depth - 1),
            _ => false,
        };
    }

    /// <summary>
    /// A private field that every assignment in its type (its initializer included, <c>null</c> aside) gives a local
    /// stream, reader or writer. Syntax of the type in the same tree only, by the field's name.
    /// </summary>
    private static bool IsFieldOfLocalData(IFieldReferenceOperation reference, int depth)
    {
        var field = reference.Field;
        if (field.DeclaredAccessibility != Accessibility.Private
            || reference.SemanticModel is not { } model
            || field.ContainingType is not { } type)
        {
            return false;
        }

        var assigned = false;
        foreach (var declaration in type.DeclaringSyntaxReferences)
        {
            if (declaration.SyntaxTree != model.SyntaxTree)
            {
                return false;
            }

            foreach (var node in declaration.GetSyntax().DescendantNodes())
            {
                ExpressionSyntax? value;
                if (node is VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator
                    && declarator.Identifier.ValueText == field.Name
                    && declarator.Parent?.Parent is FieldDeclarationSyntax)
                {
                    value = initial;
                }
                else if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == field.Name && StopModel.IsWritten(identifier))
                {
                    // A write by ref or out, or a compound assignment: its value is not known.
                    SyntaxNode target = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                    if (target.Parent is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment)
                    {
                        return false;
                    }

                    value = assignment.Right;
                }
                else
                {
                    continue;
                }

                if (value.IsKind(SyntaxKind.NullLiteralExpression))
                {
                    continue;
                }

                if (model.GetOperation(value) is not { } operation || !IsLocalData(operation, depth))
                {
                    return false;
                }

                assigned = true;
            }
        }

        return assigned;
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

    private static bool IsLocalDataType(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "MemoryStream" or "StringReader" or "StringWriter" or "FileStream" && IsSystemIO(current))
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
