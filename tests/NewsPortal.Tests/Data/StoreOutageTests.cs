using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using Npgsql;

namespace NewsPortal.Tests.Data;

/// <summary>
/// A store out of reach for a moment (PostgreSQL behind a network that drops, SQLite's file held by another writer)
/// is a 503 that asks the client to come back, and the site answers again once the store does.
/// </summary>
public sealed class StoreOutageTests
{
    /// <summary>The app on PostgreSQL through a relay the test can cut, with the page cache off so every page asks the store.</summary>
    private sealed class RelayedStoreFactory : EditorialFactory
    {
        public RelayedStoreFactory()
        {
            var server = new NpgsqlConnectionStringBuilder(Store.ConnectionString);
            Relay = new TcpRelay(server.Host!, server.Port);
        }

        public TcpRelay Relay { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var relayed = new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 2 };
            builder.UseSetting("ConnectionStrings:NewsPortal", relayed.ToString());
            builder.UseSetting("Cache:Enabled", "false");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }

    /// <summary>The app waiting a second (not five) for another writer to let go of what a save changes.</summary>
    private sealed class ShortWaitFactory : EditorialFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:WriteWaitSeconds", "1");
        }
    }

    /// <summary>
    /// Holds what an import still running holds until it commits: on SQLite the store (its one writer's lock), on
    /// PostgreSQL the rows <paramref name="postgresLock"/> locks (a story it rewrote, a name it linked a story to).
    /// Disposing the connection lets go.
    /// </summary>
    private static System.Data.Common.DbConnection HoldLikeAnImport(TestStore store, string postgresLock)
    {
        System.Data.Common.DbConnection connection = TestStore.IsPostgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection($"Data Source={store.SqlitePath};Pooling=False");
        connection.Open();
        using var hold = connection.CreateCommand();
        hold.CommandText = TestStore.IsPostgres ? $"BEGIN; {postgresLock}" : "BEGIN IMMEDIATE";
        hold.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// The app on SQLite whose store can grow no more once <see cref="Full"/> is set: each connection is held to the
    /// pages the file has (SQLite's own max_page_count), so a write that needs one more fails with SQLITE_FULL, as
    /// on a full disk.
    /// </summary>
    private sealed class FullDiskFactory : EditorialFactory
    {
        public volatile bool Full;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<NewsPortal.Web.Data.NewsDbContext>(options => options.AddInterceptors(new NoRoom(this))));
        }

        private sealed class NoRoom(FullDiskFactory factory) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
        {
            public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                using var command = connection.CreateCommand();
                command.CommandText = factory.Full ? $"PRAGMA max_page_count = {PageCount(connection)}" : "PRAGMA max_page_count = 1073741823";
                command.ExecuteNonQuery();
                return Task.CompletedTask;
            }

            private static long PageCount(System.Data.Common.DbConnection connection)
            {
                using var count = connection.CreateCommand();
                count.CommandText = "PRAGMA page_count";
                return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    [SqliteFact]
    public async Task WhenTheStoresDiskIsFull_TheApiSays507_AndAnEditorsSaveKeepsTheirTextWithAnError()
    {
        await using var factory = new FullDiskFactory();
        _ = factory.Server;
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var api = await factory.TokenClientAsync(Roles.Editor);
        var body = string.Join("\n\n", Enumerable.Range(1, 40).Select(i => $"Paragraph {i} of a long report that needs pages of its own to be stored."));
        var story = new Dictionary<string, string?>
        {
            ["Form.Title"] = "Reservoir levels fall for a third month",
            ["Form.Body"] = body,
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Snippets",
            ["Form.Sources"] = "Anadolu Agency",
            ["Form.Status"] = "Draft",
        };
        factory.Full = true;

        using var created = await api.PostAsJsonAsync("/api/v1/articles", new
        {
            title = "Reservoir levels fall again",
            body,
            publishedOn = "2026-03-01",
            language = "en",
            categories = new[] { "Snippets" },
            sources = new[] { "Anadolu Agency" },
            status = "Published",
        });
        using var save = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var form = await save.ReadDocumentAsync();
        using var home = await factory.CreatePlainClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.InsufficientStorage, created.StatusCode);
        Assert.Equal("application/problem+json", created.Content.Headers.ContentType?.MediaType);
        Assert.Contains("disk is full", await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InsufficientStorage, save.StatusCode);
        Assert.Contains("The store's disk is full, so this was not saved", form.QuerySelector("main")?.TextContent);
        Assert.Equal("Reservoir levels fall for a third month", form.QuerySelector("[name='Form.Title']")?.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(0, factory.Store.Scalar("SELECT COUNT(*) FROM \"Articles\" WHERE \"Title\" LIKE 'Reservoir levels%'"));
    }

    /// <summary>A node whose Redis (and so its key ring) does not answer: nothing listens on its port.</summary>
    private sealed class RedisAwayFactory : NewsPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=300,asyncTimeout=300,syncTimeout=300");
        }
    }

    [Fact]
    public async Task WhileRedisWithTheKeyRingIsAway_ReadersGetTheirPages_AndTheSignInPageIsBrieflyUnavailable()
    {
        await using var factory = new RedisAwayFactory();
        var client = factory.CreatePlainClient();

        using var home = await client.GetAsync("/");
        using var signIn = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), signIn.Headers.RetryAfter?.Delta);
        Assert.Equal("Briefly unavailable", (await signIn.ReadDocumentAsync()).QuerySelector("h1")?.TextContent);
    }

    [PostgresFact]
    public async Task WhilePostgresIsOutOfReach_PagesFeedsAndTheApiAnswer503WithRetryAfter_AndTheSiteRecoversWithIt()
    {
        await using var factory = new RelayedStoreFactory();
        var reader = factory.CreatePlainClient();
        using (var before = await reader.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        factory.Relay.Cut();

        using (var home = await reader.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, home.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), home.Headers.RetryAfter?.Delta);
            var page = await home.ReadDocumentAsync();
            Assert.Equal("Briefly unavailable", page.QuerySelector("h1")?.TextContent);
        }

        using (var feed = await reader.GetAsync("/feed.atom"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, feed.StatusCode);
        }

        using (var api = await reader.GetAsync("/api/v1/articles"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), api.Headers.RetryAfter?.Delta);
            Assert.Contains("The store did not answer", await api.Content.ReadAsStringAsync());
        }

        using (var ready = await reader.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("The store does not answer", await ready.Content.ReadAsStringAsync());
        }

        factory.Relay.Restore();

        // Connections the pool still holds from before the cut are found broken and dropped as they are tried.
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 25 && status != HttpStatusCode.OK; attempt++)
        {
            using var after = await reader.GetAsync("/");
            status = after.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [SqliteFact]
    public async Task WhileAnotherWriterHoldsTheStore_AnEditorsSaveKeepsTheirTextWithAnError_AndTheApiAnswers503()
    {
        await using var factory = new ShortWaitFactory();
        _ = factory.Server;
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var api = await factory.TokenClientAsync(Roles.Editor);
        var story = new Dictionary<string, string?>
        {
            ["Form.Title"] = "Harbour cranes idle as strike enters second week",
            ["Form.Body"] = "Dockworkers walked out on Monday.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Snippets",
            ["Form.Sources"] = "Anadolu Agency",
            ["Form.Status"] = "Draft",
        };

        using (var otherWriter = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            otherWriter.Open();
            using (var begin = otherWriter.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }

            using var save = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, save.StatusCode);
            var form = await save.ReadDocumentAsync();
            Assert.Contains("This was not saved: another writer is holding the store (most likely an import that is still running)", form.QuerySelector("main")?.TextContent);
            Assert.Equal("Harbour cranes idle as strike enters second week", form.QuerySelector("[name='Form.Title']")?.GetAttribute("value"));
            Assert.Equal("Dockworkers walked out on Monday.", form.QuerySelector("[name='Form.Body']")?.TextContent.Trim());

            using var created = await api.PostAsJsonAsync("/api/v1/articles", new
            {
                title = "Ferry crossings cancelled in the storm",
                body = "Crossings resume tomorrow.",
                publishedOn = "2026-03-01",
                language = "en",
                categories = new[] { "Snippets" },
                sources = new[] { "Anadolu Agency" },
                status = "Published",
            });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, created.StatusCode);
            Assert.Equal("application/problem+json", created.Content.Headers.ContentType?.MediaType);
            Assert.Contains("another writer is holding the store", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var again = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, factory.Store.Scalar("SELECT COUNT(*) FROM \"Articles\" WHERE \"Title\" = 'Harbour cranes idle as strike enters second week'"));
        Assert.Equal(0, factory.Store.Scalar("SELECT COUNT(*) FROM \"Articles\" WHERE \"Title\" = 'Ferry crossings cancelled in the storm'"));
    }

    [Fact]
    public async Task WhileAnImportHoldsAStory_SavingItIsAnsweredInTime_WithTheEditorsTextKept_AndTheApiAndBulkActionsSayWhy()
    {
        await using var factory = new ShortWaitFactory();
        _ = factory.Server;
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var api = await factory.TokenClientAsync(Roles.Editor);
        var ids = new List<int>();
        foreach (var title in (string[])["Grain convoy reaches the border", "Grain convoy turned back"])
        {
            using var created = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
            {
                ["Form.Title"] = title,
                ["Form.Body"] = "Trucks queued overnight.",
                ["Form.PublishedOn"] = "2026-03-01",
                ["Form.Language"] = "en",
                ["Form.Status"] = "Draft",
            }, "#article-form");
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            ids.Add(int.Parse(created.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture));
        }

        var held = ids[0];
        var edit = new Dictionary<string, string?> { ["Form.Body"] = "Trucks crossed at noon after a night at the gate." };
        // Due to note when the editor's browser was last seen.
        factory.Clock.Advance(BrowserSessions.TouchEvery);
        using (HoldLikeAnImport(factory.Store, $"""SELECT 1 FROM "Articles" WHERE "Id" = {held} FOR UPDATE"""))
        {
            // Reading needs no writer: the editor's pages and the API's lists open (a browser's or a token's last use,
            // noted by the way, is left for later).
            using var list = await editor.GetAsync("/admin");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var drafts = await api.GetAsync("/api/v1/articles?status=draft");
            Assert.Equal(HttpStatusCode.OK, drafts.StatusCode);

            // The request's own time (15 s) would answer 503 with nothing of the form: the save gives up first.
            using var save = await editor.SubmitFormAsync($"/admin/articles/edit/{held}", edit, "#article-form");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, save.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), save.Headers.RetryAfter?.Delta);
            var form = await save.ReadDocumentAsync();
            Assert.Contains("This was not saved: another writer is holding the store (most likely an import that is still running). Everything you typed is still here",
                form.QuerySelector("main")?.TextContent);
            Assert.Equal("Trucks crossed at noon after a night at the gate.", form.QuerySelector("[name='Form.Body']")?.TextContent.Trim());

            using var put = await api.PutAsJsonAsync("/api/v1/articles/grain-convoy-reaches-the-border", new { body = "Crossed.", version = 1 });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
            Assert.Contains("another writer is holding the store", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Each story would wait as long again: the held one and those after it are left, and the editor is told.
            using var bulk = await editor.SubmitFormAsync("/admin", new Dictionary<string, string?> { ["bulk"] = "Publish" }, "#bulk-form",
                formFields: ids.Select(id => new KeyValuePair<string, string>("ids", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.Equal(HttpStatusCode.Redirect, bulk.StatusCode);
            var notice = (await editor.GetDocumentAsync(bulk.Headers.Location!.OriginalString)).TextOf(".notice");
            Assert.Equal("Published 0 stories. “Grain convoy reaches the border” and the stories after it were left as they were: "
                + "another writer is holding the store (most likely an import that is still running). Try again once it has finished.", notice);
        }

        using var again = await editor.SubmitFormAsync($"/admin/articles/edit/{held}", edit, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, factory.Store.Scalar($"""SELECT COUNT(*) FROM "Articles" WHERE "Id" = {held} AND "Body" = 'Trucks crossed at noon after a night at the gate.' AND "Version" = 2"""));
        Assert.Equal(0, factory.Store.Scalar("""SELECT COUNT(*) FROM "Articles" WHERE "Status" = 'Published' AND "Title" LIKE 'Grain convoy%'"""));
    }

    [Fact]
    public async Task WhileAnImportHoldsANamesStories_MergingItSaysSo_AndChangesNothing()
    {
        await using var factory = new ShortWaitFactory();
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Puffin burrows counted").InCategory("Puffin Desk"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Puffin season opens").InCategory("Puffin Wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var page = await editor.GetDocumentAsync("/admin/categories");
        var fields = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)page.QuerySelector("form.merge-form")!);
        fields["fromId"] = await editor.NameIdAsync("categories", "Puffin Desk");
        fields["intoId"] = await editor.NameIdAsync("categories", "Puffin Wire");

        // An import that linked a story to a name holds the name's row from being locked until the import commits.
        using (HoldLikeAnImport(factory.Store, """SELECT 1 FROM "Categories" WHERE "Name" = 'Puffin Desk' FOR KEY SHARE"""))
        {
            using var merge = await editor.PostAsync("/admin/categories?handler=Merge",
                new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, merge.StatusCode);
            Assert.Contains("Nothing was changed: another writer is holding the store (most likely an import that is still running). Try again once it has finished.",
                (await merge.ReadDocumentAsync()).QuerySelector("main")?.TextContent);
        }

        Assert.Equal(2, factory.Store.Scalar("""SELECT COUNT(*) FROM "Categories" WHERE "Name" LIKE 'Puffin%'"""));
    }

    [Theory]
    [InlineData(5, 15, 5)]
    [InlineData(5, 4, 2)]
    [InlineData(5, 0.2, 0.1)]
    public void ASavesWaitForAnotherWriter_IsAtMostHalfTheRequestsOwnTime_SoAHeldSaveStillAnswersWithItsForm(double wait, double requestTime, double expected)
    {
        var portal = new NewsPortal.Web.Shared.PortalOptions { WriteWaitSeconds = wait, RequestTimeoutSeconds = requestTime };

        Assert.Equal(TimeSpan.FromSeconds(expected), portal.WriteWait);
    }
}
