using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0001: <c>Thread.Abort</c>, <c>ResetAbort</c>, <c>Suspend</c>, <c>Resume</c> and a <c>catch (ThreadAbortException)</c>
/// that swallows the abort. GS0002: <c>Thread.Interrupt</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForcibleThreadStopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the <see cref="System.Threading.Thread"/> method that was called.</summary>
    public const string MethodProperty = "Method";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.AbortOnDotNet,
        Descriptors.AbortOnFramework,
        Descriptors.AbortOnAnyTarget,
        Descriptors.AbortSelf,
        Descriptors.CatchThreadAbort,
        Descriptors.Interrupt);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        // One semantic-model action per document, not operation actions: this is the one analyzer a default
        // command-line build runs (the other rules are Info, which such a build skips), and with operation actions the
        // compiler must build an operation tree for every method body of the project (the benchmark's floor package:
        // +14 % wall time on a real library that runs no other analyzer). Here a document whose text never mentions
        // the methods is skipped unread; otherwise only the token at each mention is looked at, and only the rare
        // Abort/Interrupt/... call is bound, through GetOperation.
        context.RegisterSemanticModelAction(AnalyzeDocument);
    }

    private static readonly ImmutableArray<string> Names =
        ImmutableArray.Create("Abort", "ResetAbort", "Suspend", "Resume", "Interrupt", "ThreadAbortException");

    // What the text is searched for: ResetAbort and ThreadAbortException contain Abort.
    private static readonly ImmutableArray<string> Words = ImmutableArray.Create("Abort", "Suspend", "Resume", "Interrupt");

    private static void AnalyzeDocument(SemanticModelAnalysisContext context)
    {
        var tree = context.SemanticModel.SyntaxTree;
        var root = tree.GetRoot(context.CancellationToken);
        var span = context.FilterSpan ?? root.FullSpan;

        // Only the identifiers with one of the names are looked at: the call whose name each is, or the catch whose type it names.
        foreach (var name in IdentifierSearch.Find(root, span, Names, Words) ?? new())
        {
            if (name.Identifier.ValueText == "ThreadAbortException")
            {
                if (CatchOfType(name) is { } clause)
                {
                    AnalyzeCatch(context, clause);
                }
            }
            else if (CallNamed(name) is { } call)
            {
                AnalyzeInvocation(context, call);
            }
        }
    }

    /// <summary>The call whose rightmost name is <paramref name="name"/>: <c>Abort()</c>, <c>t.Abort()</c>, <c>t?.Abort()</c>.</summary>
    private static InvocationExpressionSyntax? CallNamed(SimpleNameSyntax name)
    {
        SyntaxNode callee = name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => access,
            MemberBindingExpressionSyntax binding when binding.Name == name => binding,
            _ => name,
        };

        return callee.Parent is InvocationExpressionSyntax call && call.Expression == callee ? call : null;
    }

    /// <summary>The catch clause whose declared type ends with <paramref name="name"/>.</summary>
    private static CatchClauseSyntax? CatchOfType(SimpleNameSyntax name)
    {
        SyntaxNode type = name.Parent switch
        {
            QualifiedNameSyntax qualified when qualified.Right == name => qualified,
            AliasQualifiedNameSyntax aliased when aliased.Name == name => aliased,
            _ => name,
        };

        return type.Parent is CatchDeclarationSyntax declaration && declaration.Type == type ? declaration.Parent as CatchClauseSyntax : null;
    }

    private static void AnalyzeInvocation(SemanticModelAnalysisContext context, InvocationExpressionSyntax call)
    {
        if (!IsCandidateName(RightmostName.Of(call.Expression))
            || call.ContainsDiagnostics
            || context.SemanticModel.GetOperation(call, context.CancellationToken) is not IInvocationOperation invocation)
        {
            // A call the user is still typing already shows a compiler error; do not pile on.
            return;
        }

        var types = KnownTypes.Get(context.SemanticModel.Compilation);
        if (types.Thread is { } thread)
        {
            AnalyzeInvocation(context, invocation, thread, types.ThreadAbortException, types.Runtime);
        }
    }

    private static void AnalyzeInvocation(SemanticModelAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol thread, INamedTypeSymbol? abortException, TargetRuntime runtime)
    {
        var method = invocation.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, thread))
        {
            return;
        }

        if (invocation.Instance is IFieldReferenceOperation { Field: var field }
            && WriteSyntax.IsNeverAssignedPrivateField(field.OriginalDefinition, context.CancellationToken))
        {
            // A private field nothing ever assigns is always null: the call throws NullReferenceException and stops no
            // thread, so what the message would say is untrue (fresh set 4: a stop method aborting a thread it never kept).
            return;
        }

        if (method.Name == "ResetAbort" && InAbortHandler(invocation, abortException))
        {
            // The enclosing catch (ThreadAbortException) is reported instead: one diagnostic per cause.
            return;
        }

        var consequence = FrameworkConsequence(method.Name);
        DiagnosticDescriptor descriptor;
        if (method.Name == "Interrupt")
        {
            descriptor = Descriptors.Interrupt;
        }
        else if (consequence is null)
        {
            return;
        }
        else if (method.Name == "Abort" && IsCurrentThread(invocation.Instance, thread))
        {
            // Abort of the calling thread: nothing is interrupted at an arbitrary point; say what is true for it.
            descriptor = Descriptors.AbortSelf;
        }
        else
        {
            descriptor = runtime switch
            {
                TargetRuntime.DotNet => Descriptors.AbortOnDotNet,
                TargetRuntime.Framework => Descriptors.AbortOnFramework,
                _ => Descriptors.AbortOnAnyTarget,
            };
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(MethodProperty, method.Name);
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor,
            NameLocation(invocation),
            properties,
            CallText(invocation),
            consequence));
    }

    /// <summary>
    /// A catch of ThreadAbortException swallows the abort only when it calls Thread.ResetAbort: otherwise the
    /// runtime raises the abort again at the end of the handler.
    /// </summary>
    private static void AnalyzeCatch(SemanticModelAnalysisContext context, CatchClauseSyntax clause)
    {
        if (clause.Declaration is not { } declaration
            || RightmostName.Of(declaration.Type) != "ThreadAbortException"
            || context.SemanticModel.GetOperation(clause, context.CancellationToken) is not ICatchClauseOperation catchClause)
        {
            return;
        }

        var types = KnownTypes.Get(context.SemanticModel.Compilation);
        if (types.Thread is not { } thread
            || types.ThreadAbortException is not { } abortException
            || !SymbolEqualityComparer.Default.Equals(catchClause.ExceptionType, abortException)
            || !CallsResetAbort(catchClause.Handler, thread)
            || TryAbortsAThread(catchClause, thread))
        {
            return;
        }

        var runtime = types.Runtime;
        var consequence = runtime switch
        {
            TargetRuntime.DotNet => "is not supported on .NET Core and .NET 5+",
            TargetRuntime.Framework => "skips cleanup and leaves shared state broken on .NET Framework",
            _ => "is not supported on .NET 5+ and leaves shared state broken on .NET Framework",
        };
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.CatchThreadAbort,
            declaration.Type.GetLocation(),
            declaration.Type.ToString(),
            consequence));
    }

    private static bool IsCandidateName(string? name) =>
        name is "Abort" or "ResetAbort" or "Suspend" or "Resume" or "Interrupt";

    private static bool CallsResetAbort(IBlockOperation handler, INamedTypeSymbol thread)
    {
        foreach (var operation in handler.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "ResetAbort" } method }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, thread))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>try { t.Abort(); } catch (ThreadAbortException) { Thread.ResetAbort(); }</c>: the catch around the method's own
    /// <c>Abort()</c> call is the same root cause as that call, which is reported; replacing the abort with
    /// cancellation removes the catch too. One diagnostic per cause (fresh set 9).
    /// </summary>
    private static bool TryAbortsAThread(ICatchClauseOperation catchClause, INamedTypeSymbol thread)
    {
        if (catchClause.Parent is not ITryOperation tryOperation)
        {
            return false;
        }

        foreach (var operation in tryOperation.Body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "Abort" } method }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, thread)
                && !OperationScopes.IsInNestedFunction(operation, tryOperation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InAbortHandler(IOperation operation, INamedTypeSymbol? abortException)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (parent is ICatchClauseOperation catchClause)
            {
                return SymbolEqualityComparer.Default.Equals(catchClause.ExceptionType, abortException);
            }
        }

        return false;
    }

    private static bool IsCurrentThread(IOperation? instance, INamedTypeSymbol thread) =>
        instance is IPropertyReferenceOperation { Property: { Name: "CurrentThread", IsStatic: true } property }
        && SymbolEqualityComparer.Default.Equals(property.ContainingType, thread);

    private static string? FrameworkConsequence(string methodName) => methodName switch
    {
        "Abort" => "injects an exception at an arbitrary point of the thread, skipping cleanup and leaving locks and shared state broken",
        "ResetAbort" => "lets an aborted thread go on in whatever state the abort left it",
        "Suspend" => "freezes the thread wherever it is, possibly holding a lock that every other thread then waits for",
        "Resume" => "resumes a thread frozen at an arbitrary point by Suspend",
        _ => null,
    };

    private static Location NameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
            ? member.Name.GetLocation()
            : invocation.Syntax is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding }
                ? binding.Name.GetLocation()
                : invocation.Syntax.GetLocation();

    /// <summary>The call as the user wrote it, shortened when the receiver is long.</summary>
    private static string CallText(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        if (invocation.TargetMethod.IsStatic)
        {
            return "Thread." + name + "()";
        }

        var receiver = invocation.Instance?.Syntax.ToString();
        if (receiver is null || receiver.Length > 40 || receiver.IndexOf('\n') >= 0)
        {
            return "Thread." + name + "()";
        }

        return receiver + "." + name + "()";
    }
}
