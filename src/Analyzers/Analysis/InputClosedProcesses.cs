using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A <c>WaitForExit()</c> on a process whose input the same function has just closed: <c>p.StandardInput.Close();</c>,
/// or the <c>Close()</c> / <c>Dispose()</c> of a stream that was handed to the call that made the process (an encoder
/// fed through a named pipe: <c>var ffmpeg = await StartAsync(pipeName, pipe); … pipe.Close(); ffmpeg.WaitForExit();</c>,
/// FlaUI's <c>VideoRecorder</c>, fresh set 7). A process told its input has ended finishes the work it was given and
/// exits, so the wait is the end of that work, not an idle wait. Asked only for a wait about to be reported.
/// </summary>
public static class InputClosedProcesses
{
    public static bool IsAfterItsInputClosed(IInvocationOperation wait)
    {
        if (wait.TargetMethod.Name != "WaitForExit" || !wait.Arguments.IsEmpty || wait.Instance is not { } instance
            || ProcessLocal(instance) is not { } process)
        {
            return false;
        }

        var inputs = StreamsGivenToTheMaker(process, wait.SemanticModel);
        return EarlierStatements.Any(wait, (process, inputs), static (statement, state) => ClosesInput(statement, state.process, state.inputs));
    }

    /// <summary>The local the wait is called on (<c>p.WaitForExit()</c> or <c>p?.WaitForExit()</c>), when it is a Process.</summary>
    private static ILocalSymbol? ProcessLocal(IOperation instance)
    {
        instance = OperationUnwrapping.WithoutConversions(instance);
        if (instance is IConditionalAccessInstanceOperation)
        {
            for (var current = instance.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access)
                {
                    instance = OperationUnwrapping.WithoutConversions(access.Operation);
                    break;
                }
            }
        }

        return instance is ILocalReferenceOperation { Local: { Type: { Name: "Process", ContainingNamespace.Name: "Diagnostics" } } local } ? local : null;
    }

    /// <summary>The locals passed to the call whose result initializes the process local (<c>var p = await Start(name, pipe)</c>).</summary>
    private static List<ILocalSymbol>? StreamsGivenToTheMaker(ILocalSymbol process, SemanticModel? model)
    {
        if (model is null
            || process.DeclaringSyntaxReferences.Length != 1
            || process.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value }
            || value.SyntaxTree != model.SyntaxTree
            || model.GetOperation(value) is not { } initializer)
        {
            return null;
        }

        var made = OperationUnwrapping.WithoutConversions(initializer);
        if (made is IAwaitOperation await)
        {
            made = OperationUnwrapping.WithoutConversions(await.Operation);
        }

        if (made is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited })
        {
            made = OperationUnwrapping.WithoutConversions(awaited);
        }

        if (made is not IInvocationOperation maker)
        {
            return null;
        }

        List<ILocalSymbol>? locals = null;
        foreach (var argument in maker.Arguments)
        {
            if (OperationUnwrapping.WithoutConversions(argument.Value) is ILocalReferenceOperation { Local: { Type.TypeKind: TypeKind.Class } local }
                && IsStream(local.Type))
            {
                (locals ??= new List<ILocalSymbol>()).Add(local);
            }
        }

        return locals;
    }

    /// <summary>A statement <c>x.Close();</c> / <c>x.Dispose();</c> of the process's standard input or of a stream given to its maker.</summary>
    private static bool ClosesInput(IOperation statement, ILocalSymbol process, List<ILocalSymbol>? inputs)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Close" or "Dispose", Arguments.IsEmpty: true, Instance: { } closed } })
        {
            return false;
        }

        switch (OperationUnwrapping.WithoutConversions(closed))
        {
            case IPropertyReferenceOperation { Property.Name: "StandardInput", Instance: ILocalReferenceOperation owner }:
                return SymbolEqualityComparer.Default.Equals(owner.Local, process);
            case ILocalReferenceOperation stream when inputs is not null:
                foreach (var input in inputs)
                {
                    if (SymbolEqualityComparer.Default.Equals(input, stream.Local))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsStream(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Stream", ContainingNamespace.Name: "IO" })
            {
                return true;
            }
        }

        return false;
    }
}
