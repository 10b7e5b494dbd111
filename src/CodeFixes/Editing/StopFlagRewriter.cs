using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace GracefulStop.CodeFixes.Editing;

/// <summary>The three ways GS0007 can synchronize a stop flag.</summary>
public enum StopFlagFix
{
    TokenSource,
    Event,
    Volatile,
}

/// <summary>How one access to a stop flag is rewritten.</summary>
internal enum FlagReferenceKind
{
    Read,
    WriteTrue,
    WriteFalse,
}

/// <summary>One access to the flag: the identifier, the expression it names the flag with, and its role.</summary>
internal sealed class FlagReference
{
    public FlagReference(DocumentId document, IdentifierNameSyntax identifier, ExpressionSyntax access, FlagReferenceKind kind, WhileStatementSyntax? sleepPoll)
    {
        Document = document;
        Identifier = identifier;
        Access = access;
        Kind = kind;
        SleepPoll = sleepPoll;
    }

    public DocumentId Document { get; }

    public IdentifierNameSyntax Identifier { get; }

    /// <summary><c>_stop</c>, <c>this._stop</c> or <c>Worker.s_stop</c>.</summary>
    public ExpressionSyntax Access { get; }

    public FlagReferenceKind Kind { get; }

    /// <summary>For <c>while (!flag) Thread.Sleep(t);</c>: the loop, which the event fix turns into a wait.</summary>
    public WhileStatementSyntax? SleepPoll { get; }
}

/// <summary>
/// Everything the GS0007 fixes need to know about one flag: its declaration, every access in every document of
/// its type (or of its member, for a local), and which fixes stay correct.
/// </summary>
internal sealed class StopFlagModel
{
    private StopFlagModel(
        ISymbol flag,
        DocumentId declarationDocument,
        VariableDeclaratorSyntax declarator,
        bool initialValue,
        bool stopValue,
        bool canChangeType,
        bool canMakeVolatile,
        ImmutableArray<FlagReference> references,
        HashSet<string> takenNames)
    {
        Flag = flag;
        DeclarationDocument = declarationDocument;
        Declarator = declarator;
        InitialValue = initialValue;
        StopValue = stopValue;
        CanChangeType = canChangeType;
        CanMakeVolatile = canMakeVolatile;
        References = references;
        TakenNames = takenNames;
    }

    public ISymbol Flag { get; }

    public DocumentId DeclarationDocument { get; }

    public VariableDeclaratorSyntax Declarator { get; }

    public bool InitialValue { get; }

    /// <summary>The value that tells the loop to stop (true for <c>while (!_stop)</c>, false for <c>while (_running)</c>).</summary>
    public bool StopValue { get; }

    public bool CanChangeType { get; }

    public bool CanMakeVolatile { get; }

    public ImmutableArray<FlagReference> References { get; }

    public HashSet<string> TakenNames { get; }

    public bool IsField => Flag is IFieldSymbol;

    public bool Supports(StopFlagFix fix) => fix switch
    {
        StopFlagFix.Volatile => IsField && CanMakeVolatile,
        _ => CanChangeType,
    };

    /// <summary>Reads the flag declared by the identifier at <paramref name="span"/>; null when it is not a flag this fixer understands.</summary>
    public static async Task<StopFlagModel?> CreateAsync(Document document, TextSpan span, bool writtenOutsideType, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || root.FindToken(span.Start).Parent is not VariableDeclaratorSyntax declarator
            || declarator.Identifier.Span != span
            || declarator.Parent is not VariableDeclarationSyntax declaration)
        {
            return null;
        }

        var symbol = model.GetDeclaredSymbol(declarator, cancellationToken);
        var types = KnownTypes.Get(model.Compilation);
        var canChangeType = declaration.Variables.Count == 1 && !writtenOutsideType
            && types.CancellationTokenSource is not null && types.ManualResetEventSlim is not null && types.Interlocked is not null;

        var initialValue = false;
        if (declarator.Initializer is { } initializer)
        {
            if (model.GetConstantValue(initializer.Value, cancellationToken) is { HasValue: true, Value: bool value })
            {
                initialValue = value;
            }
            else
            {
                canChangeType = false;
            }
        }

