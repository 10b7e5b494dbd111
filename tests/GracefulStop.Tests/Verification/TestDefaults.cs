using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace GracefulStop.Tests.Verification;

/// <summary>
/// What every rule test compiles against unless it says otherwise: the net8.0 reference pack (restored by
/// Microsoft.CodeAnalysis.Testing's <see cref="ReferenceAssemblies"/> from the package source of the machine), the
/// newest C# version, nullable reference types on and unsafe code allowed, as in a current SDK-style project; markup
/// that names a rule rather than one of its descriptors.
/// </summary>
internal static class TestDefaults
{
    /// <summary>How long one test may run before it fails as a hang of an analyzer or fixer.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(90);

    public static void Apply<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
        // A rule has several descriptors (GS0001 on .NET and on .NET Framework); [|…|] and {|GS0001:…|} name the rule,
        // and markup diagnostics are matched by ID and span, so the first descriptor of the ID will do.
        test.MarkupOptions = MarkupOptions.UseFirstDescriptor;
        test.SolutionTransforms.Add(static (solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!)
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithAllowUnsafe(true);
            var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            return solution.WithProjectCompilationOptions(projectId, compilationOptions)
                .WithProjectParseOptions(projectId, parseOptions);
        });
    }

    /// <summary>
    /// Compiles against the implementation assemblies of the runtime the tests run on (net10.0), for APIs newer than
    /// any reference pack Microsoft.CodeAnalysis.Testing knows.
    /// </summary>
    public static void UseCurrentRuntime(this AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0").WithAssemblies(ImmutableArray<string>.Empty);
        test.TestState.AdditionalReferences.AddRange(Harness.TestReferences.CurrentRuntime.References);
    }
}
