using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Articles;

/// <summary>A story may carry a picture with alt text: on its page, in link previews and structured data, by every way in.</summary>
public sealed class StoryImageTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private const string Picture = "https://images.example.org/istanbul/dolmabahce.jpg";

    [Fact]
    public async Task ImageHeaders_ShowThePictureWithItsAltText_AndInLinkPreviews()
    {
        using var folder = new TempFolder();
        folder.Write("pictured.txt", TempFolder.Snippet("Delegations meet at the palace", "They met at noon.",
            $"Image: {Picture}\n\nImage alt: The Dolmabahce Palace seen from the Bosphorus"));

        var report = await factory.ImportAsync(folder.Path);
        var page = await factory.CreateClient().GetDocumentAsync("/articles/delegations-meet-at-the-palace");

        Assert.Equal(1, report.Imported);
        var image = page.QuerySelector(".story-image img")!;
        Assert.Equal(Picture, image.GetAttribute("src"));
        Assert.Equal("The Dolmabahce Palace seen from the Bosphorus", image.GetAttribute("alt"));
        Assert.Equal(Picture, page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));
        Assert.Equal("summary_large_image", page.QuerySelector("meta[name='twitter:card']")!.GetAttribute("content"));
        Assert.Contains($"\"image\":\"{Picture}\"", page.QuerySelector("script[type='application/ld+json']")!.TextContent);
    }

    [Fact]
    public async Task StoryWithoutImage_HasNoFigure_AndASummaryCard()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("A story without a picture"));

        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{slug}");

        Assert.Null(page.QuerySelector(".story-image"));
        Assert.Null(page.QuerySelector("meta[property='og:image']"));
        Assert.Equal("summary", page.QuerySelector("meta[name='twitter:card']")!.GetAttribute("content"));
    }

    [Theory]
    [InlineData("Image: https://images.example.org/a.jpg", "the image has no alt text")]
    [InlineData("Image: javascript:alert(1)\n\nImage alt: A trap", "the image 'javascript:alert(1)' is not an http or https address")]
    public async Task BadImage_IsRefusedWithFileAndLine(string headers, string reason)
    {
        using var folder = new TempFolder();
        folder.Write("bad-image.txt", TempFolder.Snippet("A story with a bad picture", "Text.", headers));

        var report = await factory.ImportAsync(folder.Path);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("bad-image.txt", Path.GetFileName(problem.File));
        Assert.Contains(reason, problem.Reason);
        Assert.Equal(0, report.Imported);
    }

    [Fact]
    public void Image_SurvivesSnippetAndJsonLinesRoundTrips()
    {
        var story = new ArticleBuilder().Titled("Round trip of a picture").Build() with { ImageUrl = Picture, ImageAlt = "The palace" };

        var fromSnippet = SnippetParser.Parse(SnippetWriter.Write(story), "story.txt").Document!;
        var fromJson = JsonLines.Read(JsonLines.Write(story), out _)!;

        Assert.Equal((Picture, "The palace"), (fromSnippet.ImageUrl, fromSnippet.ImageAlt));
        Assert.Equal((Picture, "The palace"), (fromJson.ImageUrl, fromJson.ImageAlt));
    }

    [Fact]
    public async Task Editor_NeedsAltTextWithAnImage_AndTheApiCarriesBoth()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var noAlt = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Pictured without words",
            ["Form.Body"] = "Text.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.ImageUrl"] = Picture,
        }, "#article-form");
        var api = await factory.TokenClientAsync(Roles.Editor);
        using var created = await api.PostAsJsonAsync("/api/v1/articles",
            new { title = "Pictured through the API", body = "Text.", publishedOn = "2026-03-01", language = "en", image = Picture, imageAlt = "The palace" });
        var story = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noAlt.StatusCode);
        Assert.Contains("Say in a few words what the image shows", (await noAlt.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.ImageAlt']"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Picture, story.GetProperty("image").GetString());
        Assert.Equal("The palace", story.GetProperty("imageAlt").GetString());
    }
}
