using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Search;

/// <summary>
/// A store whose searches take half a minute while <see cref="Slow"/> (unless stopped), against a search time limit of
/// two seconds; every other statement runs at full speed.
/// </summary>
/// <remarks>
/// The limit also has to hold the quick searches these tests make once <see cref="Slow"/> is off: a fifth of a second
/// was once too little for the first search of a PostgreSQL test server on a CI machine running three suites at once.
/// </remarks>
public sealed class SlowSearchFactory : EditorialFactory, IAsyncLifetime
{
    public bool Slow { get; set; } = true;

    protected override bool SeedOnStartup => false;

    public Task InitializeAsync() => AddArticleAsync(new ArticleBuilder().Titled("Ferry service resumes across the strait")
        .PublishedOn(2026, 3, 1).InCategory("Transport").FromSource("Reuters").WithParagraph("The ferry line reopened on Sunday."));

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:SearchTimeoutSeconds", "2");
        var slow = new SlowSearch(this);
        builder.ConfigureTestServices(services => services
            .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(slow))
            .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(slow)));
    }

    private sealed class SlowSearch(SlowSearchFactory factory) : DbCommandInterceptor
    {
        private static readonly string[] SearchMarks = ["-- bounded: counts and sorts at most", $"-- bounded: sorts at most {NewsPortal.Web.Api.ArticleApiService.TextMatches} matches"];

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // The search's own statement on either store, and the API list's text matches (related stories are marked otherwise).
            if (factory.Slow && SearchMarks.Any(mark => command.CommandText.Contains(mark, StringComparison.Ordinal)))
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return result;
        }
    }
}

public sealed class SearchTimeLimitTests(SlowSearchFactory factory) : IClassFixture<SlowSearchFactory>
{
    [Fact]
    public async Task ASearchOverItsTimeLimit_IsStoppedWithAMessageAskingForRarerWords_503_AProblemOnTheApi_AndIsNotKept()
    {
        factory.Slow = true;
        using var stopped = await factory.CreateClient().GetAsync("/search?q=ferry");
        using var api = await factory.CreateClient().GetAsync("/api/v1/search?q=ferry");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        var page = await stopped.ReadDocumentAsync();
        Assert.Contains("This search was stopped after 2 s", page.TextOf(".notice"));
        Assert.Contains("try a rarer word", page.TextOf(".notice"));
        // The search box keeps the words, and no count of results claims there are none.
        Assert.Equal("ferry", page.QuerySelector("#site-search-q")?.GetAttribute("value"));
        Assert.Null(page.QuerySelector(".count"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Portal:SearchTimeoutSeconds", await api.Content.ReadAsStringAsync());

        // The next try, the store quick again, searches rather than answering the stopped search from the cache.
        factory.Slow = false;
        var found = await factory.CreateClient().GetDocumentAsync("/search?q=ferry");
        Assert.Equal(["Ferry service resumes across the strait"], found.TextsOf(".search-results h2").Select(t => t.Trim()));
    }

    [Fact]
    public async Task TheEditorsListByWordsOverTheSearchTimeLimit_IsStoppedWithTheSameNotice_NotNoSnippetsMatch()
    {
        var editor = await factory.SignedInClientAsync(NewsPortal.Web.Accounts.Roles.Editor);
        factory.Slow = true;
        using var stopped = await editor.GetAsync("/admin?q=ferry");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        var page = await stopped.ReadDocumentAsync();
        Assert.Contains("This search was stopped after 2 s", page.TextOf(".notice"));
        Assert.Null(page.QuerySelector(".empty"));
        Assert.Equal("ferry", page.QuerySelector("form.filters input[name='q']")?.GetAttribute("value"));

        factory.Slow = false;
        var found = await editor.GetDocumentAsync("/admin?q=ferry");
        Assert.Contains("Ferry service resumes across the strait", found.TextOf(".article-list"));
    }

    [Fact]
    public async Task ASearchsFeedOverTheSearchTimeLimit_IsStopped503_NamingTheSetting()
    {
        factory.Slow = true;
        using var feed = await factory.CreateClient().GetAsync("/search/feed.atom?q=strait");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, feed.StatusCode);
        Assert.Contains("This search was stopped after 2 s (Portal:SearchTimeoutSeconds)", await feed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnApiListByWordsOverTheSearchTimeLimit_IsStopped_AProblemNamingTheSetting_AListWithoutWordsIsNot()
    {
        factory.Slow = true;
        using var words = await factory.CreateClient().GetAsync("/api/v1/articles?q=sunday");
        using var all = await factory.CreateClient().GetAsync("/api/v1/articles");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, words.StatusCode);
        Assert.Equal("application/problem+json", words.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This search was stopped after 2 s (Portal:SearchTimeoutSeconds)", await words.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
    }

    [Fact]
    public async Task AnEditorsApiListByWordsOverTheSearchTimeLimit_IsStopped_AProblemNamingTheSetting_AndFindsTheStoryOnceQuick()
    {
        var editor = await factory.TokenClientAsync(NewsPortal.Web.Accounts.Roles.Editor);
        factory.Slow = true;
        using var stopped = await editor.GetAsync("/api/v1/articles?status=all&q=ferry");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        Assert.Equal("application/problem+json", stopped.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This search was stopped after 2 s (Portal:SearchTimeoutSeconds)", await stopped.Content.ReadAsStringAsync());

        factory.Slow = false;
        var found = await editor.GetFromJsonAsync<JsonElement>("/api/v1/articles?status=all&q=ferry");
        Assert.Equal(["ferry-service-resumes-across-the-strait"], found.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task TheSearchTimeLimit_LeavesOtherPagesAlone()
    {
        factory.Slow = true;
        var article = await factory.CreateClient().GetDocumentAsync("/articles/" + NewsPortal.Web.Shared.Slug.From("Ferry service resumes across the strait"));

        Assert.Equal("Ferry service resumes across the strait", article.TextOf("h1"));
    }
}
