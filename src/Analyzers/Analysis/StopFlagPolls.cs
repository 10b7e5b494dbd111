using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The flags one while/for loop polls, found without walking the loop: a poll is a read in the loop's condition, or
/// in the condition of an <c>if (...) break;</c> / <c>return;</c> among the loop's statements, through <c>!</c>,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>==</c>, <c>!=</c> and conversions only (what <see cref="StopFlagAnalysis.Classify"/>
/// reports as a loop read). Nested loops, lambdas, local functions and locks are not entered (a read there never
/// polls this loop), nor expressions other than those conditions.
/// </summary>
public static class StopFlagPolls
{
    /// <summary>
    /// The cheap, syntax-only half of a captured local's check: the local's scope (its block, switch section or
    /// file of top-level statements) holds a while/do/for statement that names it and a lambda or local function.
    /// </summary>
    public static bool MayPollCapturedLocal(Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator)
    {
        SyntaxNode? scope = declarator.Parent;
        while (scope is not null and not (Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.SwitchSectionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax))
        {
            scope = scope.Parent;
        }

        if (scope is null)
        {
            return false;
        }

        var name = declarator.Identifier.ValueText;
        var loopNamesIt = false;
        var hasFunction = false;
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax:
                    hasFunction = true;
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier when !loopNamesIt && identifier.Identifier.ValueText == name:
                    loopNamesIt = IsInLoop(identifier);
                    break;
            }

            if (hasFunction && loopNamesIt)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The non-const bool locals that <paramref name="loop"/> polls (null when none).</summary>
    public static HashSet<ILocalSymbol>? FindLocals(IOperation loop)
    {
        var scan = new Scan(loop, fields: null);
        scan.ScanLoop();
        return scan.Locals;
    }

    /// <summary>Whether <paramref name="loop"/> polls a field that <paramref name="fields"/> accepts (given the original definition).</summary>
    public static bool PollsAny(IOperation loop, Func<IFieldSymbol, bool> fields)
    {
        var scan = new Scan(loop, fields);
        scan.ScanLoop();
        return scan.PollsField;
    }

    /// <summary>One scan, on the stack: the loop, the fields looked for (none: locals), and what was found.</summary>
    private struct Scan
    {
        private readonly IOperation _loop;
        private readonly Func<IFieldSymbol, bool>? _fields;

        public Scan(IOperation loop, Func<IFieldSymbol, bool>? fields)
        {
            _loop = loop;
            _fields = fields;
            Locals = null;
            PollsField = false;
        }

        public HashSet<ILocalSymbol>? Locals { get; private set; }

        public bool PollsField { get; private set; }

        public void ScanLoop()
        {
            switch (_loop)
            {
                case IWhileLoopOperation whileLoop:
                    ScanCondition(whileLoop.Condition);
                    ScanStatement(whileLoop.Body);
                    break;
                case IForLoopOperation forLoop:
                    ScanCondition(forLoop.Condition);
                    ScanStatement(forLoop.Body);
                    break;
            }
        }

        private void ScanStatement(IOperation? statement)
        {
            while (statement is not null && !PollsField)
            {
                switch (statement)
                {
                    case IBlockOperation block:
                        foreach (var inner in block.Operations)
                        {
                            ScanStatement(inner);
                        }

                        return;
                    case IConditionalOperation { Type: null } conditional:
                        if (MayExitLoop(conditional.WhenTrue))
                        {
                            ScanCondition(conditional.Condition);
                        }

                        ScanStatement(conditional.WhenTrue);
                        statement = conditional.WhenFalse;
                        continue;
                    case ISwitchOperation @switch:
                        foreach (var section in @switch.Cases)
                        {
                            foreach (var inner in section.Body)
                            {
                                ScanStatement(inner);
                            }
                        }

                        return;
                    case ITryOperation @try:
                        ScanStatement(@try.Body);
                        foreach (var @catch in @try.Catches)
                        {
                            ScanStatement(@catch.Handler);
                        }

                        statement = @try.Finally;
                        continue;
                    case IUsingOperation @using:
                        statement = @using.Body;
                        continue;
                    case ILabeledOperation labeled:
                        statement = labeled.Operation;
                        continue;
                    case { Kind: OperationKind.None }:
                        // Statements the operation tree does not model (fixed): their children.
                        foreach (var child in statement.ChildOperations)
                        {
                            ScanStatement(child);
                        }

                        return;
                    default:
                        // Loops, lambdas, local functions, locks, and statements that hold no statement.
                        return;
                }
            }
        }

        /// <summary>The shape accepted for a loop exit: a <c>break</c> or <c>return</c>, alone or last in a block.</summary>
        private static bool MayExitLoop(IOperation exit)
        {
            if (exit is IBlockOperation block)
            {
                if (block.Operations.IsEmpty)
                {
                    return false;
                }

                exit = block.Operations[block.Operations.Length - 1];
            }

            return exit is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation;
        }

        private void ScanCondition(IOperation? condition)
        {
            while (condition is not null)
            {
                switch (condition)
                {
                    case ILocalReferenceOperation { Local: { IsConst: false, RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Boolean } } reference:
                        if (_fields is null && StopFlagAnalysis.IsPolledBy(reference, _loop))
                        {
                            (Locals ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(reference.Local);
                        }

                        return;
                    case IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } reference:
                        if (_fields is not null && _fields(reference.Field.OriginalDefinition) && StopFlagAnalysis.IsPolledBy(reference, _loop))
                        {
                            PollsField = true;
                        }

                        return;
                    case IPropertyReferenceOperation { Property.Type.SpecialType: SpecialType.System_Boolean } property:
                        if (_fields is not null
                            && StopFlagAnalysis.BackingFieldOf(property) is { } backing
                            && _fields(backing)
                            && StopFlagAnalysis.IsPolledBy(property, _loop))
                        {
                            PollsField = true;
                        }

                        return;
                    case IConversionOperation conversion:
                        condition = conversion.Operand;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        condition = parenthesized.Operand;
                        continue;
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                        condition = not.Operand;
                        continue;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, OperatorMethod: null } binary:
                        ScanCondition(binary.RightOperand);
                        condition = binary.LeftOperand;
                        continue;
                    default:
                        return;
                }
            }
        }
    }
}
