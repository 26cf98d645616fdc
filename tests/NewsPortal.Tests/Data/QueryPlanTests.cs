using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Data;

/// <summary>
/// A store with stories in several categories, sources, languages and months, a scheduled and a deleted one, with
/// the output cache off so every request reaches the store, and every command it sends recorded.
/// </summary>
public sealed class QueryPlanFixture : EmptyNewsPortalFactory, IAsyncLifetime
{
    protected override bool KeepsTestExecutionContext => true;

    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Sql.RecordEveryRequest(builder);
    }

    public async Task InitializeAsync()
    {
        _ = Server; // the store is migrated when the site starts
        Store.KeepAutovacuumAway();
        string[] categories = ["Business", "Politics", "Weather"];
        string[] sources = ["Reuters", "Anadolu Agency", "AFP"];
        for (var i = 0; i < 60; i++)
        {
            await AddArticleAsync(new ArticleBuilder()
                .Titled($"Ceasefire talks story {i}")
                .PublishedOn(2025, 1 + (i % 12), 1 + (i % 28))
                .WithDocumentDate(new DateTime(2025, 1 + (i % 12), 1 + (i % 28), i % 24, 0, 0))
                .InCategory(categories[i % 3]).InCategory(categories[(i + 1) % 3])
                .FromSource(sources[i % 3])
                .InLanguage(i % 5 == 0 ? "tr" : "en")
                .InThread(i % 4 == 0 ? "Ceasefire talks" : "Storm season")
                .WithParagraph($"Delegations met again on day {i} to discuss the ceasefire."));
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Every public page, feed, sitemap and API read sends a small, fixed number of commands, and SQLite runs each from
/// an index: never a scan of the stories or their links, never a sort of more than a bounded set. Checked twice:
/// with the statistics the app fixes at start-up (<see cref="PlannerStatistics"/>) and with none at all, so the good
/// plan does not hang on statistics.
/// </summary>
public sealed class QueryPlanTests(QueryPlanFixture factory) : IClassFixture<QueryPlanFixture>
{
    /// <summary>Tables whose size grows with the store: no public query may read them by scanning.</summary>
    private static readonly HashSet<string> GrowingTables =
        ["Articles", "ArticleCategories", "ArticleSources", "ArticleRevisions", "AuditLog", "WebhookDeliveries", "CacheInvalidations", "BrowserSessions"];

    /// <summary>Tables of names, which grow with the newsroom (2,000 sources, a thread per running story): read through an index.</summary>
    private static readonly HashSet<string> NameTables = ["Categories", "Sources", "Threads"];

    private const int MaxCommandsPerRequest = 8;

    /// <summary>A sample address for every public GET route; a new route must be added here, so it is checked too.</summary>
    public static TheoryData<string> PublicUrls => new(SampleUrls.Values.SelectMany(urls => urls));

    private static readonly Dictionary<string, string[]> SampleUrls = new()
    {
        ["/"] = ["/", "/?before=1.1", $"/?after={long.MaxValue / 4}.1", "/?page=2"],
        ["/articles/{slug}"] = ["/articles/ceasefire-talks-story-7", "/articles/no-such-story"],
        ["/categories"] = ["/categories", "/categories?letter=b", "/categories?q=pol", "/categories?letter=other&after=zz"],
        ["/categories/{slug}"] = ["/categories/business", "/categories/politics?before=1.1", "/categories/no-such-category", "/categories/%20"],
        ["/sources"] = ["/sources", "/sources?letter=r", "/sources?q=reu", "/sources?after=afp"],
        ["/sources/{slug}"] = ["/sources/reuters", "/sources/afp?page=2", "/sources/no-such-source"],
        ["/languages"] = ["/languages"],
        ["/languages/{tag}"] = ["/languages/tr", "/languages/EN"],
        ["/archive"] = ["/archive"],
        ["/about"] = ["/about"],
        ["/threads"] = ["/threads", "/threads?after=1.1"],
        ["/threads/{slug}"] = ["/threads/ceasefire-talks", "/threads/storm-season?before=1.1", "/threads/no-such-thread"],
        ["/threads/{slug}/feed.{format}"] = ["/threads/storm-season/feed.atom", "/threads/no-such-thread/feed.atom"],
        ["/archive/{year:int}/{month:int}"] = ["/archive/2025/03"],
        ["/search"] = ["/search?q=ceasefire", "/search?q=ceasefire+talks+source%3Areuters", "/search?q=category%3Abusiness+lang%3Aen",
            "/search?q=before%3A2025-06-01", "/search?q=talks&page=2", "/search?q=source%3Areuters+-ceasefire", "/search?q=ceasefire+talks&sort=newest"],
        ["/feed.{format}"] = ["/feed.atom", "/feed.rss", "/feed.json"],
        ["/categories/{slug}/feed.{format}"] = ["/categories/weather/feed.atom"],
        ["/sources/{slug}/feed.{format}"] = ["/sources/anadolu-agency/feed.rss"],
        ["/languages/{tag}/feed.{format}"] = ["/languages/tr/feed.json"],
        ["/search/feed.{format}"] = ["/search/feed.atom?q=ceasefire"],
        ["/robots.txt"] = ["/robots.txt"],
        ["/opensearch.xml"] = ["/opensearch.xml"],
        ["/sitemap.xml"] = ["/sitemap.xml"],
        ["/sitemaps/pages.xml"] = ["/sitemaps/pages.xml"],
        ["/sitemaps/articles-{page:int}.xml"] = ["/sitemaps/articles-1.xml"],
        ["/sitemaps/threads-{page:int}.xml"] = ["/sitemaps/threads-1.xml", "/sitemaps/threads-999.xml"],
        ["/sitemaps/news.xml"] = ["/sitemaps/news.xml"],
        ["/api/v1/articles"] = ["/api/v1/articles", "/api/v1/articles?limit=5&cursor=" + "MTAwMDAwMDAwMDAwMDAwMDAwMC4x",
            "/api/v1/articles?category=business", "/api/v1/articles?source=reuters&from=2025-02-01&to=2025-08-31",
            "/api/v1/articles?language=tr", "/api/v1/articles?category=politics&source=afp&language=en", "/api/v1/articles?q=ceasefire"],
        ["/api/v1/articles/{slug}"] = ["/api/v1/articles/ceasefire-talks-story-3"],
        ["/api/v1/categories"] = ["/api/v1/categories"],
        ["/api/v1/sources"] = ["/api/v1/sources", "/api/v1/sources?letter=r&after=r", "/api/v1/sources?q=reu"],
        ["/api/v1/threads"] = ["/api/v1/threads", "/api/v1/threads?after=1.1"],
        ["/api/v1/search"] = ["/api/v1/search?q=talks"],
    };

    [SqliteFact]
    public void EveryPublicRoute_HasASampleHere()
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Contains("GET"))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(route => !route.StartsWith("/admin", StringComparison.Ordinal) && !route.StartsWith("/account", StringComparison.Ordinal)
                && !route.StartsWith("/error", StringComparison.Ordinal) && !route.StartsWith("/openapi", StringComparison.Ordinal)
                // The load balancer's probes read the migration history (a row per migration), not the stories.
                && !route.StartsWith("/health", StringComparison.Ordinal)
                && !IsStaticFile(route) && !route.Contains("{**", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.DoesNotContain(routes, route => !SampleUrls.ContainsKey(route));

        // Static files (fingerprinted assets) are served by MapStaticAssets, not by pages that query the store.
        static bool IsStaticFile(string route) => Regex.IsMatch(route, @"^/(css|js|img|lib)/|\.(css|js|svg|png|ico|woff2?)$");
    }

    [Theory]
    [MemberData(nameof(PublicUrls))]
    public async Task PublicRequest_SendsFewCommands_EachReadingAnIndex(string url)
    {
        var commands = await CommandsOfAsync(url);

        Assert.InRange(commands.Count, 0, MaxCommandsPerRequest);
        await AssertEachReadsAnIndexAsync(url, commands);
    }

    /// <summary>
    /// A flag the same for every reader (public stories only) is written into the SQL, not passed: PostgreSQL keeps one
    /// plan for a prepared statement only if the plan for all arguments looks as cheap as one for the arguments given,
    /// and with the flag as an argument it never did, so a page's queries were planned again on every request.
    /// </summary>
    [Theory]
    [MemberData(nameof(PublicUrls))]
    public async Task PublicRequest_PassesNoFlagAsAnArgument(string url)
    {
        var commands = await CommandsOfAsync(url);

        Assert.All(commands, c => Assert.DoesNotContain(c.Parameters, p => p.Value is bool));
    }

    [Fact]
    public void PostgresPlanCheck_CatchesAScanAndAWholeIndexWalkOfTheStories()
    {
        const string Scan = """
            Sort  (cost=10000000012.00..10000000012.50 rows=200 width=8)
              Sort Key: "Title"
              ->  Seq Scan on "Articles" a  (cost=10000000000.00..10000000004.00 rows=200 width=8)
            """;
        const string Walk = """
            Sort  (cost=12.00..12.50 rows=200 width=8)
              Sort Key: "Title"
              ->  Index Scan using "PK_Articles" on "Articles" a  (cost=0.15..4.00 rows=200 width=8)
                    Filter: ("Status" = 'Published'::text)
            """;
        const string Bounded = """
            Limit  (cost=0.15..1.00 rows=20 width=8)
              ->  Index Scan Backward using "IX_Listings_Home" on "ArticleListings" l  (cost=0.15..4.00 rows=200 width=8)
            """;

        Assert.Equal(["reads Articles whole: ->  Seq Scan on \"Articles\" a  (cost=10000000000.00..10000000004.00 rows=200 width=8)"], PostgresProblems(Scan));
        Assert.Equal(["walks all of Articles: ->  Index Scan using \"PK_Articles\" on \"Articles\" a  (cost=0.15..4.00 rows=200 width=8)"], PostgresProblems(Walk));
        Assert.Empty(PostgresProblems(Bounded));
    }

    /// <summary>
    /// What is wrong with a PostgreSQL plan made with sequential scans ruled out: a growing table or a table of names
    /// still read whole, or a growing table's index walked end to end without a condition where nothing stops the walk.
    /// </summary>
    private static List<string> PostgresProblems(string plan)
    {
        var lines = plan.Split('\n');
        var bounded = lines.Any(l => l.TrimStart().StartsWith("Limit", StringComparison.Ordinal) || l.Contains("->  Limit", StringComparison.Ordinal));
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (Regex.Match(line, @"Seq Scan on ""?(\w+)""?") is { Success: true } scan
                && (GrowingTables.Contains(scan.Groups[1].Value) || NameTables.Contains(scan.Groups[1].Value)))
            {
                problems.Add($"reads {scan.Groups[1].Value} whole: {line}");
            }

            if (Regex.Match(line, @"Index (?:Only )?Scan(?: Backward)? using ""?\w+""? on ""?(\w+)""?") is { Success: true } walk
                && GrowingTables.Contains(walk.Groups[1].Value) && !bounded)
            {
                var indent = lines[i].Length - lines[i].TrimStart().Length;
                var details = lines.Skip(i + 1).TakeWhile(l => l.Length - l.TrimStart().Length > indent && !l.Contains("->", StringComparison.Ordinal));
                if (!details.Any(d => d.Contains("Index Cond:", StringComparison.Ordinal)))
                {
                    problems.Add($"walks all of {walk.Groups[1].Value}: {line}");
                }
            }
        }

        return problems;
    }

    [Fact]
    public async Task TheEditorsDuplicateCheck_ReadsTheListingIndexOverItsDaysOnly()
    {
        IReadOnlyList<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var scope = factory.Services.CreateScope();
            var form = new ArticleForm { Title = "Ceasefire talks resume in Istanbul", Body = "Delegations met.", PublishedOn = new DateOnly(2025, 6, 2) };
            await scope.ServiceProvider.GetRequiredService<ArticleAdminService>().LikelyDuplicatesAsync(form, null);
            commands = capture.Commands;
        }

        Assert.Single(commands);
        Assert.Contains("LIMIT", commands[0].Sql, StringComparison.Ordinal);
        await AssertEachReadsAnIndexAsync("the duplicate check", commands);
    }

    /// <summary>
    /// The rail and the /threads index read the index of developing threads alone: a walk of all threads by their newest
    /// story, passing over the one-story ones, reads every thread of a store that gives each story its own.
    /// </summary>
    [Theory]
    [InlineData("/")]
    [InlineData("/threads")]
    [InlineData("/threads?after=1.1")]
    public async Task TheDevelopingStories_AreReadFromTheIndexOfDevelopingThreads(string url)
    {
        var commands = (await CommandsOfAsync(url)).Where(c => c.Sql.Contains("FROM \"Threads\"", StringComparison.Ordinal)).ToList();

        var command = Assert.Single(commands);
        if (TestStore.IsPostgres)
        {
            var postgresPlan = await QueryPlans.ExplainAsync(factory.Store.ConnectionString, command);
            Assert.True(postgresPlan.Contains("\"IX_Threads_Developing\"", StringComparison.Ordinal), $"{command.Sql}\n{postgresPlan}");
            return;
        }

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        foreach (var statistics in new[] { true, false })
        {
            await UseStatisticsAsync(connection, statistics);
            var plan = await QueryPlans.ExplainAsync(connection, command);
            Assert.True(plan.Any(line => line.Contains("INDEX IX_Threads_Developing", StringComparison.Ordinal)), string.Join("\n", plan));
        }

        await UseStatisticsAsync(connection, true);
    }

    [Fact]
    public async Task TheEditorsThreadSuggestion_ReadsTheThreadIndexes()
    {
        IReadOnlyList<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var scope = factory.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Threads.ThreadService>().SuggestAsync("Ceasefire talks resume", new DateOnly(2026, 3, 1), ["Politics"]);
            commands = capture.Commands;
        }

        // The story's categories by name, then the threads and their stories.
        Assert.Equal(2, commands.Count);
        await AssertEachReadsAnIndexAsync("the thread suggestion", commands);
    }

    [Theory]
    [InlineData(NameKind.Category)]
    [InlineData(NameKind.Source)]
    [InlineData(NameKind.Thread)]
    public async Task TheNamesAdmin_ReadsAPageOfNamesByTheirIndex_AndCountsNoStories(NameKind kind)
    {
        var commands = await CommandsOfAsync(async services =>
        {
            var names = services.GetRequiredService<NameAdminService>();
            var (_, next) = await names.PageAsync(kind, null, null, 1);
            await names.PageAsync(kind, "c", next, 1);
        });

        Assert.Equal(4, commands.Count);
        // A name's stories are counted by the store as they are written: the page reads that count, not the stories.
        Assert.DoesNotContain(commands, c => c.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) || c.Sql.Contains("\"Articles\"", StringComparison.Ordinal));
        await AssertEachReadsAnIndexAsync($"the {kind} names admin", commands);
    }

    [Theory]
    [InlineData(null, null, null, null, null, false)]
    [InlineData("published", null, null, null, null, true)]
    [InlineData("draft", null, null, null, null, false)]
    [InlineData("deleted", null, null, null, null, false)]
    [InlineData(null, "business", null, null, null, false)]
    [InlineData("draft", "politics", "Reuters", null, null, true)]
    [InlineData(null, null, "afp", null, null, false)]
    [InlineData(null, null, null, "ceasefire-talks", null, false)]
    [InlineData(null, "weather", null, null, "ceasefire day", false)]
    public async Task TheEditorsList_WalksAListingIndex_WhateverItIsFilteredBy(string? status, string? category, string? source, string? thread, string? text, bool oldestFirst)
    {
        IReadOnlyList<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var scope = factory.Services.CreateScope();
            var list = scope.ServiceProvider.GetRequiredService<ArticleAdminService>();
            var first = await list.ListAsync(new AdminArticleFilter(status, category, source, text, oldestFirst, Thread: thread));
            if (first.Next is { } next)
            {
                await list.ListAsync(new AdminArticleFilter(status, category, source, text, oldestFirst, From: next, Thread: thread));
            }

            commands = capture.Commands;
        }

        // Two pages; by words, each page's two searches (published, and the rest) also look up the names they filter by.
        Assert.InRange(commands.Count, 1, 20);
        // The search for words counts its matches, which it bounds (and says so); nothing else counts or skips.
        Assert.DoesNotContain(commands, c => !c.Sql.TrimStart().StartsWith("-- bounded", StringComparison.Ordinal)
            && (c.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) || c.Sql.Contains("OFFSET", StringComparison.OrdinalIgnoreCase)));
        await AssertEachReadsAnIndexAsync($"the editors' list ({status}, {category}, {source}, {thread}, {text})", commands);
    }

    [Theory]
    [InlineData("all", null, null, null, null, null)]
    [InlineData("draft", null, null, null, null, null)]
    [InlineData("published", null, "afp", null, "2024-01-01", null)]
    [InlineData("all", null, null, "en", null, null)]
    [InlineData("all", "politics", null, "tr", "2020-01-01", "2026-12-31")]
    [InlineData("deleted", "business", "Reuters", null, null, "2026-12-31")]
    public async Task TheApisListForEditors_WalksAListingIndex_WhateverItIsFilteredBy(string status, string? category, string? source, string? language, string? from, string? to)
    {
        IReadOnlyList<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var scope = factory.Services.CreateScope();
            var reads = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ArticleApiService>();
            static DateOnly? Day(string? day) => day is null ? null : DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
            var filter = new NewsPortal.Web.Api.ApiArticleFilter(category, source, language, status, Day(from), Day(to), Text: null);
            var first = await reads.ListAsync(filter, null, 20, editor: true, CancellationToken.None);
            if (first?.NextCursor is { } next)
            {
                await reads.ListAsync(filter, next, 20, editor: true, CancellationToken.None);
            }

            commands = capture.Commands;
        }

        Assert.InRange(commands.Count, 1, 16);
        Assert.DoesNotContain(commands, c => c.Sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase) || c.Sql.Contains("OFFSET", StringComparison.OrdinalIgnoreCase));
        await AssertEachReadsAnIndexAsync($"the API's list for editors ({status}, {category}, {source}, {language}, {from}, {to})", commands);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("editor@example.org", null)]
    [InlineData(null, "import")]
    [InlineData("editor@example.org", "import")]
    public async Task TheAuditLogAndRevisions_ReadAPageFromAnIndex_WhateverTheFilter(string? user, string? action)
    {
        var commands = await CommandsOfAsync(async services =>
        {
            await AuditPagesAsync(services, user, action);
            await services.GetRequiredService<ArticleAdminService>().RevisionsAsync(1, 500, 51);
        });

        Assert.Equal(3, commands.Count);
        await AssertEachReadsAnIndexAsync($"the audit log ({user}, {action}) and revisions", commands);
        if ((user is not null || action is not null) && !TestStore.IsPostgres)
        {
            // A range of the key, filtered, is a search too, but it reads every older entry to find one user's few.
            await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
            await connection.OpenAsync();
            foreach (var command in commands.Take(2))
            {
                Assert.Contains(await QueryPlans.ExplainAsync(connection, command), line => line.Contains("USING INDEX IX_AuditLog_", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>The audit log's first page and a page from further back, filtered as asked.</summary>
    private static async Task AuditPagesAsync(IServiceProvider services, string? user, string? action)
    {
        var audit = services.GetRequiredService<NewsPortal.Web.Audit.AuditLog>();
        await audit.ListAsync(null, user, action);
        await audit.ListAsync(1_000, user, action);
    }

    [PostgresTheory]
    [InlineData("editor@example.org", null)]
    [InlineData(null, "import")]
    public async Task OnPostgres_TheAuditLogFilteredByUserOrAction_ReadsItsIndex(string? user, string? action)
    {
        var commands = await CommandsOfAsync(services => AuditPagesAsync(services, user, action));

        Assert.Equal(2, commands.Count);
        var index = user is not null ? "IX_AuditLog_User_Id" : "IX_AuditLog_Action_Id";
        foreach (var command in commands)
        {
            // With a sequential scan ruled out, a plan that reads the key's index and filters would still pass; so is that.
            var plan = await QueryPlans.ExplainAsync(factory.Store.ConnectionString, command, "enable_bitmapscan");
            Assert.Contains($"Index Scan Backward using \"{index}\"", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheWebhooksPage_CountsEachSubscribersDeliveriesFromTheirIndex()
    {
        IReadOnlyList<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var scope = factory.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Webhooks.WebhookService>().ListAsync();
            commands = capture.Commands;
        }

        await AssertEachReadsAnIndexAsync("the webhooks page", commands);
        if (TestStore.IsPostgres)
        {
            return;
        }

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        var plan = await QueryPlans.ExplainAsync(connection, Assert.Single(commands));
        // Pending, delivered and failed of the last day: three ranges of the subscriber's deliveries by state and time.
        Assert.Equal(3, plan.Count(line => line.Contains("IX_WebhookDeliveries_SubscriptionId_State_CreatedAtUtc (SubscriptionId=? AND State=?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheListOfAnAccountsBrowsers_ReadsItsIndexNewestFirst()
    {
        var editor = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new(System.Security.Claims.ClaimTypes.NameIdentifier, "an-account"),
            new("AspNet.Identity.SecurityStamp", "a-stamp"),
            new(NewsPortal.Web.Accounts.BrowserSessions.Claim, "a-session"),
        ], "test"));

        var commands = await CommandsOfAsync(services => services.GetRequiredService<NewsPortal.Web.Accounts.BrowserSessions>().ListAsync(editor, CancellationToken.None));

        await AssertEachReadsAnIndexAsync("the list of an account's browsers", commands);
        if (!TestStore.IsPostgres)
        {
            await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
            await connection.OpenAsync();
            var plan = await QueryPlans.ExplainAsync(connection, Assert.Single(commands));
            Assert.Contains(plan, line => line.Contains("IX_BrowserSessions_UserId_LastSeenAtUtc (UserId=? AND LastSeenAtUtc>?)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ASearchWithNoResults_ReadsItsSuggestionsThroughIndexes()
    {
        factory.Services.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>().Remove(NewsPortal.Web.Search.SearchSuggestions.CacheKey);

        var commands = await CommandsOfAsync("/search?q=qzxwv");

        // The search itself, then the developing stories, categories and sources it suggests from.
        Assert.Contains(commands, c => c.Sql.Contains("\"Threads\"", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Sql.Contains("FROM \"Sources\"", StringComparison.Ordinal));
        await AssertEachReadsAnIndexAsync("a search with no results", commands);
    }

    /// <summary>
    /// Each command's plan reads an index: on SQLite with the app's statistics and with none; on PostgreSQL with
    /// sequential scans ruled out (a test store is so small that PostgreSQL would otherwise read it whole), so what is
    /// checked is that an index can answer the query as written.
    /// </summary>
    private async Task AssertEachReadsAnIndexAsync(string url, IReadOnlyList<CapturedCommand> commands)
    {
        if (TestStore.IsPostgres)
        {
            foreach (var command in commands)
            {
                var plan = await QueryPlans.ExplainAsync(factory.Store.ConnectionString, command);
                var problems = PostgresProblems(plan);
                Assert.True(problems.Count == 0, $"{url}:\n{string.Join("\n", problems)}\nSQL:\n{command.Sql}\nPlan:\n{plan}");
            }

            return;
        }

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        foreach (var statistics in new[] { true, false })
        {
            await UseStatisticsAsync(connection, statistics);
            foreach (var command in commands)
            {
                var plan = await QueryPlans.ExplainAsync(connection, command);
                var problems = Problems(command.Sql, plan).ToList();
                Assert.True(problems.Count == 0,
                    $"{url} ({(statistics ? "with" : "without")} statistics):\n{string.Join("\n", problems)}\nSQL:\n{command.Sql}\nPlan:\n{string.Join("\n", plan)}");
            }
        }

        await UseStatisticsAsync(connection, true);
    }

    [SqliteFact]
    public void PlanCheck_CatchesAScanOfTheStories()
    {
        // The rule itself must be able to fail: a listing without its index sorts every story.
        var problems = Problems("""SELECT a."Id" FROM "Articles" AS "a" ORDER BY a."Title" LIMIT 20""",
            ["SCAN a", "USE TEMP B-TREE FOR ORDER BY"]).ToList();

        Assert.Equal(2, problems.Count);
    }

    [SqliteFact]
    public void PlanCheck_CatchesAThreadsScanWithoutAnIndex()
    {
        var problems = Problems("""SELECT "t"."Id" FROM "Threads" AS "t" ORDER BY "t"."Name" LIMIT 5""", ["SCAN t", "USE TEMP B-TREE FOR ORDER BY"]).ToList();

        Assert.Equal(["scans Threads without an index: SCAN t", "sorts without a bound: USE TEMP B-TREE FOR ORDER BY"], problems);
    }

    /// <summary>What is wrong with a plan: a scan of a growing table, or a sort the SQL does not declare bounded.</summary>
    private static IEnumerable<string> Problems(string sql, IReadOnlyList<string> plan)
    {
        // The same alias may name different tables in different parts of one command: any growing one counts.
        var aliases = Regex.Matches(sql, @"""(\w+)""\s+(?:AS\s+)?""?([A-Za-z]\w*)""?")
            .Where(m => GrowingTables.Contains(m.Groups[1].Value) || NameTables.Contains(m.Groups[1].Value))
            .ToLookup(m => m.Groups[2].Value, m => m.Groups[1].Value, StringComparer.Ordinal);
        foreach (var line in plan)
        {
            var scan = Regex.Match(line, @"^SCAN (\w+)");
            if (scan.Success)
            {
                var name = scan.Groups[1].Value;
                var table = aliases[name].FirstOrDefault() ?? name;
                if (GrowingTables.Contains(table))
                {
                    yield return $"scans {table}: {line}";
                }
                else if (NameTables.Contains(table) && !line.Contains("USING", StringComparison.Ordinal))
                {
                    yield return $"scans {table} without an index: {line}";
                }
            }

            if (line.StartsWith("USE TEMP B-TREE", StringComparison.Ordinal) && !sql.TrimStart().StartsWith("-- bounded", StringComparison.Ordinal))
            {
                yield return $"sorts without a bound: {line}";
            }
        }
    }

    /// <summary>The commands a service call sends, in a scope of its own.</summary>
    private async Task<IReadOnlyList<CapturedCommand>> CommandsOfAsync(Func<IServiceProvider, Task> call)
    {
        using var capture = factory.Sql.Begin();
        using var scope = factory.Services.CreateScope();
        await call(scope.ServiceProvider);
        return capture.Commands;
    }

    private async Task<IReadOnlyList<CapturedCommand>> CommandsOfAsync(string url)
    {
        using var capture = factory.Sql.Begin();
        using var response = await factory.CreatePlainClient().GetAsync(url);
        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
        return capture.Commands;
    }

    /// <summary>The app's fixed statistics, or none; SQLite loads them into this connection.</summary>
    private static async Task UseStatisticsAsync(SqliteConnection connection, bool on)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = on
            ? "ANALYZE \"SearchIndexing\"; DELETE FROM sqlite_stat1; INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES "
                + string.Join(", ", PlannerStatistics.Rows.Select(s => $"('{s.Table}', {(s.Index is null ? "NULL" : $"'{s.Index}'")}, '{s.Stat}')")) + "; ANALYZE sqlite_schema;"
            : "DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;";
        await command.ExecuteNonQueryAsync();
    }
}
