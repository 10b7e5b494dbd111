using System.Collections.Generic;
using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Rules;

/// <summary>
/// GS0007: a bool field or captured local that a loop polls to know when to stop, written by another method,
/// lambda or local function with no synchronization, so that the read may be hoisted out of the loop.
/// Fields and bool auto-properties are judged by the <see cref="StopModel"/> (<see cref="StopModel.FlagsOf"/>: who polls
/// it, who writes it, on which thread, also from other types, also from types derived from the flag's own:
/// <see cref="StopFlagInheritors"/>), at the end of their type when its loops may poll them, else from their own
/// declaration; each report sits on the flag's declaration; captured locals from their
/// declarations (the operation block is walked only when a loop and a lambda in the local's scope name it).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StopFlagAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: <see cref="FieldKind"/> or <see cref="LocalKind"/>.</summary>
    public const string KindProperty = "FlagKind";

    public const string FieldKind = "Field";

    public const string LocalKind = "Local";

    /// <summary>The flag is a bool auto-property (no fix rewrites it).</summary>
    public const string PropertyKind = "Property";

    /// <summary>Diagnostic property present when the flag is written from another type (the fixes that change its type do not apply).</summary>
    public const string WrittenOutsideTypeProperty = "WrittenOutsideType";

    private static readonly ImmutableDictionary<string, string?> FieldProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, FieldKind);

    private static readonly ImmutableDictionary<string, string?> LocalProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, LocalKind);

    private static readonly ImmutableDictionary<string, string?> PropertyProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, PropertyKind);

    private static readonly ImmutableDictionary<string, string?> OutsideProperties =
        FieldProperties.Add(WrittenOutsideTypeProperty, "true");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StopFlag,
        Descriptors.StopFlagWrittenOutsideType);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Get(context.Compilation);
        if (types.Thread is null && types.Task is null)
        {
            // Nothing in this compilation can run a loop on another thread.
            return;
        }

        var model = StopModel.Get(context.Compilation);
        context.RegisterSymbolStartAction(c => OnTypeStart(c, types, model), SymbolKind.NamedType);
        context.RegisterSymbolAction(c => AnalyzeFlagPolledElsewhere(c, types, model), SymbolKind.Field, SymbolKind.Property);
        context.RegisterOperationAction(c => AnalyzeLocal(c, types), OperationKind.VariableDeclarator);
    }

    /// <summary>
    /// A type whose loops may poll one of its flags (from syntax, <see cref="TypeFlagModel.MayPollFlags"/>) has its flags
    /// judged at the end of the type, after the driver has bound its members' bodies for the operation-block action
    /// registered here: the model then reads the bound trees the driver keeps instead of binding them first itself.
    /// </summary>
    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownTypes types, StopModel model)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!model.FlagsOf(type, context.CancellationToken).MayPollFlags)
        {
            return;
        }

        // Does nothing: its registration makes the driver bind every member body of the type before the end action.
        context.RegisterOperationBlockAction(static _ => { });
        context.RegisterSymbolEndAction(c =>
        {
            foreach (var member in ((INamedTypeSymbol)c.Symbol).GetMembers())
            {
                if (member is IFieldSymbol or IPropertySymbol)
                {
                    AnalyzeFlag(c, member, types, model);
                }
            }
        });
    }

    /// <summary>A flag of a type with no loop that may poll it (a derived type's loop may): judged from its declaration.</summary>
    private static void AnalyzeFlagPolledElsewhere(SymbolAnalysisContext context, KnownTypes types, StopModel model)
    {
        // Every field and property of the compilation comes here: the shape is checked before the type's model is asked.
        if (IsBoolFlagShaped(context.Symbol)
            && context.Symbol.ContainingType is { } type
            && !model.FlagsOf(type, context.CancellationToken).MayPollFlags)
        {
            AnalyzeFlag(context, context.Symbol, types, model);
        }
    }

    private static bool IsBoolFlagShaped(ISymbol member) => member switch
    {
        // The modifiers and the syntax first: asking a member's type may bind its declaration (issue 19).
        IFieldSymbol field => !field.IsImplicitlyDeclared && !field.IsReadOnly && !field.IsConst && !field.IsVolatile && field.Type.SpecialType == SpecialType.System_Boolean,
        IPropertySymbol property => !property.IsIndexer && property.GetMethod is not null && property.SetMethod is not null && StopFlagCandidates.IsCandidateProperty(property) && property.Type.SpecialType == SpecialType.System_Boolean,
        _ => false,
    };

    /// <summary>
    /// A bool field or auto-property that may be a flag: the model of its type says whether a loop polls it and a write
    /// on another thread races with the poll (also a write from another type, for a field visible outside its own).
    /// </summary>
    private static void AnalyzeFlag(SymbolAnalysisContext context, ISymbol flag, KnownTypes types, StopModel model)
    {
        IFieldSymbol field;
        switch (flag)
        {
            case IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean, IsImplicitlyDeclared: false } declared:
                field = declared;
                break;
            case IPropertySymbol { Type.SpecialType: SpecialType.System_Boolean, IsIndexer: false, GetMethod: not null, SetMethod: not null } property
                when StopFlagCandidates.IsCandidateProperty(property)
                    && AutoProperties.BackingField(property) is { } backing:
                field = backing;
                break;
            default:
                return;
        }

        if (flag.Locations.IsEmpty
            || !flag.Locations[0].IsInSource
            || !StopFlagAnalysis.IsCandidateField(field, types.ThreadStaticAttribute))
        {
            return;
        }

        var verdict = model.FlagsOf(field.ContainingType, context.CancellationToken).VerdictFor(field, model, context.CancellationToken, out var writtenOutside);
        if (verdict is null && flag is IFieldSymbol)
        {
            // A field polled and written by a type derived from its own: the loop and the writes are in another type.
            verdict = StopFlagInheritors.VerdictInDerivedTypes(field, model, context.CancellationToken);
            writtenOutside = verdict is not null;
        }

        if (verdict is null || (flag is IPropertySymbol visible && StopFlagCandidates.IsVisible(visible) && !verdict.SetBeforeStart))
        {
            return;
        }

        if (writtenOutside)
        {
            context.ReportDiagnostic(verdict.Create(Descriptors.StopFlagWrittenOutsideType, flag, flag.Locations[0], OutsideProperties, qualifyWriter: true));
            return;
        }

        // An auto-property flag is named and located by its property; the fixes rewrite fields only.
        var properties = flag is IPropertySymbol ? PropertyProperties : FieldProperties;
        context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, flag, flag.Locations[0], properties, qualifyWriter: false));
    }

    /// <summary>
    /// Captured locals, from their declaration (so the report, on the declaration, is local to the action's node): a bool
    /// local whose scope, by syntax, holds a while/do/for loop that names it and a lambda or local function (the only way
    /// a local is shared with another thread). Only then is the operation block walked, for that local's accesses and
    /// the calls between its local functions.
    /// </summary>
    private static void AnalyzeLocal(OperationAnalysisContext context, KnownTypes types)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var local = declarator.Symbol;
        if (local.Type.SpecialType != SpecialType.System_Boolean
            || local.IsConst
            || local.IsRef
            || local.Locations.IsEmpty
            || !local.Locations[0].IsInSource
            || declarator.Syntax is not VariableDeclaratorSyntax syntax
            || !StopFlagPolls.MayPollCapturedLocal(syntax))
        {
            return;
        }

        var root = OperationScopes.Root(declarator);

        var owner = context.ContainingSymbol;
        var accesses = new List<StopFlagAccess>();
        var graph = new StopFlagCallGraph();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    if (StopFlagAnalysis.Classify(reference, owner, types) is { } access
                        && !(access.Kind == StopFlagAccessKind.LoopRead && StopFlagExemptions.IsUnderUsingLock(access)))
                    {
                        // A read under a using-lock counts as one under a lock statement.
                        accesses.Add(access);
                    }

                    break;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } invocation:
                    if (StopFlagAnalysis.CallerOf(invocation, owner, types) is { } caller)
                    {
                        graph.Add(caller, invocation.TargetMethod.OriginalDefinition);
                    }

                    break;
            }
        }

        if (StopFlagVerdict.Evaluate(accesses, graph, constructorType: null, StopFlagScope.Of(root), types) is { } verdict)
        {
            context.ReportDiagnostic(verdict.Create(Descriptors.StopFlag, local, local.Locations[0], LocalProperties, qualifyWriter: false));
        }
    }
}
