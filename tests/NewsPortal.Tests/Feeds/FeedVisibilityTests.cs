using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Feeds;

/// <summary>Feeds show what readers may see now: stories go in and out as editors publish, unpublish and schedule them.</summary>
public sealed class FeedVisibilityTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    /// <summary>Every feed a story in Politics, from Reuters, in English, appears in.</summary>
    private static readonly string[] StoryFeeds =
    [
        .. new[] { "/", "/categories/politics", "/sources/reuters", "/languages/en" }
            .SelectMany(path => new[] { "atom", "rss", "json" }.Select(format => $"{path.TrimEnd('/')}/feed.{format}")),
    ];

    private static Dictionary<string, string?> Story(string title, string status, string? publishAt = null) => new()
    {
        ["Form.Title"] = title,
        ["Form.Dateline"] = "ANKARA",
        ["Form.Body"] = "The first paragraph.",
        ["Form.PublishedOn"] = "2026-03-01",
        ["Form.DocumentDate"] = "2026-03-01T09:30:00",
        ["Form.Language"] = "en",
        ["Form.Site"] = "aa.com.tr",
        ["Form.OriginalUrl"] = "",
        ["Form.Categories"] = "Politics",
        ["Form.Sources"] = "Reuters",
        ["Form.Status"] = status,
        ["Form.PublishAtUtc"] = publishAt,
        ["Form.CorrectionNote"] = "",
    };

    /// <summary>Creates a story through the editor's form and returns its editor URL.</summary>
    private static async Task<string> CreateAsync(HttpClient editor, Dictionary<string, string?> story)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"create answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>The feeds (of <see cref="StoryFeeds"/>) that list <paramref name="title"/>.</summary>
    private async Task<string[]> FeedsListingAsync(string title)
    {
        var client = factory.CreateClient();
        var listing = new List<string>();
        foreach (var feed in StoryFeeds)
        {
            if ((await client.TitlesAsync(feed)).Contains(title))
            {
                listing.Add(feed);
            }
        }

        return [.. listing];
    }

    [Fact]
    public async Task DraftStory_IsInNoFeed()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await CreateAsync(editor, Story("Feed draft", "Draft"));
        // A published story alongside, so the feeds being checked exist and list something.
        await CreateAsync(editor, Story("Feed companion", "Published"));

        Assert.Empty(await FeedsListingAsync("Feed draft"));
        Assert.Equal(StoryFeeds, await FeedsListingAsync("Feed companion"));
    }

    [Fact]
    public async Task PublishingPutsAStoryInEveryFeed_AndUnpublishingTakesItOut()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Feed publish and unpublish", "Draft"));

        var asDraft = await FeedsListingAsync("Feed publish and unpublish");
        using var publish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        var published = await FeedsListingAsync("Feed publish and unpublish");
        using var unpublish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Unpublish");
        var unpublished = await FeedsListingAsync("Feed publish and unpublish");

        Assert.Empty(asDraft);
        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Equal(StoryFeeds, published);
        Assert.Equal(HttpStatusCode.Redirect, unpublish.StatusCode);
        Assert.Empty(unpublished);
    }

    [Fact]
    public async Task ScheduledStory_EntersTheFeedsWhenTheClockPassesItsTime_DatedThen()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var at = factory.Clock.GetUtcNow().UtcDateTime.AddHours(2);
        at = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);

        await CreateAsync(editor, Story("Feed scheduled story", "Scheduled", publishAt: at.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        var before = await FeedsListingAsync("Feed scheduled story");
        factory.Clock.Advance(TimeSpan.FromHours(3));
        var after = await FeedsListingAsync("Feed scheduled story");
        var item = (await factory.CreateClient().GetJsonFeedAsync("/categories/politics/feed.json")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("title").GetString() == "Feed scheduled story");

        Assert.Empty(before);
        Assert.Equal(StoryFeeds, after);
        Assert.Equal(new DateTimeOffset(at), DateTimeOffset.Parse(item.GetProperty("date_published").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DeletedStory_LeavesEveryFeed()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Feed deleted story", "Published"));

        var published = await FeedsListingAsync("Feed deleted story");
        using var delete = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var deleted = await FeedsListingAsync("Feed deleted story");

        Assert.Equal(StoryFeeds, published);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Empty(deleted);
    }
}
