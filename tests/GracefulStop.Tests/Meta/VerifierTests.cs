using System.Collections.Immutable;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Meta;

// Deliberately broken analyzers and fixers that live in a test assembly: the rules for shipped ones do not apply.
#pragma warning disable RS1010, RS1036, RS1038, RS1041, RS2008

/// <summary>
/// The rule tests' verifier (Microsoft.CodeAnalysis.Testing with our defaults and additions) must fail when a rule is
/// wrong, or every rule test proves nothing. Deliberately broken tiny analyzers and fixers check that each kind of
/// mistake fails a test, and correct ones check that it passes. The additions of <see cref="CodeFixHygiene"/> and
/// <see cref="TestTimeout"/> are checked here too: each must be able to fail.
/// </summary>
public sealed class VerifierTests
{
    private const string Id = "TST0001";

    private static readonly DiagnosticDescriptor Rule = new(Id, "Class name starts with Bad", "Class '{0}' is bad", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>Reports every class whose name starts with 'Bad', on its name.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public class BadClassAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        protected virtual GeneratedCodeAnalysisFlags GeneratedCode => GeneratedCodeAnalysisFlags.None;

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCode);
            context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.ClassDeclaration);
        }

        protected virtual void Analyze(SyntaxNodeAnalysisContext context)
        {
            var declaration = (ClassDeclarationSyntax)context.Node;
            if (declaration.Identifier.ValueText.StartsWith("Bad", StringComparison.Ordinal))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, declaration.Identifier.GetLocation(), declaration.Identifier.ValueText));
            }
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ThrowingAnalyzer : BadClassAnalyzer
    {
        protected override void Analyze(SyntaxNodeAnalysisContext context) => throw new InvalidOperationException("broken analyzer");
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReportsInGeneratedCodeAnalyzer : BadClassAnalyzer
    {
        protected override GeneratedCodeAnalysisFlags GeneratedCode => GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics;
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HangingAnalyzer : BadClassAnalyzer
    {
        protected override void Analyze(SyntaxNodeAnalysisContext context)
        {
            while (true)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Renames 'BadX' to 'GoodX'. Subclasses break it in one way each.</summary>
    public class RenameFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Id);

        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken))!;
            var token = root.FindToken(context.Span.Start);
            if (token.Parent is not ClassDeclarationSyntax declaration || !Offer(declaration))
            {
                return;
            }

            Register(context, declaration);
        }

        protected virtual bool Offer(ClassDeclarationSyntax declaration) => true;

        protected virtual void Register(CodeFixContext context, ClassDeclarationSyntax declaration) =>
            context.RegisterCodeFix(
                CodeAction.Create("Rename", ct => RenameAsync(context.Document, declaration, ct), "Rename"),
                context.Diagnostics);

        protected virtual string NewName(string name) => "Good" + name["Bad".Length..];

        protected virtual ClassDeclarationSyntax Rewrite(ClassDeclarationSyntax declaration) =>
            declaration.WithIdentifier(SyntaxFactory.Identifier(declaration.Identifier.LeadingTrivia, NewName(declaration.Identifier.ValueText), declaration.Identifier.TrailingTrivia));

        protected async Task<Document> RenameAsync(Document document, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            var root = (await document.GetSyntaxRootAsync(cancellationToken))!;
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, Rewrite(declaration)));
        }
    }

    public sealed class ThrowsInRegisterFix : RenameFix
    {
        protected override bool Offer(ClassDeclarationSyntax declaration) => throw new InvalidOperationException("broken fixer");
    }

    public sealed class ThrowsWhileComputingFix : RenameFix
    {
        protected override string NewName(string name) => throw new InvalidOperationException("broken fix");
    }

    /// <summary>Renames to a name that is taken.</summary>
    public sealed class IntroducesErrorFix : RenameFix
    {
        protected override string NewName(string name) => "Fine";
    }

    /// <summary>Renames 'Bad1' to 'Bad2', which the analyzer still reports, and offers nothing for 'Bad2'.</summary>
    public sealed class LeavesDiagnosticFix : RenameFix
    {
        protected override bool Offer(ClassDeclarationSyntax declaration) => declaration.Identifier.ValueText.EndsWith('1');

        protected override string NewName(string name) => name[..^1] + "2";
    }

    /// <summary>Appends an 'X' forever: the analyzer keeps reporting and the fix keeps being offered.</summary>
    public sealed class NeverConvergesFix : RenameFix
    {
        protected override string NewName(string name) => name + "X";
    }

    public sealed class NoFixAllFix : RenameFix
    {
        public override FixAllProvider? GetFixAllProvider() => null;
    }

    /// <summary>Builds a token the parser would read differently: a name with a space in it.</summary>
    public sealed class DoesNotReparseFix : RenameFix
    {
        protected override string NewName(string name) => "Good " + name["Bad".Length..];
    }

    /// <summary>Renames one by one, but its Fix All renames differently.</summary>
    public sealed class DifferentFixAllFix : RenameFix
    {
        public override FixAllProvider? GetFixAllProvider() => new OtherNameFixAll();

        private sealed class OtherNameFixAll : FixAllProvider
        {
            public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

            public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
                Task.FromResult<CodeAction?>(CodeAction.Create("Rename all", async ct =>
                {
                    var document = fixAllContext.Document!;
                    var root = (await document.GetSyntaxRootAsync(ct))!;
                    var renamed = root.ReplaceTokens(
                        root.DescendantNodes().OfType<ClassDeclarationSyntax>().Select(c => c.Identifier).Where(t => t.ValueText.StartsWith("Bad", StringComparison.Ordinal)),
                        (t, _) => SyntaxFactory.Identifier(t.LeadingTrivia, "Other" + t.ValueText[3..], t.TrailingTrivia));
                    return document.WithSyntaxRoot(renamed).Project.Solution;
                }, "Rename"));
        }
    }

    public sealed class NoEquivalenceKeyFix : RenameFix
    {
        protected override void Register(CodeFixContext context, ClassDeclarationSyntax declaration) =>
            context.RegisterCodeFix(CodeAction.Create("Rename", ct => RenameAsync(context.Document, declaration, ct)), context.Diagnostics);
    }

    public sealed class SharedEquivalenceKeyFix : RenameFix
    {
        protected override void Register(CodeFixContext context, ClassDeclarationSyntax declaration)
        {
            context.RegisterCodeFix(CodeAction.Create("Rename", ct => RenameAsync(context.Document, declaration, ct), "Rename"), context.Diagnostics);
            context.RegisterCodeFix(CodeAction.Create("Rename too", ct => RenameAsync(context.Document, declaration, ct), "Rename"), context.Diagnostics);
        }
    }

    private const string Source = """
        class {|#0:BadA|}
        {
            // keep me
        }

        class Fine
        {
        }
        """;

    private const string Fixed = """
        class GoodA
        {
            // keep me
        }

        class Fine
        {
        }
        """;

    private static Task Analyze<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static Task Fix<TFix>(string source, string fixedSource, Action<CSharpCodeFixVerifier<BadClassAnalyzer, TFix>.Test>? configure = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixVerifier<BadClassAnalyzer, TFix>.Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.Add(Expected().WithLocation(0).WithArguments("BadA"));
        configure?.Invoke(test);
        return test.RunAsync();
    }

    private static DiagnosticResult Expected() => CSharpAnalyzerVerifier<BadClassAnalyzer>.Diagnostic();

    private static async Task<Exception> Fails(Func<Task> test, params string[] messageParts)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(test);
        foreach (var part in messageParts)
        {
            Assert.True(exception.ToString().Contains(part, StringComparison.Ordinal), $"'{part}' is not in the failure:{Environment.NewLine}{exception}");
        }

        return exception;
    }

    // Correct rules pass: without these the failures below could come from a broken setup.

    [Fact]
    public Task A_correct_analyzer_passes() =>
        Analyze<BadClassAnalyzer>(Source, Expected().WithLocation(0).WithArguments("BadA"));

    [Fact]
    public Task A_correct_analyzer_passes_with_plain_markup() =>
        Analyze<BadClassAnalyzer>("class [|BadA|] { }\nclass [|BadB|] { }\n");

    [Fact]
    public Task A_correct_fix_passes_one_by_one_and_in_every_Fix_All_scope() =>
        Fix<RenameFix>(Source, Fixed);

    [Fact]
    public Task Declared_compiler_errors_pass() =>
        Analyze<BadClassAnalyzer>(
            "class [|BadA|] { int x = {|CS0029:\"s\"|}; }\n");

    [Fact]
    public Task Expecting_no_fix_passes_when_none_is_offered() =>
        Fix<LeavesDiagnosticFix>("class {|#0:BadA|} { }\n", "class {|#0:BadA|} { }\n", test => test.FixedState.ExpectedDiagnostics.Add(Expected().WithLocation(0).WithArguments("BadA")));

    // Analyzer mistakes.

    [Fact]
    public Task A_diagnostic_missing_from_the_markup_fails() =>
        Fails(() => Analyze<BadClassAnalyzer>("class BadA { }\n"), "TST0001");

    [Fact]
    public Task A_markup_diagnostic_not_reported_fails() =>
        Fails(() => Analyze<BadClassAnalyzer>("class [|BadA|] { }\nclass [|Fine|] { }\n"), "Mismatch between number of diagnostics returned");

    [Fact]
    public Task A_diagnostic_on_the_wrong_span_fails() =>
        Fails(() => Analyze<BadClassAnalyzer>("[|class BadA|] { }\n"), "Expected diagnostic to");

    [Fact]
    public Task A_wrong_message_fails() =>
        Fails(() => Analyze<BadClassAnalyzer>("class {|#0:BadA|} { }\n", Expected().WithLocation(0).WithArguments("BadB")), "message");

    [Fact]
    public Task A_wrong_severity_fails() =>
        Fails(() => Analyze<BadClassAnalyzer>("class {|#0:BadA|} { }\n", Expected().WithSeverity(DiagnosticSeverity.Error).WithLocation(0)), "severity");

    [Fact]
    public Task Undeclared_compiler_errors_in_the_test_source_fail() =>
        Fails(() => Analyze<BadClassAnalyzer>("class [|BadA|] { int x = \"s\"; }\n"), "CS0029");

    [Fact]
    public Task Undeclared_syntax_errors_in_the_test_source_fail() =>
        Fails(() => Analyze<BadClassAnalyzer>("class [|BadA|] { void M( }\n"), "CS1026");

    [Fact]
    public Task An_analyzer_that_throws_fails() =>
        Fails(() => Analyze<ThrowingAnalyzer>("class BadA { }\n"), "broken analyzer");

    [Fact]
    public Task An_analyzer_that_reports_in_generated_code_fails() =>
        Fails(() => Analyze<ReportsInGeneratedCodeAnalyzer>("class [|BadA|] { }\n"), "auto-generated");

    [Fact]
    public async Task An_analyzer_that_hangs_fails_within_the_timeout()
    {
        var test = new CSharpAnalyzerVerifier<HangingAnalyzer>.Test { TestCode = "class BadA { }\n", Timeout = TimeSpan.FromSeconds(2) };
        var exception = await Fails(() => test.RunAsync(), "did not finish");
        Assert.IsType<TimeoutException>(exception);
    }

    // Fixer mistakes.

    [Fact]
    public Task A_fixer_that_throws_in_RegisterCodeFixesAsync_fails() =>
        Fails(() => Fix<ThrowsInRegisterFix>(Source, Fixed), "broken fixer");

    [Fact]
    public Task A_fixer_that_throws_while_computing_its_change_fails() =>
        Fails(() => Fix<ThrowsWhileComputingFix>(Source, Fixed), "broken fix");

    [Fact]
    public Task A_fixer_that_throws_when_no_fix_is_expected_fails() =>
        Fails(() => Fix<ThrowsInRegisterFix>(Source, Source, t => t.FixedState.ExpectedDiagnostics.Add(Expected().WithLocation(0).WithArguments("BadA"))), "broken fixer");

    [Fact]
    public async Task A_fixed_text_one_character_off_fails_with_a_readable_diff()
    {
        var exception = await Fails(() => Fix<RenameFix>(Source, Fixed.Replace("keep me", "keep mE", StringComparison.Ordinal)));
        Assert.Contains("-    // keep mE", exception.Message, StringComparison.Ordinal);
        Assert.Contains("+    // keep me", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task A_fixed_text_differing_only_in_whitespace_fails_and_shows_it() =>
        Fails(() => Fix<RenameFix>(Source, Fixed.Replace("class Fine", "class Fine ", StringComparison.Ordinal)), "-class Fine ");

    [Fact]
    public Task A_fix_that_introduces_a_compiler_error_fails() =>
        Fails(
            () => Fix<IntroducesErrorFix>(Source, Fixed.Replace("GoodA", "Fine", StringComparison.Ordinal)),
            "CS0101");

    [Fact]
    public Task A_fix_that_leaves_the_diagnostic_fails() =>
        Fails(
            () => Fix<LeavesDiagnosticFix>("class {|#0:BadA1|} { }\n", "class BadA2 { }\n", t => t.ExpectedDiagnostics[0] = Expected().WithLocation(0)),
            "TST0001");

    [Fact]
    public Task A_fix_whose_tree_does_not_reparse_fails() =>
        Fails(() => Fix<DoesNotReparseFix>(Source, Fixed.Replace("GoodA", "Good A", StringComparison.Ordinal)), "Node(CompilationUnit)");

    [Fact]
    public Task Fix_All_that_differs_from_one_by_one_fails() =>
        Fails(() => Fix<DifferentFixAllFix>(Source, Fixed), "Fix all in document", "OtherA");

    [Fact]
    public Task A_fix_that_never_converges_fails() =>
        Fails(() => Fix<NeverConvergesFix>(Source, Fixed), "BadAXX");

    [Fact]
    public Task A_fixer_without_Fix_All_fails() =>
        Fails(() => Fix<NoFixAllFix>(Source, Fixed), "no Fix All provider");

    [Fact]
    public Task An_action_without_equivalence_key_fails() =>
        Fails(() => Fix<NoEquivalenceKeyFix>(Source, Fixed), "no equivalence key");

    [Fact]
    public Task Two_actions_sharing_an_equivalence_key_fail() =>
        Fails(() => Fix<SharedEquivalenceKeyFix>(Source, Fixed), "share the equivalence key");

    [Fact]
    public Task A_fix_offered_where_none_is_expected_fails() =>
        Fails(() => Fix<RenameFix>(Source, Source, t => t.FixedState.ExpectedDiagnostics.Add(Expected().WithLocation(0).WithArguments("BadA"))), "+class GoodA");
}
