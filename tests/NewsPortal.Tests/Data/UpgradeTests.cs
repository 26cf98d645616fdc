using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Data;

/// <summary>A store written by the release before listings kept their own keys, upgraded by the app's migrations.</summary>
public sealed class UpgradeTests : IDisposable
{
    private const string PreviousRelease = "20261129121527_ApiTokensAndWebhooks";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private NewsDbContext Context() => new(new DbContextOptionsBuilder<NewsDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_folder.Path, "store.db")}")
        .AddInterceptors(new SqliteConnectionSetup())
        .Options);

    [Fact]
    public async Task UpgradingAnOlderStore_GivesEveryStoryTheKeysCountsAndTextTheAppWouldHaveWritten()
    {
        await using (var old = Context())
        {
            await DatabaseInitializer.MigrateAsync(old, PreviousRelease);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Categories" ("Id", "Name", "NameKey", "Slug") VALUES (1, 'Business', 'business', 'business'), (2, 'Weather', 'weather', 'weather');
                INSERT INTO "Sources" ("Id", "Name", "NameKey", "Slug") VALUES (1, 'Reuters', 'reuters', 'reuters');
                INSERT INTO "Articles" ("Id", "Title", "Slug", "Body", "Lede", "PublishedOn", "DocumentDate", "Language", "Site", "OriginalUrl",
                    "CreatedAtUtc", "UpdatedAtUtc", "Status", "Version", "PublishAtUtc", "DeletedAtUtc") VALUES
                    (1, 'Markets rise', 'markets-rise', 'Shares **rose** on [Monday](https://example.org/monday).', 'Shares rose on Monday.', '2025-06-02',
                        '2025-06-02 08:51:11', 'en', 'rki.news', 'https://rki.news/1', '2025-06-02 09:00:00', '2025-06-02 09:00:00', 'Published', 1, '2025-06-02 09:00:00', NULL),
                    (2, 'Storm warning', 'storm-warning', 'Snow is coming.', 'Snow is coming.', '2025-06-03', NULL, 'TR', NULL, NULL,
                        '2025-06-03 09:00:00', '2025-06-03 09:00:00', 'Published', 1, NULL, NULL),
                    (3, 'Withdrawn story', 'withdrawn-story', 'Gone.', 'Gone.', '2025-07-01', NULL, 'en', NULL, NULL,
                        '2025-07-01 09:00:00', '2025-07-01 09:00:00', 'Published', 1, '2025-07-01 09:00:00', '2025-07-02 09:00:00'),
                    (4, 'Draft story', 'draft-story', 'Not yet.', 'Not yet.', '2025-07-01', NULL, 'en', NULL, NULL,
                        '2025-07-01 09:00:00', '2025-07-01 09:00:00', 'Draft', 1, NULL, NULL);
                INSERT INTO "ArticleCategories" ("ArticlesId", "CategoriesId") VALUES (1, 1), (2, 2), (3, 1), (4, 1);
                INSERT INTO "ArticleSources" ("ArticlesId", "SourcesId") VALUES (1, 1), (2, 1), (3, 1);
                """);
        }

        await using var upgraded = Context();
        await DatabaseInitializer.MigrateAsync(upgraded);

        var markdown = new MarkdownRenderer();
        var articles = await upgraded.Articles.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.All(articles, a =>
        {
            Assert.Equal(ListingOrder.KeyOf(a.PublishedOn, a.DocumentDate), a.SortKey);
            Assert.Equal(MatchKeys.ForTitle(a.Title, a.DocumentDate, a.PublishedOn), a.TitleKey);
            Assert.Equal(MatchKeys.ForUrl(a.Site, a.OriginalUrl), a.UrlKey);
            Assert.Equal(markdown.PlainText(a.Body), a.BodyText);
        });
        Assert.Equal([true, true, false, false], articles.Select(a => a.Listed));
        Assert.Equal("Shares rose on Monday.", articles[0].BodyText);
        Assert.Equal(new DateTime(2025, 6, 3, 9, 0, 0), articles[1].PublishAtUtc);
        Assert.Equal(
            [("all", 2), ("language:en", 1), ("language:tr", 1), ("month:2025-06", 2)],
            (await upgraded.ListingCounts.AsNoTracking().Where(c => c.ArticleCount > 0).OrderBy(c => c.Key).ToListAsync()).Select(c => (c.Key, c.ArticleCount)));
        Assert.Equal([1, 1], await upgraded.Categories.OrderBy(c => c.Id).Select(c => c.ArticleCount).ToListAsync());
        Assert.Equal([2], await upgraded.Sources.Select(s => s.ArticleCount).ToListAsync());
        Assert.Equal(0, await upgraded.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM "ArticleCategories" WHERE "SortKey" IS NULL""").SingleAsync());
        Assert.Equal(2, await upgraded.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM "ArticleCategories" WHERE "Listed" = 1""").SingleAsync());
        Assert.Equal(1, await upgraded.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH 'monday'""").SingleAsync());
        Assert.Equal(0, await upgraded.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH 'example'""").SingleAsync());
    }

    [Fact]
    public Task UpgradingAStoreWithOneWebhookAddressStoredTwice_KeepsOneSubscription_AndItsDeliveriesOnly()
        => UpgradeWithOneWebhookAddressStoredTwiceAsync(Context, "20261201121129_ThreadAliases");

    [PostgresFact]
    public async Task UpgradingAPostgresStoreWithOneWebhookAddressStoredTwice_KeepsOneSubscription_AndItsDeliveriesOnly()
    {
        using var store = new TestStore(_folder.Path, migrated: false);
        await UpgradeWithOneWebhookAddressStoredTwiceAsync(
            () => new PostgresNewsDbContext(new DbContextOptionsBuilder<PostgresNewsDbContext>().UseNpgsql(store.ConnectionString).Options),
            "20261201153412_MergesRecount",
            // Ids given by hand leave the identity where it was: a new row would clash on its key, not on its address.
            """SELECT setval(pg_get_serial_sequence('"WebhookSubscriptions"', 'Id'), 3)""");
    }

    private static async Task UpgradeWithOneWebhookAddressStoredTwiceAsync(Func<NewsDbContext> context, string lastMigrationBefore, string? thenSql = null)
    {
        await using (var old = context())
        {
            await DatabaseInitializer.MigrateAsync(old, lastMigrationBefore);
            // Two admins added one address at once, before the lock: the later, active copy sent each event a second time.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO "WebhookSubscriptions" ("Id", "Url", "Secret", "Active", "CreatedBy", "CreatedAtUtc") VALUES
                    (1, 'https://203.0.113.10/hook', 'first', FALSE, 'a@example.org', '2026-11-30 10:00:00'),
                    (2, 'https://203.0.113.10/hook', 'second', TRUE, 'b@example.org', '2026-11-30 10:00:00'),
                    (3, 'https://203.0.113.20/other', 'third', TRUE, 'a@example.org', '2026-11-30 11:00:00');
                INSERT INTO "WebhookDeliveries" ("Id", "SubscriptionId", "Event", "Payload", "State", "Attempts", "CreatedAtUtc", "NextAttemptAtUtc") VALUES
                    (1, 1, 'article.published', 'x', 'Pending', 0, '2026-11-30 12:00:00', '2026-11-30 12:00:00'),
                    (2, 2, 'article.published', 'x', 'Pending', 0, '2026-11-30 12:00:00', '2026-11-30 12:00:00'),
                    (3, 3, 'article.published', 'x', 'Pending', 0, '2026-11-30 12:00:00', '2026-11-30 12:00:00');
                """);
            if (thenSql is not null)
            {
                await old.Database.ExecuteSqlRawAsync(thenSql);
            }
        }

        await using var upgraded = context();
        await DatabaseInitializer.MigrateAsync(upgraded);

        // The first copy stays, with its secret, and sends while any copy did; the second copy's queued events go with it.
        Assert.Equal([(1, "first", true), (3, "third", true)],
            (await upgraded.WebhookSubscriptions.OrderBy(w => w.Id).ToListAsync()).Select(w => (w.Id, w.Secret, w.Active)));
        Assert.Equal([1L, 3L], await upgraded.WebhookDeliveries.OrderBy(d => d.Id).Select(d => d.SubscriptionId).Select(i => (long)i).ToListAsync());
        upgraded.WebhookSubscriptions.Add(new NewsPortal.Web.Webhooks.WebhookSubscription { Url = "https://203.0.113.20/other", Secret = "x", CreatedBy = "c@example.org" });
        Assert.True(StoreDialect.IsDuplicateKey(await Assert.ThrowsAsync<DbUpdateException>(() => upgraded.SaveChangesAsync())));
        upgraded.ChangeTracker.Clear();
        upgraded.WebhookSubscriptions.Add(new NewsPortal.Web.Webhooks.WebhookSubscription { Url = "https://203.0.113.30/new", Secret = "y", CreatedBy = "c@example.org" });
        await upgraded.SaveChangesAsync();
    }

    [Fact]
    public async Task AStatementStops_WhenItsCallerCancels()
    {
        await using var db = Context();
        await DatabaseInitializer.MigrateAsync(db);
        await using var cancelling = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder.Path, "store.db")}")
            .AddInterceptors(new SqliteCancellation())
            .Options);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // A statement that never ends by itself: only an interrupt stops it.
        var endless = Task.Run(() => cancelling.Database
            .SqlQueryRaw<long>("""WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS "Value" FROM c""")
            .ToListAsync(cancel.Token));
        var finished = await Task.WhenAny(endless, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(endless, finished);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => endless);
        Assert.True(SqliteCancellation.IsInterruption(error) || error is OperationCanceledException, error.ToString());
    }
}