        var solution = document.Project.Solution;
        var scopes = new List<(Document Document, SyntaxNode Node)>();
        switch (symbol)
        {
            case IFieldSymbol field when declaration.Parent is FieldDeclarationSyntax:
                foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
                {
                    if (solution.GetDocument(reference.SyntaxTree) is { } typeDocument)
                    {
                        scopes.Add((typeDocument, await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false)));
                    }
                }

                break;
            case ILocalSymbol when declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0 } statement
                && statement.Modifiers.Count == 0:
                SyntaxNode? member = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>();
                if (member is null or GlobalStatementSyntax)
                {
                    member = root;
                }

                scopes.Add((document, member));
                break;
            default:
                return null;
        }

        var takenNames = new HashSet<string>(System.StringComparer.Ordinal);
        for (var type = symbol.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var name in type.MemberNames)
            {
                takenNames.Add(name);
            }
        }

        var references = ImmutableArray.CreateBuilder<FlagReference>();
        var canMakeVolatile = true;
        int? firstLoopReadPosition = null;
        bool? stopValueFromLoop = null;
        foreach (var (scopeDocument, node) in scopes)
        {
            var scopeModel = await scopeDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (scopeModel is null)
            {
                return null;
            }

            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    takenNames.Add(token.ValueText);
                }
            }

            foreach (var identifier in node.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != symbol.Name
                    || !SymbolEqualityComparer.Default.Equals(scopeModel.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition, symbol))
                {
                    continue;
                }

                var reference = Classify(scopeDocument.Id, identifier, scopeModel, types, cancellationToken, out var isRefUse);
                if (isRefUse)
                {
                    canMakeVolatile = false;
                }

                if (reference is null)
                {
                    canChangeType = false;
                    continue;
                }

                references.Add(reference);
                if (reference.Kind == FlagReferenceKind.Read && LoopStopValue(reference.Access) is { } loopStopValue
                    && (scopeDocument.Id == document.Id ? (firstLoopReadPosition is null || identifier.SpanStart < firstLoopReadPosition) : stopValueFromLoop is null))
                {
                    stopValueFromLoop = loopStopValue;
                    if (scopeDocument.Id == document.Id)
                    {
                        firstLoopReadPosition = identifier.SpanStart;
                    }
                }
            }
        }

        if (symbol is IFieldSymbol { DeclaredAccessibility: not Accessibility.Private } visibleField)
        {
            // Accesses from other types: the type-changing fixes would have to follow them; volatile must not meet a ref.
            var found = await SymbolFinder.FindReferencesAsync(visibleField, solution, cancellationToken).ConfigureAwait(false);
            foreach (var location in found.SelectMany(r => r.Locations))
            {
                if (!scopes.Any(s => s.Node.SyntaxTree == location.Location.SourceTree && s.Node.Span.Contains(location.Location.SourceSpan)))
                {
                    canChangeType = false;
                    var outsideRoot = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    if (outsideRoot?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true) is { } outsideNode
                        && outsideNode.FirstAncestorOrSelf<ArgumentSyntax>() is { RefKindKeyword.RawKind: not 0 })
                    {
                        canMakeVolatile = false;
                    }
                }
            }
        }

        var declarationDocument = document.Id;
        return new StopFlagModel(
            symbol,
            declarationDocument,
            declarator,
            initialValue,
            stopValueFromLoop ?? !initialValue,
            canChangeType,
            canMakeVolatile,
            references.ToImmutable(),
            takenNames);
    }

    /// <summary>The new solution with <paramref name="fix"/> applied to every access of the flag.</summary>
    public async Task<Solution> ApplyAsync(Solution solution, StopFlagFix fix, CancellationToken cancellationToken)
    {
        var declarationDocument = solution.GetDocument(DeclarationDocument)!;
        if (fix == StopFlagFix.Volatile)
        {
            var root = (await declarationDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var field = Declarator.FirstAncestorOrSelf<FieldDeclarationSyntax>()!;
            return solution.WithDocumentSyntaxRoot(DeclarationDocument, root.ReplaceNode(field, AddModifier(field, SyntaxKind.VolatileKeyword)));
        }

        var newName = UniqueName(Flag.Name + (fix == StopFlagFix.TokenSource ? "Source" : "Event"));
        var hasReset = fix == StopFlagFix.TokenSource && References.Any(r => IsReset(r.Kind));
        var documents = References.Select(r => r.Document).Append(DeclarationDocument).Distinct().ToList();
        foreach (var documentId in documents)
        {
            var document = solution.GetDocument(documentId)!;
            var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            var namesThreadingTypes = documentId == DeclarationDocument;
            foreach (var reference in References)
            {
                if (reference.Document == documentId)
                {
                    AddReplacement(replacements, reference, newName, fix);
                    namesThreadingTypes |= fix == StopFlagFix.TokenSource && IsReset(reference.Kind);
                }
            }

            if (documentId == DeclarationDocument)
            {
                AddDeclarationReplacement(replacements, newName, fix, hasReset);
            }

            var newRoot = root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (namesThreadingTypes && newRoot is CompilationUnitSyntax unit && model is not null && !ImportsSystemThreading(model, replacements.Keys.First().SpanStart))
            {
                newRoot = AddSystemThreadingUsing(unit);
            }

            solution = solution.WithDocumentSyntaxRoot(documentId, newRoot);
        }

        return solution;
    }

    private bool IsReset(FlagReferenceKind kind) =>
        kind == (StopValue ? FlagReferenceKind.WriteFalse : FlagReferenceKind.WriteTrue);

    private void AddReplacement(Dictionary<SyntaxNode, SyntaxNode> replacements, FlagReference reference, string newName, StopFlagFix fix)
    {
        var access = Rename(reference.Access, newName);
        var text = access.WithoutTrivia().ToFullString();
        switch (reference.Kind)
        {
            case FlagReferenceKind.Read when fix == StopFlagFix.Event && reference.SleepPoll is { } poll:
                replacements[poll] = ExpressionStatement(ParseExpression(text + ".Wait()")).WithTriviaFrom(poll);
                break;
            case FlagReferenceKind.Read when fix == StopFlagFix.Event:
                replacements[reference.Access] = ParseExpression(text + ".IsSet").WithTriviaFrom(reference.Access);
                break;
            case FlagReferenceKind.Read when StopValue:
                replacements[reference.Access] = ParseExpression(text + ".IsCancellationRequested").WithTriviaFrom(reference.Access);
                break;
            case FlagReferenceKind.Read:
                // A "running" flag: true while not cancelled.
                if (reference.Access.Parent is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not)
                {
                    replacements[not] = ParseExpression(text + ".IsCancellationRequested").WithTriviaFrom(not);
                }
                else
                {
                    ExpressionSyntax negated = ParseExpression("!" + text + ".IsCancellationRequested");
                    if (reference.Access.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax or InvocationExpressionSyntax or PostfixUnaryExpressionSyntax)
                    {
                        negated = ParenthesizedExpression(negated);
                    }

                    replacements[reference.Access] = negated.WithTriviaFrom(reference.Access);
                }

                break;
            default:
                var assignment = (AssignmentExpressionSyntax)reference.Access.Parent!;
                var value = reference.Kind == FlagReferenceKind.WriteTrue;
                string replacement;
                if (fix == StopFlagFix.Event)
                {
                    replacement = text + (value ? ".Set()" : ".Reset()");
                }
                else if (value == StopValue)
                {
                    replacement = text + ".Cancel()";
                }
                else
                {
                    replacement = "Interlocked.Exchange(ref " + text + ", new CancellationTokenSource()).Dispose()";
                }

                replacements[assignment] = ParseExpression(replacement).WithTriviaFrom(assignment);
                break;
        }
    }

    private void AddDeclarationReplacement(Dictionary<SyntaxNode, SyntaxNode> replacements, string newName, StopFlagFix fix, bool hasReset)
    {
        string creation;
        if (fix == StopFlagFix.Event)
        {
            creation = InitialValue ? "new ManualResetEventSlim(initialState: true)" : "new ManualResetEventSlim()";
        }
        else
        {
            creation = InitialValue == StopValue
                ? "CancellationTokenSource.CreateLinkedTokenSource(new CancellationToken(canceled: true))"
                : "new CancellationTokenSource()";
        }

        var value = ParseExpression(creation);
        var identifier = Identifier(Declarator.Identifier.LeadingTrivia, newName, Declarator.Identifier.TrailingTrivia);
        var declarator = Declarator.WithIdentifier(identifier);
        declarator = Declarator.Initializer is { } initializer
            ? declarator.WithInitializer(initializer.WithValue(value.WithTriviaFrom(initializer.Value)))
            : declarator
                .WithIdentifier(identifier.WithTrailingTrivia())
                .WithInitializer(EqualsValueClause(Token(TriviaList(Space), SyntaxKind.EqualsToken, TriviaList(Space)), value)
                    .WithTrailingTrivia(Declarator.Identifier.TrailingTrivia));

        var declaration = (VariableDeclarationSyntax)Declarator.Parent!;
        var typeName = fix == StopFlagFix.Event ? "ManualResetEventSlim" : "CancellationTokenSource";
        if (declaration.Parent is FieldDeclarationSyntax field)
        {
            var newDeclaration = declaration
                .WithType(ParseTypeName(typeName).WithTriviaFrom(declaration.Type))
                .WithVariables(SingletonSeparatedList(declarator));
            var newField = field.WithDeclaration(newDeclaration);
            if (!hasReset)
            {
                newField = AddModifier(newField, SyntaxKind.ReadOnlyKeyword);
            }

            replacements[field] = newField;
        }
        else
        {
            var type = declaration.Type.IsVar ? declaration.Type : IdentifierName("var").WithTriviaFrom(declaration.Type);
            replacements[declaration] = declaration.WithType(type).WithVariables(SingletonSeparatedList(declarator));
        }
    }

    private string UniqueName(string name)
    {
        var candidate = name;
        for (var i = 2; TakenNames.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static ExpressionSyntax Rename(ExpressionSyntax access, string newName)
    {
        IdentifierNameSyntax Renamed(IdentifierNameSyntax name) =>
            name.WithIdentifier(Identifier(name.Identifier.LeadingTrivia, newName, name.Identifier.TrailingTrivia));

        return access switch
        {
            MemberAccessExpressionSyntax member => member.WithName(Renamed((IdentifierNameSyntax)member.Name)),
            IdentifierNameSyntax identifier => Renamed(identifier),
            _ => access,
        };
    }

    private static FieldDeclarationSyntax AddModifier(FieldDeclarationSyntax field, SyntaxKind modifier)
    {
        if (field.Modifiers.Count == 0)
        {
            var type = field.Declaration.Type;
            return field
                .WithModifiers(TokenList(Token(type.GetLeadingTrivia(), modifier, TriviaList(Space))))
                .WithDeclaration(field.Declaration.WithType(type.WithLeadingTrivia()));
        }

        return field.WithModifiers(field.Modifiers.Add(Token(TriviaList(), modifier, TriviaList(Space))));
    }

    private static bool ImportsSystemThreading(SemanticModel model, int position)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position, name: "CancellationTokenSource"))
        {
            if (symbol.ContainingNamespace?.ToDisplayString() == "System.Threading")
            {
                return true;
            }
        }

        return false;
    }

    private static CompilationUnitSyntax AddSystemThreadingUsing(CompilationUnitSyntax unit)
    {
        var newLine = unit.ToFullString().Contains("\r\n") ? CarriageReturnLineFeed : LineFeed;
        var directive = UsingDirective(ParseName("System.Threading"))
            .WithUsingKeyword(Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(Space))
            .WithTrailingTrivia(newLine);
        if (unit.Usings.Count == 0)
        {
            var first = unit.GetFirstToken();
            return unit
                .ReplaceToken(first, first.WithLeadingTrivia(TriviaList(newLine).AddRange(first.LeadingTrivia)))
                .WithUsings(SingletonList(directive));
        }

        var index = 0;
        while (index < unit.Usings.Count
            && unit.Usings[index] is { Alias: null, StaticKeyword.RawKind: 0 } existing
            && string.CompareOrdinal(existing.Name?.ToString(), "System.Threading") < 0)
        {
            index++;
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive));
    }

    /// <summary>Classifies one reference; null when it cannot be rewritten into a method call or property read.</summary>
    private static FlagReference? Classify(
        DocumentId document,
        IdentifierNameSyntax identifier,
        SemanticModel model,
        KnownTypes types,
        CancellationToken cancellationToken,
        out bool isRefUse)
    {
        isRefUse = false;
        ExpressionSyntax access = identifier.Parent is MemberAccessExpressionSyntax member && member.Name == identifier ? member : identifier;
        if (identifier.Parent is MemberBindingExpressionSyntax || access.Parent is RefExpressionSyntax)
        {
            isRefUse = access.Parent is RefExpressionSyntax;
            return null;
        }

        var operation = model.GetOperation(access, cancellationToken);
        switch (operation?.Parent)
        {
            case null:
                return null;
            case IArgumentOperation { Parameter.RefKind: not RefKind.None }:
                isRefUse = true;
                return null;
            case ISimpleAssignmentOperation assignment when assignment.Target == operation:
                if (access.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } syntax
                    && syntax.Left == access
                    && assignment.Parent is IExpressionStatementOperation
                    && model.GetConstantValue(syntax.Right, cancellationToken) is { HasValue: true, Value: bool value })
                {
                    return new FlagReference(document, identifier, access, value ? FlagReferenceKind.WriteTrue : FlagReferenceKind.WriteFalse, null);
                }

                return null;
            case IAssignmentOperation:
            case IAddressOfOperation:
                isRefUse = true;
                return null;
            case ITupleOperation:
            case INameOfOperation:
                return null;
        }

        return new FlagReference(document, identifier, access, FlagReferenceKind.Read, SleepPoll(access, model, types, cancellationToken));
    }

    /// <summary><c>while (!flag) Thread.Sleep(t);</c> with no comment inside: the loop that only waits for the flag.</summary>
    private static WhileStatementSyntax? SleepPoll(ExpressionSyntax access, SemanticModel model, KnownTypes types, CancellationToken cancellationToken)
    {
        if (access.Parent is not PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not
            || not.Parent is not WhileStatementSyntax loop
            || loop.Condition != not)
        {
            return null;
        }

        var body = loop.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : loop.Statement;
        if (body is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation }
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Name: "Sleep" } sleep
            || !SymbolEqualityComparer.Default.Equals(sleep.ContainingType, types.Thread)
            || loop.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
            || loop.Statement.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == ((access as MemberAccessExpressionSyntax)?.Name ?? (SimpleNameSyntax)access).Identifier.ValueText))
        {
            return null;
        }

        return loop;
    }

    /// <summary>
    /// For a read that a loop polls: the value on which the loop stops (true for <c>while (!flag)</c> and
    /// <c>if (flag) break;</c>, false for <c>while (flag)</c>); null for any other read.
    /// </summary>
    private static bool? LoopStopValue(ExpressionSyntax access)
    {
        var negated = false;
        SyntaxNode current = access;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case ParenthesizedExpressionSyntax:
                    break;
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression }:
                    negated = !negated;
                    break;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression }:
                    break;
                case WhileStatementSyntax w when w.Condition == current:
                case DoStatementSyntax d when d.Condition == current:
                case ForStatementSyntax f when f.Condition == current:
                    return negated;
                case IfStatementSyntax i when i.Condition == current && IsExit(i.Statement):
                    return !negated;
                default:
                    return null;
            }

            current = parent;
        }

        return null;
    }

    private static bool IsExit(StatementSyntax statement)
    {
        if (statement is BlockSyntax block)
        {
            if (block.Statements.Count == 0)
            {
                return false;
            }

            statement = block.Statements[block.Statements.Count - 1];
        }

        return statement is BreakStatementSyntax or ReturnStatementSyntax;
    }
}
