using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Search;

/// <summary>The longest stories the limits allow, each a word said over and over: the worst a store can hold for search.</summary>
public class WorstCaseStoreFactory : EditorialFactory, IAsyncLifetime
{
    public const int Stories = 20;

    private readonly TempFolder _input = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // What these tests bound is the work (highlighting, sizes), not the time: on a CI machine running three suites on
        // two cores, the search feed of this store once passed the default 3 s and was stopped part-way. Time limits
        // have their own tests (SearchTimeLimitTests, RequestTimeoutTests).
        builder.UseSetting("Portal:SearchTimeoutSeconds", "30");
    }

    public async Task InitializeAsync()
    {
        // 84,000 times "zq " is just under the 256 KB a body may have.
        var body = string.Concat(Enumerable.Repeat("zq ", 84_000)).TrimEnd();
        var lines = Enumerable.Range(1, Stories).Select(i => System.Text.Json.JsonSerializer.Serialize(new { title = $"Worst case {i} zq", publishedOn = "2026-02-01", body }));
        var report = await ImportAsync(_input.Write("worst.jsonl", string.Join('\n', lines)));
        Assert.Equal(Stories, report.Imported);
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        _input.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class BoundedWorkTests(WorstCaseStoreFactory factory) : IClassFixture<WorstCaseStoreFactory>
{
    [Theory]
    [InlineData("/search?q=zq")]
    [InlineData("/search?q=%22zq+zq+zq%22")]
    [InlineData("/search/feed.atom?q=zq")]
    [InlineData("/api/v1/search?q=zq")]
    public async Task SearchingTheWorstCaseStore_AnswersWithHighlightedHits(string url)
    {
        // Before highlighting was bounded, the first of these took a minute; the limit here is only so a regression fails instead of hanging.
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Worst case", text);
        Assert.True(url.Contains("feed", StringComparison.Ordinal) || text.Contains("mark", StringComparison.Ordinal), "search results mark the word");
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsRefusedByTheApiAndTheForm_NamingTheLimit()
    {
        var body = new string('x', (256 * 1024) + 1);
        var api = await factory.TokenClientAsync(Roles.Editor);
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var created = await api.PostAsJsonAsync("/api/v1/articles", new { title = "Too long by API", body, publishedOn = "2026-03-01" });
        using var saved = await editor.SubmitFormAsync("/admin/articles/edit",
            new Dictionary<string, string?> { ["Form.Title"] = "Too long by form", ["Form.Body"] = body }, "#article-form");
        var page = await saved.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.StatusCode);
        Assert.Contains("the limit is 262,144 (Import:MaxBodyBytes)", await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, saved.StatusCode);
        Assert.Contains("the limit is 262,144", page.TextOf("[data-valmsg-for='Form.Body']"));
    }

    [Fact]
    public async Task ARequestBodyOverTheApiLimit_Is413WithAProblem()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);
        var json = $$"""{"title":"Huge","publishedOn":"2026-03-01","body":"{{new string('x', 3 * 1024 * 1024)}}"}""";

        using var response = await api.PostAsync("/api/v1/articles", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 2 MB", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("\u0001\u0002", "A story needs a title.")]
    [InlineData("\u200B\u200B", "The title has no visible text.")]
    [InlineData("\uFEFF \u2060", "The title has no visible text.")]
    public async Task ATitleOfInvisibleCharacters_IsRefused_NotStoredEmpty(string title, string message)
    {
        var api = await factory.TokenClientAsync(Roles.Editor);
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var created = await api.PostAsJsonAsync("/api/v1/articles", new { title, body = "Body.", publishedOn = "2026-03-01" });
        using var saved = await editor.SubmitFormAsync("/admin/articles/edit",
            new Dictionary<string, string?> { ["Form.Title"] = title, ["Form.Body"] = "Body." }, "#article-form");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, saved.StatusCode);
        Assert.Contains(message, (await saved.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.Title']"));
        Assert.Contains(message, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/articles/article")).StatusCode);
    }
}

/// <summary>
/// The same store grown slow: every statement a request sends takes five seconds (unless the request is stopped),
/// against a time limit of a fifth of a second.
/// </summary>
public sealed class ImpatientFactory : WorstCaseStoreFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:RequestTimeoutSeconds", "0.2");
        // On PostgreSQL the app's context is PostgresNewsDbContext, whose options are its own.
        builder.ConfigureTestServices(services => services
            .ConfigureDbContext<NewsPortal.Web.Data.NewsDbContext>(options => options.AddInterceptors(new SlowStore()))
            .ConfigureDbContext<NewsPortal.Web.Data.PostgresNewsDbContext>(options => options.AddInterceptors(new SlowStore())));
    }

    private sealed class SlowStore : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // Only requests' statements can be cancelled; start-up and the fixture's import run at full speed.
            if (cancellationToken.CanBeCanceled)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }

            return result;
        }
    }
}

public sealed class RequestTimeoutTests(ImpatientFactory factory) : IClassFixture<ImpatientFactory>
{
    [Fact]
    public async Task ARequestOverTheTimeLimit_IsStoppedAnd503_AProblemOnTheApi()
    {
        using var page = await factory.CreateClient().GetAsync("/search?q=zq");
        using var api = await factory.CreateClient().GetAsync("/api/v1/search?q=zq");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Portal:RequestTimeoutSeconds", await api.Content.ReadAsStringAsync());
    }
}
