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

    [Fact]
    public void Finds_every_position_in_order()
    {
        var text = SourceText.From("t.Abort(); x.Interrupt(); catch (ThreadAbortException)");
        Assert.Equal(new[] { 2, 13, 39 }, SourceTextSearch.FindAll(text, new TextSpan(0, text.Length), Words));
        Assert.Null(SourceTextSearch.FindAll(text, TextSpan.FromBounds(8, 12), Words));
    }

    [Theory]
    [InlineData(4090)]
    [InlineData(4092)]
    [InlineData(4093)]
    [InlineData(4096)]
    [InlineData(8180)]
    public void Finds_a_word_cut_by_the_end_of_a_chunk_once(int offset)
    {
        var source = new string('x', offset) + "Interrupt" + new string('y', 9000) + "Abort";
        var text = SourceText.From(source);
        Assert.Equal(new[] { offset, source.Length - 5 }, SourceTextSearch.FindAll(text, new TextSpan(0, text.Length), Words));
        Assert.Equal(new[] { offset }, SourceTextSearch.FindAll(text, TextSpan.FromBounds(1, offset + 9), Words));
        Assert.Null(SourceTextSearch.FindAll(text, TextSpan.FromBounds(1, offset + 8), Words));
    }
}
