using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

public sealed class TextTests
{
    [Theory]
    [InlineData("abc😀", 4, "abc")]
    [InlineData("abc😀", 5, "abc😀")]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("😀😀", 3, "😀")]
    public void Cut_NeverLeavesHalfACharacter(string text, int max, string expected)
    {
        Assert.Equal(expected, Text.Cut(text, max));
    }

    [Fact]
    public void TrimToLength_OfEmojiOnly_EndsOnAWholeOne()
    {
        var trimmed = Text.TrimToLength(string.Concat(Enumerable.Repeat("😀", 400)), 320);

        Assert.EndsWith("😀…", trimmed, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(trimmed[^2]));
    }
}
