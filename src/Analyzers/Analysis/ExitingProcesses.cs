using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A wait on a process whose redirected output the same function has already read to its end:
/// <c>var output = process.StandardOutput.ReadToEnd(); process.WaitForExit();</c>, or a second <c>ReadToEnd</c> of
/// standard error after standard output ended. The end of the output is the process closing it on its way out, so the
/// wait after it returns at once; the unbounded wait is the first read, which stays reported. Found on ShareX's
/// <c>MetadataForm</c> (fresh set 4) and ScreenToGif's <c>EncodingManager</c> (fresh set 5). Likewise a read of the
/// output to its end after the function waited for the process to exit.
/// </summary>
public static class ExitingProcesses
{
    private static readonly ImmutableArray<string> ReadToEndWords = ImmutableArray.Create("ReadToEnd");

    /// <summary>
    /// Whether <paramref name="wait"/> (<c>p.WaitForExit()</c>, <c>p.StandardError.ReadToEnd[Async]()</c>) follows, in
    /// an earlier statement of the same function, a <c>ReadToEnd</c> or <c>ReadToEndAsync</c> of <c>p</c>'s standard
    /// output or error (directly or through a local reader made from it).
    /// </summary>
    public static bool IsAfterItsOutputEnded(IInvocationOperation wait)
    {
        var process = wait.TargetMethod.Name switch
        {
            "WaitForExit" when wait.Arguments.Length == 0 && wait.Instance is { } instance => ProcessOf(instance),
            "ReadToEnd" or "ReadToEndAsync" when wait.Instance is { } reader => ProcessOfStream(reader),
            _ => null,
        };
        if (process is null)
        {
            return false;
        }

        var isRead = wait.TargetMethod.Name != "WaitForExit";
        return EarlierStatements.Any(wait, process, (statement, process) =>
            (SourceTextSearch.ContainsAny(statement.Syntax.SyntaxTree.GetText(), statement.Syntax.Span, ReadToEndWords)
                && ReadsToEnd(statement, process))
            || (isRead && WaitsForExit(statement, process)));
    }

    /// <summary>
    /// <c>process.WaitForExit();</c> or <c>await process.WaitForExitAsync(token);</c> as a statement: the process has
    /// exited after it, so its output is closed and reading it to its end returns what is left (nats.net's perf runner,
    /// fresh set 2).
    /// </summary>
    private static bool WaitsForExit(IOperation statement, ISymbol process)
    {
        if (statement is not IExpressionStatementOperation { Operation: var expression })
        {
            return false;
        }

        expression = OperationUnwrapping.WithoutConversions(expression);
        if (expression is IAwaitOperation awaited)
        {
            expression = OperationUnwrapping.WithoutConversions(awaited.Operation);
            if (expression is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
            {
                expression = OperationUnwrapping.WithoutConversions(configured);
            }

            return expression is IInvocationOperation { TargetMethod.Name: "WaitForExitAsync", Instance: { } exiting }
                && SymbolEqualityComparer.Default.Equals(ProcessOf(exiting), process);
        }

        return expression is IInvocationOperation { TargetMethod.Name: "WaitForExit", Arguments.Length: 0, Instance: { } exited }
            && SymbolEqualityComparer.Default.Equals(ProcessOf(exited), process);
    }

    private static bool ReadsToEnd(IOperation statement, ISymbol process)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "ReadToEnd" or "ReadToEndAsync", Instance: { } reader }
                && SymbolEqualityComparer.Default.Equals(ProcessOfStream(reader), process))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The process (a local, parameter or field) a <c>Process</c> value reads.</summary>
    private static ISymbol? ProcessOf(IOperation operation) =>
        operation.Type is { Name: "Process", ContainingNamespace.Name: "Diagnostics" } ? OperationUnwrapping.ReferencedSymbol(operation) : null;

    /// <summary>
    /// The process whose <c>StandardOutput</c> / <c>StandardError</c> a reader is: the property itself, or a local
    /// initialized with it (<c>using (var reader = process.StandardOutput)</c>).
    /// </summary>
    private static ISymbol? ProcessOfStream(IOperation reader)
    {
        reader = OperationUnwrapping.WithoutConversions(reader);
        if (reader is IPropertyReferenceOperation { Property.Name: "StandardOutput" or "StandardError", Instance: { } owner })
        {
            return ProcessOf(owner);
        }

        if (reader is ILocalReferenceOperation { Local: { DeclaringSyntaxReferences.Length: 1 } local }
            && local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value }
            && reader.SemanticModel is { } model
            && value.SyntaxTree == model.SyntaxTree
            && model.GetOperation(value) is IPropertyReferenceOperation { Property.Name: "StandardOutput" or "StandardError", Instance: { } initializerOwner })
        {
            return ProcessOf(initializerOwner);
        }

        return null;
    }
}
