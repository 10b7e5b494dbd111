using GracefulStop.Tests.Harness;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using GracefulStop.Analyzers.Analysis;
using GracefulStop.Tests.Verification;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GracefulStop.Tests.Meta;

/// <summary>
/// The IDE runs one instance of each analyzer on many threads and many compilations at once: the diagnostics must
/// not depend on scheduling, and no analyzer may keep state between callbacks.
/// </summary>
public sealed class ConcurrencyAndStateTests
{
    [Fact]
    public async Task Concurrent_runs_over_the_corpus_report_the_same_diagnostics()
    {
        var projects = Corpus.All.Select(f => Corpus.ProjectOf(f)).Concat(Corpus.SampleProjects).ToList();

        // First run: one project after the other, fresh analyzer instances for each.
        var first = new List<string>();
        foreach (var project in projects)
        {
            first.AddRange(Describe(await AllRules.RunAllAnalyzersAsync(project.Sources)));
        }

        // Second run: every project at once, sharing one instance of each analyzer, as the IDE does.
        var shared = AllRules.CreateAnalyzers();
        var second = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            projects.AsEnumerable().Reverse(),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 2) },
            async (project, ct) =>
            {
                var diagnostics = await DiagnosticRunner.GetAnalyzerDiagnosticsAsync(project.CreateProject(shared), shared, ct);
                foreach (var line in Describe(diagnostics))
                {
                    second.Add(line);
                }
            });

        first.Sort(StringComparer.Ordinal);
        var sortedSecond = second.OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(first, sortedSecond);
    }

    [Fact]
    public async Task Two_runs_over_one_project_with_every_file_report_the_same_diagnostics()
    {
        // One compilation with many trees, so concurrent execution analyzes them on several threads at once.
        var sources = Corpus.All.Select(f => (Corpus.PathOf(f), f.Text)).ToList();
        var first = Describe(await AllRules.RunAllAnalyzersAsync(sources)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var second = Describe(await AllRules.RunAllAnalyzersAsync(sources)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(first, second);
    }

    private static IEnumerable<string> Describe(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d.Location.SourceTree?.FilePath} {d.Location.SourceSpan} {d.Id} {d.Severity} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} "
            + string.Join(",", d.AdditionalLocations.Select(l => l.SourceSpan.ToString()))
            + string.Join(",", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));

    [Fact]
    public void Analyzers_and_fixers_hold_no_mutable_state()
    {
        var problems = new List<string>();
        foreach (var type in AllRules.AnalyzerTypes.Concat(AllRules.CodeFixTypes))
        {
            for (var t = type; t is not null && t.Assembly != typeof(DiagnosticAnalyzer).Assembly && t.Assembly != typeof(CodeFixProvider).Assembly; t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    CheckField(field, problems);
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void No_type_of_the_package_holds_mutable_static_state()
    {
        var problems = new List<string>();
        foreach (var assembly in new[] { AllRules.AnalyzerAssembly, AllRules.CodeFixAssembly })
        {
            foreach (var type in assembly.GetTypes().Where(t => !IsCompilerGenerated(t)))
            {
                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    CheckField(field, problems);
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_state_check_catches_mutable_fields()
    {
        var problems = new List<string>();
        foreach (var field in typeof(MutableExample).GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            CheckField(field, problems);
        }

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Count", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Seen", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Cache", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Last", StringComparison.Ordinal));
    }

#pragma warning disable CS0169, CS0414, CS0649, IDE0044, IDE0051 // fields exist to be found by reflection
    private sealed class MutableExample
    {
        private static readonly ImmutableArray<string> Names = ImmutableArray<string>.Empty;
        private static readonly HashSet<string> Seen = new();
        private static readonly Dictionary<string, int> Cache = new();
        private static int Count;
        private readonly string _name = "x";
        private readonly Func<int, int> _square = x => x * x;
        private string? Last;
    }
#pragma warning restore CS0169, CS0414, CS0649, IDE0044, IDE0051

    private static void CheckField(FieldInfo field, List<string> problems)
    {
        if (field.IsLiteral || IsCompilerGenerated(field.DeclaringType!))
        {
            return;
        }

        if (field.IsStatic && field.IsInitOnly && field.FieldType.IsGenericType
            && field.FieldType.GetGenericTypeDefinition() == typeof(ConditionalWeakTable<,>)
            && field.DeclaringType!.Namespace == typeof(KnownTypes).Namespace)
        {
            return; // the shared per-compilation caches of Analysis/ (KnownTypes, RuleOptions), by design: weakly keyed, thread-safe
        }

        if (field.IsStatic && field.GetCustomAttribute<ThreadStaticAttribute>() is not null && field.FieldType == typeof(char[])
            && field.DeclaringType == typeof(SourceTextSearch))
        {
            return; // the text search's scratch buffer: one per thread, overwritten before every read, no state between calls
        }

        var name = $"{field.DeclaringType!.FullName}.{field.Name}";
        if (!field.IsInitOnly)
        {
            problems.Add($"{name} is not readonly.");
        }
        else if (!IsImmutable(field.FieldType, new HashSet<Type>()))
        {
            problems.Add($"{name} is of type {field.FieldType.Name}, which is mutable.");
        }
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.GetCustomAttribute<CompilerGeneratedAttribute>() is not null || type.Name.Contains('<', StringComparison.Ordinal);

    private static readonly ImmutableHashSet<Type> ImmutableTypes = ImmutableHashSet.Create(
        typeof(string), typeof(decimal), typeof(DateTime), typeof(TimeSpan), typeof(Guid), typeof(Type), typeof(Regex),
        typeof(StringComparer), typeof(DiagnosticDescriptor), typeof(LocalizableString), typeof(SymbolDisplayFormat),
        typeof(object));

    /// <summary>
    /// Whether a value of the type can never change: primitives, enums, strings, delegates, the immutable
    /// collections of immutable elements, and sealed types whose fields are all readonly and immutable.
    /// </summary>
    private static bool IsImmutable(Type type, HashSet<Type> visiting)
    {
        if (type.IsPrimitive || type.IsEnum || ImmutableTypes.Contains(type) || typeof(Delegate).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition.Namespace == "System.Collections.Immutable" || definition == typeof(Nullable<>) || definition.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
            {
                return type.GetGenericArguments().All(a => IsImmutable(a, visiting));
            }
        }

        if (type.IsArray || typeof(IEnumerable).IsAssignableFrom(type) || type.IsInterface || type.IsAbstract)
        {
            return false; // arrays and mutable collections can change; an interface or base class could be anything
        }

        if (!visiting.Add(type))
        {
            return true; // a cycle: the rest of the type decides
        }

        if (!type.IsValueType && !type.IsSealed)
        {
            return false;
        }

        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return fields.All(f => f.IsInitOnly && IsImmutable(f.FieldType, visiting));
    }
}
