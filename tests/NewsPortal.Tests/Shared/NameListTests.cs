using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

public sealed class NameListTests
{
    [Theory]
    [InlineData("World, Politics", new[] { "World", "Politics" })]
    [InlineData(" World ,, Politics ,", new[] { "World", "Politics" })]
    [InlineData("\"Arts, culture and entertainment\", World", new[] { "Arts, culture and entertainment", "World" })]
    [InlineData("World, \"Crime, law and justice", new[] { "World", "Crime, law and justice" })]
    [InlineData("The \"Sun\", Reuters", new[] { "The \"Sun\"", "Reuters" })]
    [InlineData("\"\"\"Quoted\"\" desk\"", new[] { "\"Quoted\" desk" })]
    public void ANamesField_IsSplitAtCommasOutsideQuotes(string field, string[] names)
    {
        Assert.Equal(names, NameList.Parse(field, ','));
    }

    [Fact]
    public void SourcesSplitAtSemicolonsToo_UnlessQuoted()
    {
        Assert.Equal(["Reuters", "AFP", "Bureau; Paris"], NameList.Parse("Reuters; AFP, \"Bureau; Paris\"", ',', ';'));
    }

    [Fact]
    public void AnyNamesWritten_AreReadBackTheSame()
    {
        string[] names = ["Arts, culture and entertainment", "World", "Reuters; Paris bureau", "The \"Sun\"", "\"Quoted\" desk", "Économie"];

        Assert.Equal(names, NameList.Parse(NameList.Format(names), ',', ';'));
        Assert.Equal("\"Arts, culture and entertainment\", World", NameList.Format(names[..2]));
    }
}
