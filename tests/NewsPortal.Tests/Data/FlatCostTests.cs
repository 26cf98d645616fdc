using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Data;

/// <summary>
/// A store that grows fivefold during the test: stories in a few categories, many sources, two languages, two years.
/// Larger than every bound a request has (a filtered walk looks at <c>Portal:ScanBudget</c> stories, set low here),
/// so what a request costs can only stay flat if it is bounded. The stories added later use other words: what a
/// search costs follows the index entries of its words (bounded again when they match more than it ranks), not the
/// number of stories, and that is what the growth must not change.
/// </summary>
public sealed class FlatCostFixture : EmptyNewsPortalFactory, IAsyncLifetime
{
    protected override bool KeepsTestExecutionContext => true;

    public const int Small = 6_000;
    public const int Large = 30_000;

    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cache:Enabled", "false");
        builder.UseSetting("Api:RequestsPerMinute", "1000000");
        builder.UseSetting("Portal:ScanBudget", "100");
        builder.ConfigureTestServices(services => services.ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(Sql)));
    }

    public async Task InitializeAsync()
    {
        _ = Server; // the store is migrated when the site starts
        await GrowToAsync(Small);
    }

    public int Size { get; private set; }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>Adds stories, oldest first as a newsroom's archive grows, until the store holds <paramref name="size"/>.</summary>
    public async Task GrowToAsync(int size)
    {
        string[] words = Size == 0
            ? ["talks", "storm", "election", "market", "court", "border", "flood", "summit", "strike", "vaccine", "ruling", "protest"]
            : ["harvest", "railway", "museum", "festival", "bridge", "orchestra", "satellite", "glacier", "library", "marathon", "airport", "vineyard"];
        var documents = new List<SnippetDocument>();
        for (var i = Size; i < size; i++)
        {
            var day = new DateOnly(2024, 1, 1).AddDays(i * 730 / Large);
            var title = $"{(i % 4 == 0 && Size == 0 ? "Ceasefire" : words[i % words.Length])} {words[(i / 7) % words.Length]} report number {i}";
            documents.Add(new SnippetDocument(title, day, day.ToDateTime(new TimeOnly(i % 24, i % 60)), i % 5 == 0 ? "tr" : "en",
                [$"Desk {i % 5}", $"Region {i % 3}"], $"https://example.org/{i}", "example.org", [$"Agency {i % 40}"], null,
                $"The {words[i % words.Length]} went on for day {i}. Officials said more would follow."));
        }

        await using var scope = Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportDocumentsAsync("growth", documents);
        Assert.True(report.Problems.Count == 0, report.ToString());
        Size = size;
    }
}

/// <summary>
/// A page's cost does not grow with the store: every public request, run on the store and again once it is five
/// times larger, takes about the same number of SQLite steps (the statements' own counters: work, not time).
/// </summary>
public sealed class FlatCostTests(FlatCostFixture factory) : IClassFixture<FlatCostFixture>
{
    private static readonly string[] Urls =
    [
        "/", "/?before=1000000000000000000.1", "/articles/ceasefire-strike-report-number-3000", "/categories", "/categories/desk-1",
        "/categories/region-2?before=1000000000000000000.1", "/sources", "/sources/agency-7", "/languages", "/languages/tr", "/archive", "/archive/2024/03",
        "/search?q=ceasefire", "/search?q=talks+storm", "/search?q=ceasefire+source%3Aagency-3", "/search?q=category%3Adesk-2+lang%3Aen",
        "/search?q=source%3Aagency-9+-storm", "/search?q=before%3A2024-06-01", "/search?q=talks&page=3",
        "/feed.atom", "/categories/desk-3/feed.rss", "/sources/agency-2/feed.json", "/languages/en/feed.atom", "/search/feed.atom?q=ceasefire",
        "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/articles-1.xml", "/sitemaps/threads-1.xml", "/sitemaps/news.xml", "/robots.txt",
        "/api/v1/articles", "/api/v1/articles?category=desk-4", "/api/v1/articles?source=agency-1&from=2024-02-01&to=2024-09-30",
        "/api/v1/articles?language=tr", "/api/v1/articles?category=desk-1&source=agency-11&language=en", "/api/v1/articles?q=ceasefire",
        "/api/v1/articles/ceasefire-strike-report-number-3000", "/api/v1/categories", "/api/v1/sources", "/api/v1/search?q=storm",
    ];

    [SqliteFact]
    public async Task EveryPublicRequest_CostsTheSame_WhenTheStoreIsFiveTimesLarger()
    {
        var small = await CostsAsync();
        await factory.GrowToAsync(FlatCostFixture.Large);
        var large = await CostsAsync();

        // Steps may vary a little with the data a page happens to show; work that follows the store grows fivefold.
        var grown = Urls.Where(url => large[url] > small[url] * 1.5 + 10_000).Select(url => $"{url}: {small[url]:N0} steps, then {large[url]:N0}").ToList();
        Assert.True(grown.Count == 0, "grew with the store:\n" + string.Join("\n", grown));
    }

    [SqliteFact]
    public void CostCheck_CatchesAQueryThatReadsTheWholeStore()
    {
        // The measure itself must be able to fail: counting the stories costs in proportion to them.
        var command = new CapturedCommand("""SELECT count(*) FROM "Articles" WHERE "Listed" = 1 AND "Title" LIKE '%zz%'""", []);

        var steps = QueryCost.Steps(factory.DatabasePath, command);

        Assert.True(steps > factory.Size, $"{steps} steps over {factory.Size} stories");
    }

    private async Task<Dictionary<string, long>> CostsAsync()
    {
        var costs = new Dictionary<string, long>();
        var client = factory.CreatePlainClient();
        foreach (var url in Urls)
        {
            using var capture = factory.Sql.Begin();
            using var response = await client.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
            costs[url] = capture.Commands.Sum(command => QueryCost.Steps(factory.DatabasePath, command));
        }

        return costs;
    }
}
