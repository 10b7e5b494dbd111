using GracefulStop.Tests.Harness;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using GracefulStop.Analyzers;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// The meta-tests of the house style, over every analyzer and fixer found by reflection: each survives empty code,
/// syntax errors and the valid corpus; descriptors, release tracking and docs agree; fixers are exported
/// the way the IDE and 'dotnet format' find them.
/// </summary>
public sealed partial class RuleHygieneTests
{
    private const string SyntaxErrors = """
        using System.Threading;
        class C : {
            Thread t = new Thread(() => { while (true) { Thread.Sleep( } );
            void M(CancellationToken ct { t.Abort(); t.Interrupt(; while (
            int P { get => ; }
            async void N() { await ; foreach (var x in ) { } lock () { }
        """;

    public static IEnumerable<object[]> Inputs() => new[]
    {
        new object[] { "empty", string.Empty },
        new object[] { "whitespace and a comment", "  // nothing here\n" },
        new object[] { "syntax errors", SyntaxErrors },
        new object[] { "only usings", "using System;\nusing System.Threading;\n" },
        new object[] { "top-level statements", "using System.Threading;\nvar t = new Thread(() => { while (true) { } });\nt.Start();\nt.Abort();\n" },
        new object[] { "no thread types referenced", "class C { void M() { while (true) { } } }" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Every_analyzer_runs_without_exception_on(string what, string source)
    {
        Assert.NotNull(what);
        foreach (var references in new[] { TestReferences.Net80, TestReferences.Net472, TestReferences.NetStandard20 })
        {
            foreach (var analyzer in AllRules.CreateAnalyzers())
            {
                var project = TestProjectBuilder.Create(
                    new TestProjectOptions(references, Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest, OutputKind.DynamicallyLinkedLibrary, ImmutableArray.Create(analyzer), ImmutableArray<string>.Empty),
                    new[] { ("/0/Test0.cs", source) },
                    Array.Empty<(string, string)>());
                await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project, ImmutableArray.Create(analyzer), CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task Every_analyzer_runs_without_exception_and_alone_on_the_valid_corpus()
    {
        foreach (var analyzer in AllRules.CreateAnalyzers())
        {
            foreach (var corpusProject in Corpus.Compiling)
            {
                var analyzers = ImmutableArray.Create(analyzer);
                await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(corpusProject.CreateProject(analyzers), analyzers, CancellationToken.None);
            }
        }
    }

    [Fact]
    public void There_are_analyzers_and_every_analyzer_is_public_sealed_and_creatable()
    {
        Assert.NotEmpty(AllRules.AnalyzerTypes);
        foreach (var type in AllRules.AnalyzerTypes.Concat(AllRules.CodeFixTypes))
        {
            Assert.True(type.IsPublic && type.IsSealed, $"{type.Name} is not public sealed.");
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        }

        foreach (var type in AllRules.AnalyzerTypes)
        {
            var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()!;
            Assert.Equal(new[] { LanguageNames.CSharp }, attribute.Languages);
        }
    }

    [Fact]
    public void Every_descriptor_is_created_in_Descriptors()
    {
        var declared = typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => f.GetValue(null))
            .ToList();
        foreach (var descriptor in AllRules.Descriptors)
        {
            Assert.True(declared.Any(d => ReferenceEquals(d, descriptor)), $"{descriptor.Id} '{descriptor.MessageFormat}' is not a public static field of Descriptors.");
        }

        // And every descriptor of Descriptors is reported by some analyzer.
        foreach (DiagnosticDescriptor descriptor in declared.Cast<DiagnosticDescriptor>())
        {
            Assert.True(AllRules.Descriptors.Any(d => ReferenceEquals(d, descriptor)), $"Descriptors declares {descriptor.Id} '{descriptor.MessageFormat}', which no analyzer supports.");
        }
    }

    [GeneratedRegex(@"^GS\d{4}$")]
    private static partial Regex IdFormat();

    [Fact]
    public void Descriptors_have_a_valid_id_title_category_help_link_and_a_unique_message()
    {
        var categories = typeof(Descriptors).GetNestedType("Categories", BindingFlags.NonPublic | BindingFlags.Public)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        var ids = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var problems = new List<string>();
        foreach (var d in AllRules.Descriptors.Distinct())
        {
            var title = d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var message = d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!IdFormat().IsMatch(d.Id)) problems.Add($"{d.Id}: the ID is not GS and four digits.");
            if (!ids.Contains(d.Id)) problems.Add($"{d.Id}: not a constant of RuleIds.");
            if (!categories.Contains(d.Category)) problems.Add($"{d.Id}: category '{d.Category}' is not one of Descriptors.Categories.");
            if (d.HelpLinkUri != Descriptors.HelpLink(d.Id)) problems.Add($"{d.Id}: help link '{d.HelpLinkUri}' is not Descriptors.HelpLink(\"{d.Id}\").");
            if (string.IsNullOrWhiteSpace(title) || title.EndsWith('.')) problems.Add($"{d.Id}: title '{title}' is empty or ends with a period.");
            if (string.IsNullOrWhiteSpace(message)) problems.Add($"{d.Id}: empty message.");
            if (string.IsNullOrWhiteSpace(d.Description.ToString(System.Globalization.CultureInfo.InvariantCulture))) problems.Add($"{d.Id}: no description.");
        }

        foreach (var group in AllRules.Descriptors.Distinct().GroupBy(d => d.Id))
        {
            if (group.Select(d => d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count() != group.Count())
            {
                problems.Add($"{group.Key}: two descriptors share one message.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [GeneratedRegex(@"^\s*(GS\d{4})\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex ReleaseRow();

    [Fact]
    public void Every_rule_has_a_release_tracking_entry_with_its_category_and_severity()
    {
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .Select(f => File.ReadAllText(Path.Combine(Corpus.RepositoryRoot, "src", "Analyzers", f)))
            .SelectMany(text => ReleaseRow().Matches(text))
            .ToList();
        var problems = new List<string>();
        foreach (var d in AllRules.Descriptors.DistinctBy(d => d.Id))
        {
            var row = rows.LastOrDefault(r => r.Groups[1].Value == d.Id);
            if (row is null)
            {
                problems.Add($"{d.Id}: no row in src/Analyzers/AnalyzerReleases.*.md.");
                continue;
            }

            if (row.Groups[2].Value != d.Category) problems.Add($"{d.Id}: release tracking says category {row.Groups[2].Value}, the descriptor {d.Category}.");
            if (row.Groups[3].Value != d.DefaultSeverity.ToString() && !(d.IsEnabledByDefault is false && row.Groups[3].Value == "Disabled"))
                problems.Add($"{d.Id}: release tracking says severity {row.Groups[3].Value}, the descriptor {d.DefaultSeverity}.");
            if (!row.Groups[4].Value.Contains($"docs/rules/{d.Id}.md", StringComparison.Ordinal)) problems.Add($"{d.Id}: the release tracking row does not link docs/rules/{d.Id}.md.");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_rule_has_a_doc_page_whose_header_is_its_title()
    {
        var problems = new List<string>();
        foreach (var d in AllRules.Descriptors.DistinctBy(d => d.Id))
        {
            var path = Path.Combine(Corpus.RepositoryRoot, "docs", "rules", d.Id + ".md");
            if (!File.Exists(path))
            {
                problems.Add($"{d.Id}: docs/rules/{d.Id}.md is missing.");
                continue;
            }

            var header = File.ReadLines(path).FirstOrDefault()?.TrimEnd();
            var expected = $"# {d.Id}: {d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (header != expected)
            {
                problems.Add($"{d.Id}: docs/rules/{d.Id}.md starts with '{header}', expected '{expected}'.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_fixer_is_exported_under_its_type_name_shared_fixes_known_ids_and_has_Fix_All()
    {
        var known = AllRules.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var type in AllRules.CodeFixTypes)
        {
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>()!;
            if (export.Name != type.Name) problems.Add($"{type.Name}: exported as '{export.Name}'.");
            if (!export.Languages.SequenceEqual(new[] { LanguageNames.CSharp })) problems.Add($"{type.Name}: exported for {string.Join(", ", export.Languages)}.");
            if (!type.GetCustomAttributes().Any(a => a.GetType().FullName == "System.Composition.SharedAttribute")) problems.Add($"{type.Name}: no [Shared].");

            var fixer = (CodeFixProvider)Activator.CreateInstance(type)!;
            if (fixer.FixableDiagnosticIds.IsDefaultOrEmpty) problems.Add($"{type.Name}: fixes no diagnostic.");
            foreach (var id in fixer.FixableDiagnosticIds.Where(id => !known.Contains(id)))
            {
                problems.Add($"{type.Name}: fixes {id}, which no analyzer reports.");
            }

            if (fixer.GetFixAllProvider() is not { } fixAll)
            {
                problems.Add($"{type.Name}: no Fix All provider.");
            }
            else if (!fixAll.GetSupportedFixAllScopes().ToHashSet().IsSupersetOf(new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution }))
            {
                problems.Add($"{type.Name}: Fix All does not support document, project and solution.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
