using System.Collections.Immutable;
using GracefulStop.Analyzers.Analysis;
using Microsoft.CodeAnalysis.Text;

namespace GracefulStop.Tests.Analysis;

public sealed class SourceTextSearchTests
{
    private static readonly ImmutableArray<string> Words = ImmutableArray.Create("Abort", "Interrupt");

    [Theory]
    [InlineData("Abort", true)]
    [InlineData("t.Abort();", true)]
    [InlineData("x.Interrupt", true)]
    [InlineData("catch (ThreadAbortException)", true)]
    [InlineData("", false)]
    [InlineData("Abor", false)]
    [InlineData("abort interrupt", false)]
    [InlineData("class C { void M() { Thread.Sleep(1); } }", false)]
    public void Finds_a_word_anywhere_in_the_text(string text, bool expected) =>
        Assert.Equal(expected, SourceTextSearch.ContainsAny(SourceText.From(text), new TextSpan(0, text.Length), Words));

    [Fact]
    public void Looks_only_inside_the_span()
    {
        var text = SourceText.From("Abort; Thread.Sleep(1); Interrupt");
        Assert.False(SourceTextSearch.ContainsAny(text, TextSpan.FromBounds(6, 24), Words));
        Assert.False(SourceTextSearch.ContainsAny(text, TextSpan.FromBounds(0, 4), Words), "a word cut by the span's end");
        Assert.True(SourceTextSearch.ContainsAny(text, TextSpan.FromBounds(0, 5), Words));
        Assert.True(SourceTextSearch.ContainsAny(text, TextSpan.FromBounds(20, 33), Words));
    }

    [Fact]
    public void Finds_a_word_in_a_large_text_made_of_chunks()
    {
        var filler = new string(' ', 100_000);
        var text = SourceText.From(new StringReader(filler + "Interrupt" + filler), filler.Length * 2 + 9);
        Assert.True(SourceTextSearch.ContainsAny(text, new TextSpan(0, text.Length), Words));
    }
}
