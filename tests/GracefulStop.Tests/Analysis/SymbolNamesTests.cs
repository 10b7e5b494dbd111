using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Tests.Analysis;

public sealed class SymbolNamesTests
{
    private const string Source = """
        class TopLevel
        {
            public class Nested { }
        }

        namespace System.Threading
        {
            class Fake<T> { }
        }

        namespace Outer.System.Threading
        {
            class Thread { }
        }
        """;

    private static readonly AnalysisSource Compiled = new(Source);

    [Theory]
    [InlineData("System.Threading.Thread")]
    [InlineData("System.Threading.Tasks.Task`1")]
    [InlineData("System.Collections.Concurrent.BlockingCollection`1")]
    [InlineData("System.TimeSpan")]
    [InlineData("TopLevel")]
    [InlineData("System.Threading.Fake`1")]
    public void A_type_is_recognised_by_its_full_metadata_name(string metadataName)
    {
        var type = Compiled.Compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        Assert.True(SymbolNames.IsType(type, metadataName));
    }

    [Theory]
    [InlineData("System.Threading.Tasks.Task`1", "System.Threading.Tasks.Task")]
    [InlineData("System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1")]
    [InlineData("System.Threading.Thread", "Threading.Thread")]
    [InlineData("System.Threading.Thread", "Thread")]
    [InlineData("System.Threading.Thread", "System.Threading.Monitor")]
    [InlineData("System.Threading.Thread", "Other.Threading.Thread")]
    [InlineData("Outer.System.Threading.Thread", "System.Threading.Thread")]
    [InlineData("TopLevel+Nested", "TopLevel.Nested")]
    [InlineData("TopLevel+Nested", "Nested")]
    [InlineData("System.TimeSpan", "System.TimeSpan.X")]
    [InlineData("System.TimeSpan", ".System.TimeSpan")]
    public void A_type_is_not_taken_for_another_with_a_similar_name(string actual, string asked)
    {
        var type = Compiled.Compilation.GetTypeByMetadataName(actual);
        Assert.NotNull(type);
        Assert.False(SymbolNames.IsType(type, asked));
    }

    [Fact]
    public void A_constructed_generic_type_is_recognised_by_its_definition_name()
    {
        var task = Compiled.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1")!;
        var constructed = task.Construct(Compiled.Compilation.GetSpecialType(SpecialType.System_Int32));
        Assert.True(SymbolNames.IsType(constructed, "System.Threading.Tasks.Task`1"));
    }

    [Fact]
    public void No_type_is_nothing()
    {
        Assert.False(SymbolNames.IsType(null, "System.Object"));
        Assert.False(SymbolNames.IsType(Compiled.Compilation.GetSpecialType(SpecialType.System_Object), string.Empty));
    }
}
