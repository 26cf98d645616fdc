using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Threads;

/// <summary>The developing story the editor is offered for a story in none, on a store of its own (the other threads sway it).</summary>
public sealed class ThreadSuggestionTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task TheDevelopingStoryOffered_WeighsWhetherTheStorysCategoriesAreTheThreads()
    {
        for (var day = 1; day <= 3; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Canal lock repairs: engineers drain the lock, week {day}")
                .PublishedOn(2026, 2, day).InThread("Canal lock repairs").InCategory("Waterways")
                .WithParagraph("Engineers drained the canal lock for repairs while boaters waited at the moorings."));
        }

        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var sameDesk = await editor.GetDocumentAsync(await CreateAsync(editor, "Boaters stuck as canal lock repairs overrun", "Waterways"));
        var otherDesk = await editor.GetDocumentAsync(await CreateAsync(editor, "Boaters stuck as canal lock repairs overrun again", "Culture"));

        Assert.Equal("Canal lock repairs", sameDesk.QuerySelector(".thread-suggestion button")?.GetAttribute("data-value"));
        Assert.Null(otherDesk.QuerySelector(".thread-suggestion"));
    }

    private static async Task<string> CreateAsync(HttpClient editor, string title, string category)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = title,
            ["Form.Body"] = "The lock will reopen next month, engineers say.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Status"] = "Draft",
            ["Form.Categories"] = category,
        }, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }
}
