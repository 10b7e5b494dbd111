using GracefulStop.Tests.Harness;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Tests.Analysis;

/// <summary>Compiles a snippet against net8.0 and finds the statement that follows a <c>/*here*/</c> marker.</summary>
internal sealed class AnalysisSource
{
    private const string Marker = "/*here*/";

    public AnalysisSource(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        Compilation = CSharpCompilation.Create(
            "Test",
            new[] { tree },
            Harness.TestReferences.Net80.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Tree = tree;
        Model = Compilation.GetSemanticModel(tree);
        Types = KnownTypes.Get(Compilation);
    }

    public CSharpCompilation Compilation { get; }

    public SyntaxTree Tree { get; }

    public SemanticModel Model { get; }

    public KnownTypes Types { get; }

    /// <summary>The operation of the statement right after the (index-th) marker.</summary>
    public IOperation Marked(int index = 0)
    {
        var text = Tree.GetText().ToString();
        var position = -1;
        for (var i = 0; i <= index; i++)
        {
            position = text.IndexOf(Marker, position + 1, StringComparison.Ordinal);
            Assert.True(position >= 0, "marker not found");
        }

        var token = Tree.GetRoot().FindToken(position + Marker.Length);
        var statement = token.Parent!.AncestorsAndSelf().OfType<StatementSyntax>().First(s => s.SpanStart == token.SpanStart);
        var operation = Model.GetOperation(statement);
        Assert.NotNull(operation);
        return operation!;
    }

    public ILoopOperation MarkedLoop(int index = 0) => Assert.IsAssignableFrom<ILoopOperation>(Marked(index));

    public ISymbol ContainingMember(IOperation operation)
    {
        var symbol = Model.GetEnclosingSymbol(operation.Syntax.SpanStart)!;
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    public IReadOnlyList<TokenInScope> Tokens(int index = 0)
    {
        var operation = Marked(index);
        return TokenScope.GetTokens(operation, ContainingMember(operation), Types);
    }
}
