using System.Xml.Linq;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

/// <summary>Text that comes under a licence says so where it is shown: the article and its feed entry.</summary>
public sealed class LicenseTests(EmptyNewsPortalFactory factory) : IClassFixture<EmptyNewsPortalFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task AStoryFromAnAggregator_CreditsItsAgencies_ItsSite_AndItsLicenceWithALink()
    {
        await factory.ImportAsync(_input.Write("wiki.txt", TempFolder.Snippet("Floods hit the valley", "Rivers rose overnight.",
            "en.wikipedia.org\n\nLicense: CC BY-SA 4.0\n\nSources Reuters, Associated Press")));
        var page = await factory.CreateClient().GetDocumentAsync("/articles/floods-hit-the-valley");
        var feed = XDocument.Parse(await factory.CreateClient().GetStringAsync("/feed.atom"));
        XNamespace atom = "http://www.w3.org/2005/Atom";

        Assert.Equal("Reported by Associated Press and Reuters", page.TextOf(".attribution .sources").Normalized());
        Assert.Equal("via en.wikipedia.org", page.TextOf(".attribution .site").Normalized());
        Assert.Equal("Text under CC BY-SA 4.0", page.TextOf(".attribution .license").Normalized());
        Assert.Equal("https://creativecommons.org/licenses/by-sa/4.0/", page.QuerySelector(".attribution .license a[rel=license]")!.GetAttribute("href"));
        Assert.Equal("CC BY-SA 4.0", feed.Descendants(atom + "entry").Single().Element(atom + "rights")?.Value);
    }

    [Fact]
    public async Task AStoryWithoutALicence_ShowsNone()
    {
        await factory.ImportAsync(_input.Write("plain.txt", TempFolder.Snippet("Harbour reopens", "Ships returned.", "Sources Port Authority")));
        var page = await factory.CreateClient().GetDocumentAsync("/articles/harbour-reopens");

        Assert.Null(page.QuerySelector(".attribution .license"));
    }
}
