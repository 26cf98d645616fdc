using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Corpus;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Import;
using Npgsql;

namespace NewsPortal.Tests.Cli;

/// <summary>The real binary, run as a user would: <c>NewsPortal.Web import …</c> and <c>export …</c>.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<TestStore> _stores = [];

    public CommandLineTests()
    {
        Database = NewStore();
    }

    private TestStore Database { get; }

    private TestStore NewStore()
    {
        var store = new TestStore(Path.Combine(_folder.Path, $"store{_stores.Count}"));
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _folder.Dispose();
    }

    private long Count(string sql) => Database.Scalar(sql);

    /// <summary>A PostgreSQL store nothing answers for.</summary>
    private static readonly KeyValuePair<string, string>[] Unreachable =
        [new("Database__Provider", "Postgres"), new("ConnectionStrings__NewsPortal", "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2")];

    [Fact]
    public async Task Import_OfAFolderWithAFileThatCannotBeOpened_ImportsTheRest_AndNamesThatFile()
    {
        _folder.Write("links/a-good.txt", Seed.Text);
        var loop = Path.Combine(_folder.Path, "links", "m-loop.jsonl");
        // A link to itself: listed in the folder, but opening it fails (as a file gone or unreadable would).
        File.CreateSymbolicLink(loop, loop);
        _folder.Write("links/z-good.jsonl", """{"title":"Read after the one that could not be","publishedOn":"2025-06-03","body":"Body."}""");

        var run = await PortalCommand.RunAsync(Database, "import", Path.Combine(_folder.Path, "links"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 imported", run.Output);
        Assert.Contains($"rejected {loop}:1: the file could not be read", run.Output);
        Assert.DoesNotContain("   at ", run.Output + run.Errors);
        Assert.Equal(2, Count("""SELECT COUNT(*) FROM "Articles" """));
    }

    [Fact]
    public async Task Import_OfAFolderWithABadFile_ImportsTheRestReportsFileAndLineAndExitsNonZero()
    {
        _folder.Write("in/good.txt", Seed.Text);
        _folder.Write("in/more/other.jsonl", """{"title":"From JSON Lines","publishedOn":"2025-06-03","body":"Body."}""");
        var bad = _folder.Write("in/bad.txt", "A title\n\nrki.news\n\nNo date anywhere.");

        var run = await PortalCommand.RunAsync(Database, "import", Path.Combine(_folder.Path, "in"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 imported, 0 updated, 0 unchanged duplicates, 3 new categories, 1 new sources, 1 file(s) rejected", run.Output);
        Assert.Contains($"rejected {bad}:5: no 'Published on' date before the story begins", run.Output);
        Assert.Equal(2, Count("""SELECT COUNT(*) FROM "Articles" """));
    }

    [Fact]
    public async Task Import_OfLargeFiles_RejectsTheBadOneWhole_AndKeepsTheFilesBeforeAndAfterIt()
    {
        // Files larger than a batch are written as they are read, each in a transaction of its own.
        static string Lines(string prefix, int count, string? last = null) => string.Join('\n', Enumerable.Range(1, count).Select(i =>
            i == count && last is not null ? last
            : $$"""{"title":"{{prefix}} {{i}}","publishedOn":"2025-06-02","body":"Body {{i}}.","categories":["{{prefix}} category"]}"""));
        _folder.Write("large/1-small.jsonl", Lines("Small before", 3));
        var bad = _folder.Write("large/2-bad.jsonl", Lines("Large bad", 250, """{"title":"Large bad last","publishedOn":"2025-06-31","body":"x"}"""));
        _folder.Write("large/3-good.jsonl", Lines("Large good", 250));

        var run = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", Path.Combine(_folder.Path, "large"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("253 imported, 0 updated, 0 unchanged duplicates, 2 new categories, 0 new sources, 1 file(s) rejected (250 stories not imported)", run.Output);
        Assert.Contains($"rejected {bad}:250: ", run.Output);
        Assert.Equal(0, Count("""SELECT COUNT(*) FROM "Articles" WHERE "Title" LIKE 'Large bad%'"""));
        Assert.Equal(0, Count("""SELECT COUNT(*) FROM "Categories" WHERE "Name" = 'Large bad category'"""));
        Assert.Equal(253, Count("""SELECT COUNT(*) FROM "Articles" """));
        Assert.Equal(250, Count("""SELECT "ArticleCount" FROM "Categories" WHERE "Name" = 'Large good category'"""));
    }

    [Fact]
    public async Task Import_StoppedBySigterm_SaysWhatItImported_AndKeepsEachFileWhole()
    {
        const int files = 40, perFile = 1_500;
        for (var f = 0; f < files; f++)
        {
            _folder.Write($"stopped/part-{f:D2}.jsonl", string.Join('\n', Enumerable.Range(1, perFile)
                .Select(i => $$"""{"title":"Stopped import, file {{f:D2}}, story {{i}}","publishedOn":"2025-06-02","body":"Body {{i}}."}""")));
        }

        using var import = PortalCommand.Start(Database, [new("Import__ProgressIntervalSeconds", "0.1")], "import", Path.Combine(_folder.Path, "stopped"));
        var output = new System.Text.StringBuilder();
        var progressed = new TaskCompletionSource();
        import.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data?.Contains("Import progress:", StringComparison.Ordinal) == true)
            {
                progressed.TrySetResult();
            }
        };
        import.BeginOutputReadLine();
        await progressed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await PortalCommand.TerminateAsync(import);
        await import.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var said = output.ToString();
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("Stopped before the end: the stories counted here were imported, each file whole", said);
        var imported = int.Parse(System.Text.RegularExpressions.Regex.Match(said, @"(\d+) imported, 0 updated").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stored = Count("""SELECT COUNT(*) FROM "Articles" WHERE "Title" LIKE 'Stopped import%'""");
        Assert.Equal(imported, stored);
        Assert.True(stored < files * perFile, "the import finished before it was stopped");
        Assert.Equal(0, Count($"""SELECT COUNT(*) FROM (SELECT substr("Title", 1, 23) AS f, COUNT(*) AS n FROM "Articles" WHERE "Title" LIKE 'Stopped import%' GROUP BY f) g WHERE n <> {perFile}"""));
    }

    [Fact]
    public async Task Import_OfTheLongestStories_RunsWithinItsHeapLimit()
    {
        // Forty stories at the body limit, 10 MB: held as one batch of forty, they need several times this limit.
        var body = string.Concat(Enumerable.Repeat("ceasefire talks resume ", 11_000));
        var lines = Enumerable.Range(1, 40).Select(i => $$"""{"title":"Longest story {{i}}","publishedOn":"2025-06-02","body":"{{body}}"}""");
        var file = _folder.Write("longest.jsonl", string.Join('\n', lines));

        var run = await PortalCommand.RunAsync(Database, [new("Import__CommandHeapMegabytes", "64")], "import", file);

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.Contains("Import heap limited to 64 MB", run.Output);
        Assert.Equal(40, Count("""SELECT COUNT(*) FROM "Articles" WHERE "Title" LIKE 'Longest story%'"""));
    }

    [Fact]
    public async Task Import_OfOneFileOfManyStories_RunsWithinItsHeapLimit()
    {
        // A file is all or nothing, so what it wrote is remembered until it commits: as counts, not a list of its stories
        // (a list of their slugs and headlines alone would be about 50 MB here). The limit leaves room for what
        // PostgreSQL's client keeps after start-up, about 30 MB of it, on a busy machine (48 MB failed one run in 13).
        var headline = string.Join(' ', Enumerable.Repeat("with a headline of the greatest length a wire story takes", 3));
        var lines = Enumerable.Range(1, 80_000).Select(i => $$"""{"title":"Many stories, number {{i}}, {{headline}}","publishedOn":"2025-06-02","body":"Body {{i}}."}""");
        var file = _folder.Write("many.jsonl", string.Join('\n', lines));

        var run = await PortalCommand.RunAsync(Database, [new("Import__CommandHeapMegabytes", "64")], "import", file);

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.Contains("80000 imported", run.Output);
    }

    [Fact]
    public async Task Import_KeepsEveryCount_EqualToTheStoriesItCounts()
    {
        // The importer adds each batch's counts at once, where the store's triggers would add them story by story.
        CorpusConverter.Write(Path.Combine(_folder.Path, "corpus"));
        var part = _folder.Write("counts/part.jsonl", string.Join('\n', File.ReadLines(Path.Combine(_folder.Path, "corpus", "current-events.jsonl")).Take(1_200)));

        var run = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", part);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1_200, Count("""SELECT "ArticleCount" FROM "ListingCounts" WHERE "Key" = 'all'"""));
        Assert.True(Count("""SELECT count(*) FROM "Threads" WHERE "ArticleCount" > 1""") > 10);
        AssertEveryCountEqualsTheStoriesItCounts();
    }

    [Fact]
    public async Task ImportedAgainWithMovedDatesAndLanguages_EveryCountStillEqualsTheStoriesItCounts()
    {
        // Each story's dates move (into the next month for about two in three), every fifth changes language: the
        // store's triggers move its counts from what it left to what it joined, and only those.
        var stories = CorpusStories();
        var first = WriteJsonLines("moves/first.jsonl", stories);
        var moved = WriteJsonLines("moves/moved.jsonl", stories.Select((story, i) => story with
        {
            PublishedOn = story.PublishedOn.AddDays(20),
            Language = i % 5 == 0 ? "fr" : story.Language,
        }));

        var imported = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", first);
        var all = AllStoriesRowVersion();
        var again = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", moved);

        Assert.Equal((0, 0), (imported.ExitCode, again.ExitCode));
        Assert.Contains("0 imported, 1200 updated", again.Output);
        Assert.Equal(1_200, Count("""SELECT "ArticleCount" FROM "ListingCounts" WHERE "Key" = 'all'"""));
        Assert.Equal(240, Count("""SELECT "ArticleCount" FROM "ListingCounts" WHERE "Key" = 'language:fr'"""));
        Assert.True(Count("""SELECT count(*) FROM "Threads" WHERE "ArticleCount" > 1""") > 10);
        AssertEveryCountEqualsTheStoriesItCounts();
        // Not one of the moves rewrote the count of all stories, which none of them changed: PostgreSQL keeps every
        // version of a row its transaction rewrites and walks them all, so 25,000 moves in a file took minutes.
        Assert.Equal(all, AllStoriesRowVersion());
    }

    [Fact]
    public async Task ImportedAgainTakenDownRethreadedAndRecategorised_EveryCountStillEqualsTheStoriesItCounts()
    {
        // Two stories in three are taken down, every fourth joins another thread and every fifth another category: each
        // count the store keeps follows, and on PostgreSQL no count's row is rewritten more than once a batch of 100.
        var stories = CorpusStories();
        var first = WriteJsonLines("changes/first.jsonl", stories);
        var changed = WriteJsonLines("changes/changed.jsonl", stories.Select((story, i) => story with
        {
            Status = i % 3 == 0 ? ArticleStatus.Published : ArticleStatus.Draft,
            Thread = i % 4 == 0 ? "Another thread" : story.Thread,
            Categories = i % 5 == 0 ? ["Another category"] : story.Categories,
        }));

        var imported = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", first);
        NoteEveryCountWritten();
        var again = await PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", changed);

        Assert.Equal((0, 0), (imported.ExitCode, again.ExitCode));
        Assert.Contains("0 imported, 1200 updated", again.Output);
        Assert.Equal(400, Count("""SELECT "ArticleCount" FROM "ListingCounts" WHERE "Key" = 'all'"""));
        Assert.Equal(100, Count("""SELECT "ArticleCount" FROM "Threads" WHERE "Name" = 'Another thread'"""));
        Assert.Equal(80, Count("""SELECT "ArticleCount" FROM "Categories" WHERE "Name" = 'Another category'"""));
        AssertEveryCountEqualsTheStoriesItCounts();
        if (TestStore.IsPostgres)
        {
            // PostgreSQL keeps every version of a row its transaction rewrites and walks them all (a file is one
            // transaction), so counts rewritten once a story made a file of 50,000 take minutes.
            Assert.InRange(Count("""SELECT count(*) FROM test_count_writes WHERE "Row" = 'ListingCounts all'"""), 1, 12);
            Assert.InRange(Count("""SELECT max(writes) FROM (SELECT count(*) AS writes FROM test_count_writes GROUP BY "Row") AS each"""), 1, 12);
        }
    }

    [PostgresFact]
    public async Task AnImportPartWayThroughAFile_HoldsNoCount_SoAStoryTakenDownMeanwhileIsNotKeptWaiting()
    {
        // An import that held the count of all stories from its first batch on, then waited for a story an editor was
        // publishing (whose save waited for that count), deadlocked: PostgreSQL refused one of them, and the file with it.
        var stories = CorpusStories();
        var imported = await PortalCommand.RunAsync(Database, "import", WriteJsonLines("wait/first.jsonl", stories));
        var drafts = WriteJsonLines("wait/drafts.jsonl", stories.Take(1_000).Select(story => story with { Status = ArticleStatus.Draft }));
        var (inLastBatch, notInFile) = (Count("""SELECT "Id" FROM "Articles" ORDER BY "Id" OFFSET 950 LIMIT 1"""), Count("""SELECT max("Id") FROM "Articles" """));

        // The import is held at its tenth batch of 100 by the row of one of its stories, which the test takes first.
        await using var holder = new NpgsqlConnection(Database.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await new NpgsqlCommand($"""SELECT 1 FROM "Articles" WHERE "Id" = {inLastBatch} FOR UPDATE""", holder, hold).ExecuteNonQueryAsync();
        var again = PortalCommand.RunAsync(Database, [new("Import__BatchSize", "100")], "import", drafts);
        while (Count("""SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'""") == 0)
        {
            Assert.False(again.IsCompleted, "The import ended before it reached the story held.");
            await Task.Delay(50);
        }

        // Nine batches in, a story the file does not name is taken down: it waits for nothing the import holds.
        await using (var editor = new NpgsqlConnection(Database.ConnectionString))
        {
            await editor.OpenAsync();
            await new NpgsqlCommand("SET statement_timeout = '30s'", editor).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"""UPDATE "Articles" SET "Status" = 'Draft', "Listed" = false WHERE "Id" = {notInFile}""", editor).ExecuteNonQueryAsync();
        }

        await hold.RollbackAsync();
        var result = await again;

        Assert.Equal((0, 0), (imported.ExitCode, result.ExitCode));
        Assert.Contains("0 imported, 1000 updated", result.Output);
        Assert.Equal(199, Count("""SELECT "ArticleCount" FROM "ListingCounts" WHERE "Key" = 'all'"""));
        AssertEveryCountEqualsTheStoriesItCounts();
    }

    /// <summary>On PostgreSQL, notes in <c>test_count_writes</c> each rewrite of a row of counts from now on.</summary>
    private void NoteEveryCountWritten()
    {
        if (!TestStore.IsPostgres)
        {
            return;
        }

        Count("""
            CREATE TABLE test_count_writes ("Row" text NOT NULL);
            CREATE FUNCTION test_note_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO test_count_writes VALUES (TG_TABLE_NAME || ' ' || coalesce(to_jsonb(NEW)->>'Key', to_jsonb(NEW)->>'Id'));
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_note AFTER UPDATE ON "ListingCounts" FOR EACH ROW EXECUTE FUNCTION test_note_count_write();
            CREATE TRIGGER test_note AFTER UPDATE ON "Categories" FOR EACH ROW EXECUTE FUNCTION test_note_count_write();
            CREATE TRIGGER test_note AFTER UPDATE ON "Sources" FOR EACH ROW EXECUTE FUNCTION test_note_count_write();
            CREATE TRIGGER test_note AFTER UPDATE ON "Threads" FOR EACH ROW EXECUTE FUNCTION test_note_count_write();
            SELECT 0;
            """);
    }

    [PostgresFact]
    public async Task AStoryMovedWithinItsThread_LeavesTheThreadAsItWas_WhenItNeitherWasNorBecomesItsLatest()
    {
        var stories = CorpusStories();
        // The oldest story of each thread whose next is two days or more later, moved a day on: still not its latest.
        var moved = stories.Where(s => s.Thread is not null).GroupBy(s => s.Thread)
            .Select(thread => thread.OrderBy(s => s.PublishedOn).ToList())
            .Where(thread => thread.Count > 1 && thread[1].PublishedOn > thread[0].PublishedOn.AddDays(1))
            .Select(thread => thread[0] with { PublishedOn = thread[0].PublishedOn.AddDays(1) }).ToList();

        var imported = await PortalCommand.RunAsync(Database, "import", WriteJsonLines("threads/first.jsonl", stories));
        var lastWritten = Count("""SELECT max("xmin"::text::bigint) FROM "Threads" """);
        var again = await PortalCommand.RunAsync(Database, "import", WriteJsonLines("threads/moved.jsonl", moved));

        Assert.Equal((0, 0), (imported.ExitCode, again.ExitCode));
        Assert.True(moved.Count > 10, $"Only {moved.Count} stories to move.");
        Assert.Contains($"0 imported, {moved.Count} updated", again.Output);
        Assert.Equal(lastWritten, Count("""SELECT max("xmin"::text::bigint) FROM "Threads" """));
        AssertEveryCountEqualsTheStoriesItCounts();
    }

    /// <summary>The corpus's first 1,200 stories: every kind of count, and threads of two stories or more.</summary>
    private static List<SnippetDocument> CorpusStories() => CorpusConverter.CurrentEvents(CorpusFiles.CurrentEvents).Take(1_200).ToList();

    private string WriteJsonLines(string name, IEnumerable<SnippetDocument> stories) => _folder.Write(name, string.Join('\n', stories.Select(JsonLines.Write)));

    /// <summary>The transaction that last wrote the count of all stories, on PostgreSQL (SQLite keeps no row versions).</summary>
    private long? AllStoriesRowVersion() => TestStore.IsPostgres
        ? Count("""SELECT "xmin"::text::bigint FROM "ListingCounts" WHERE "Key" = 'all'""")
        : null;

    private void AssertEveryCountEqualsTheStoriesItCounts()
    {
        Assert.Equal(0, Count("""
            SELECT count(*) FROM "ListingCounts" k
            WHERE k."ArticleCount" <> (SELECT count(*) FROM "Articles" a WHERE a."Listed" AND (k."Key" = 'all'
                OR 'language:' || lower(a."Language") = k."Key" OR k."Key" = 'month:' || {0}))
            """.Replace("{0}", TestStore.IsPostgres ? """to_char(a."PublishedOn", 'YYYY-MM')""" : """substr(a."PublishedOn", 1, 7)""", StringComparison.Ordinal)));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM "Categories" c
            WHERE c."ArticleCount" <> (SELECT count(*) FROM "ArticleCategories" l WHERE l."CategoriesId" = c."Id" AND l."Listed")
            """));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM "Sources" s
            WHERE s."ArticleCount" <> (SELECT count(*) FROM "ArticleSources" l WHERE l."SourcesId" = s."Id" AND l."Listed")
            """));
        Assert.Equal(0, Count("""
            SELECT count(*) FROM "Threads" t
            WHERE t."ArticleCount" <> (SELECT count(*) FROM "Articles" a WHERE a."ThreadId" = t."Id" AND a."Listed")
                OR t."LatestSortKey" IS DISTINCT FROM (SELECT max(a."SortKey") FROM "Articles" a WHERE a."ThreadId" = t."Id" AND a."Listed")
            """));
    }

    [Fact]
    public async Task ImportTwice_SecondRunReportsUnchangedAndExitsZero()
    {
        var file = _folder.Write("seed.txt", Seed.Text);

        var first = await PortalCommand.RunAsync(Database, "import", file);
        var second = await PortalCommand.RunAsync(Database, "import", file);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("1 imported", first.Output);
        Assert.Contains("0 imported, 0 updated, 1 unchanged duplicates", second.Output);
        Assert.Equal(1, Count("""SELECT COUNT(*) FROM "Articles" """));
    }

    [Fact]
    public async Task DryRun_ReportsTheSameButWritesNothing()
    {
        var file = _folder.Write("seed.txt", Seed.Text);

        var run = await PortalCommand.RunAsync(Database, "import", file, "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Dry run (nothing written): 1 file(s)", run.Output);
        Assert.Contains("1 imported", run.Output);
        Assert.Equal(0, Count("""SELECT COUNT(*) FROM "Articles" """));
    }

    [Fact]
    public async Task ExportThenImportElsewhere_CarriesEveryArticleAcross()
    {
        await PortalCommand.RunAsync(Database, "import", _folder.Write("seed.txt", Seed.Text));
        var exportDir = Path.Combine(_folder.Path, "out");

        var export = await PortalCommand.RunAsync(Database, "export", "--format", "jsonl", "--out", exportDir);
        var import = await PortalCommand.RunAsync(NewStore(), "import", exportDir);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("Exported 1 articles", export.Output);
        Assert.Contains("\"title\":\"Russia, Ukraine resume peace talks in Istanbul after three years\"", File.ReadAllText(Path.Combine(exportDir, "articles.jsonl")));
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("1 imported", import.Output);
    }

    [Fact]
    public async Task ExportEverything_SealsTheSecretsWithAPassphraseOfTwelveCharactersOrMore_AndTheImportOpensThemWithIt()
    {
        const string secret = "subscriber-secret-0123456789abcdef";
        Database.Scalar($"""INSERT INTO "WebhookSubscriptions" ("Url", "Secret", "Active", "CreatedBy", "CreatedAtUtc") VALUES ('https://hooks.example.org/cli', '{secret}', true, 'admin', '2026-01-01 00:00:00') RETURNING "Id" """);
        var (refusedDir, moveDir) = (Path.Combine(_folder.Path, "refused"), Path.Combine(_folder.Path, "move"));
        var target = NewStore();

        var refused = await PortalCommand.RunAsync(Database, [new("NEWSPORTAL_MOVE_PASSPHRASE", "too short")], "export", "--format", "jsonl", "--out", refusedDir, "--everything");
        var export = await PortalCommand.RunAsync(Database, [new("NEWSPORTAL_MOVE_PASSPHRASE", "harbour lights at dawn")], "export", "--format", "jsonl", "--out", moveDir, "--everything");
        var wrong = await PortalCommand.RunAsync(target, [new("NEWSPORTAL_MOVE_PASSPHRASE", "another passphrase")], "import", moveDir);
        var right = await PortalCommand.RunAsync(target, [new("NEWSPORTAL_MOVE_PASSPHRASE", "harbour lights at dawn")], "import", moveDir);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("a passphrase of at least 12 characters, given in NEWSPORTAL_MOVE_PASSPHRASE or typed when asked", refused.Output);
        Assert.False(Directory.Exists(refusedDir));
        Assert.Equal(0, export.ExitCode);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(moveDir, "webhooks.jsonl")), StringComparison.Ordinal);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("webhooks.jsonl:1: the webhook 'https://hooks.example.org/cli' was not kept: its signing secret does not open with the passphrase given", wrong.Output);
        Assert.Equal(0, right.ExitCode);
        Assert.Equal(1, target.Scalar("""SELECT count(*) FROM "WebhookSubscriptions" """));
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import", "--verbose", "x")]
    [InlineData("export", "--format", "xml", "--out", "x")]
    [InlineData("export", "--format", "jsonl")]
    [InlineData("export", "--format", "snippets", "--out", "x", "--everything")]
    [InlineData("export", "--format", "jsonl", "--out", "--everything")]
    [InlineData("export", "--format", "jsonl", "--out", "x", "--evrything")]
    [InlineData("backup", "--out", "x.db", "--force")]
    [InlineData("imprt", "stories.jsonl")]
    [InlineData("users", "add", "--email", "a@example.org")]
    [InlineData("users", "two-step-off")]
    [InlineData("users", "two-step-off", "--email", "a@example.org", "--force")]
    [InlineData("users", "remove", "--email", "a@example.org")]
    [InlineData("restore", "--force")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("--help", "import")]
    public async Task BadArgumentsAndHelp_AreAnsweredWithTheUsage_BeforeTheStoreIsOpened(params string[] args)
    {
        // A store that cannot be reached: a typo is answered without it, and never migrates a store.
        var run = await PortalCommand.RunAsync(Path.Combine(_folder.Path, "unused.db"), Unreachable, args);

        Assert.Equal(args[0] is "-h" or "help" or "--help" ? 0 : 2, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.DoesNotContain("Exception", run.Output + run.Errors);
        // Nothing was written where a misread option would have put it.
        Assert.False(Directory.Exists(Path.Combine(PortalCommand.AppDirectory, "--everything")));
    }

    [Fact]
    public async Task AMisspeltCommand_IsNamed_AndStartsNoSite()
    {
        var run = await PortalCommand.RunAsync(Path.Combine(_folder.Path, "untouched.db"), "imprt", "stories.jsonl");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown command 'imprt'.", run.Output);
        Assert.DoesNotContain("Now listening", run.Output);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "untouched.db")));
    }

    [Fact]
    public async Task AnExportThatCannotWriteItsFolder_SaysSoInOneLine()
    {
        var notAFolder = _folder.Write("plain-file.txt", "I am a file.");

        var run = await PortalCommand.RunAsync(Database, "export", "--format", "jsonl", "--out", notAFolder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Could not write to {notAFolder}", run.Output);
        Assert.DoesNotContain("   at ", run.Output + run.Errors);
    }

    [Fact]
    public async Task LongImport_ReportsProgressPartWayWithRateAndEta()
    {
        CorpusConverter.Write(Path.Combine(_folder.Path, "corpus"));

        var run = await PortalCommand.RunAsync(Database, [new("Import__ProgressIntervalSeconds", "0.1"), new("Import__BatchSize", "100")],
            "import", Path.Combine(_folder.Path, "corpus", "current-events.jsonl"));

        Assert.Equal(0, run.ExitCode);
        var reports = Regex.Matches(run.Output, @"Import progress: (\d+)/1 files, (\d+) stories, (\d+) stories/s, (\d+)% done, ETA (\d+) s")
            .Select(m => (Stories: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Percent: int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .ToList();
        // At least one report part-way, with a share done and a time left, before the file is finished.
        Assert.Contains(reports, r => r.Stories is > 0 and < 10_252 && r.Percent is > 0 and < 100);
    }

    [Fact]
    public async Task ImportOfSmallFiles_EndsItsProgressWithEveryStoryCounted()
    {
        // Small files are written together after the last is read: the last report came before that write ("1/1
        // files, 0 stories, 100% done" when the seed was loaded).
        for (var i = 1; i <= 3; i++)
        {
            _folder.Write($"small/story-{i}.jsonl", $$"""{"title":"Small file {{i}}","publishedOn":"2025-06-0{{i}}","body":"Body."}""");
        }

        var run = await PortalCommand.RunAsync(Database, "import", Path.Combine(_folder.Path, "small"));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Import progress: 3/3 files, 3 stories, \d+ stories/s, 100% done", run.Output.Split('\n').Last(l => l.Contains("Import progress", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ImportKilledPartWay_LeavesNoHalfWrittenFile()
    {
        CorpusConverter.Write(Path.Combine(_folder.Path, "corpus"));
        using var process = PortalCommand.Start(Database, "import", Path.Combine(_folder.Path, "corpus", "current-events.jsonl"));

        // Kill it as soon as it reports writing stories, well before the 10,252-line file is done.
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.Contains("Import progress", StringComparison.Ordinal))
        {
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        Assert.NotNull(line);
        Assert.Equal(0, Count("""SELECT COUNT(*) FROM "Articles" """));
        Assert.Equal(0, Count("""SELECT COUNT(*) FROM "Sources" """));
    }
}

public sealed class UsersCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public UsersCommandTests()
    {
        _store = new TestStore(Path.Combine(_folder.Path, "users"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task UsersAdd_CreatesAnAdminWhoCanSignIn()
    {
        var run = await PortalCommand.RunAsync(_store, "users", "add", "--email", "cli.admin@example.org", "--role", "admin", "--password", "a password from the cli");
        using var factory = new OtherNodeFactory(_store);
        var client = factory.CreatePlainClient();
        using var signIn = await client.SignInAsync("cli.admin@example.org", "a password from the cli");
        using var users = await client.GetAsync("/admin/users");
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync("cli.admin@example.org"))!.PasswordHash!;

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Added Admin cli.admin@example.org.", run.Output);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, users.StatusCode);
        // Hashed as the framework hashes by default (its third format, PBKDF2 at 100,000 rounds), though the tests' own
        // sites use fewer rounds to save CPU.
        var hash = Convert.FromBase64String(stored);
        Assert.Equal(1, hash[0]);
        Assert.Equal(new PasswordHasherOptions().IterationCount, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4)));
        Assert.True(new PasswordHasherOptions().IterationCount >= 100_000);
    }

    [Fact]
    public async Task UsersAdd_AtATerminal_AsksForThePassword_AndDoesNotShowItAsItIsTyped()
    {
        using var terminal = PortalCommand.StartAtTerminal(_store, "users", "add", "--email", "tty.editor@example.org", "--role", "Editor");
        var shown = new System.Text.StringBuilder();
        var buffer = new char[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!shown.ToString().Contains("Password:", StringComparison.Ordinal))
        {
            var read = await terminal.StandardOutput.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"the command ended without asking for a password: {shown}");
            shown.Append(buffer, 0, read);
        }

        // Typed as a person types, a slip corrected with the backspace key (DEL, as terminals send it).
        await terminal.StandardInput.WriteAsync("a password typed at a terminaX\u007fl\r");
        // Closed, or script waits for more after the command has ended.
        terminal.StandardInput.Close();
        shown.Append(await terminal.StandardOutput.ReadToEndAsync(timeout.Token));
        await terminal.WaitForExitAsync(timeout.Token);
        using var factory = new OtherNodeFactory(_store);
        using var signIn = await factory.CreatePlainClient().SignInAsync("tty.editor@example.org", "a password typed at a terminal");

        Assert.Equal(0, terminal.ExitCode);
        Assert.Contains("Added Editor tty.editor@example.org.", shown.ToString());
        Assert.DoesNotContain("typed at a termina", shown.ToString());
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task UsersTwoStepOff_LetsAnAdminWhoLostPhoneAndCodes_SignInWithThePasswordAgain()
    {
        Assert.Equal(0, (await PortalCommand.RunAsync(_store, "users", "add", "--email", "lone.admin@example.org", "--role", "Admin", "--password", "the lone admin's password")).ExitCode);
        using var factory = new OtherNodeFactory(_store);
        await factory.TurnOnTwoStepAsync("lone.admin@example.org");

        using var before = await factory.CreatePlainClient().SignInAsync("lone.admin@example.org", "the lone admin's password");
        var off = await PortalCommand.RunAsync(_store, "users", "two-step-off", "--email", "lone.admin@example.org");
        var nobody = await PortalCommand.RunAsync(_store, "users", "two-step-off", "--email", "nobody@example.org");
        using var after = await factory.CreatePlainClient().SignInAsync("lone.admin@example.org", "the lone admin's password");

        Assert.StartsWith("/account/two-step", before.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, off.ExitCode);
        Assert.Contains("Two-step sign-in is off for lone.admin@example.org", off.Output);
        Assert.Equal("/admin", after.Headers.Location!.OriginalString);
        Assert.Equal(1, nobody.ExitCode);
        Assert.Contains("There is no account for 'nobody@example.org'.", nobody.Output);
    }

    [OwnKeyRingFact]
    public async Task ACommandRunAfterAnUpgrade_EncryptsAppsKeysStoredAsTheyWere_WithTheSitesOwnKeys_SoTheSiteStillTakesTheirCodes()
    {
        using var factory = new OtherNodeFactory(_store);
        var email = await factory.CreateUserAsync(Roles.Editor);
        var (key, _) = await factory.TurnOnTwoStepAsync(email);
        // As a version before keys were encrypted stored it.
        await factory.StoreTokenAsync(email, AuthenticatorKeys.TokenName, key);

        var run = await PortalCommand.RunAsync(_store, "users", "add", "--email", "after.upgrade@example.org", "--role", "Editor", "--password", "a password after the upgrade");
        var stored = await factory.StoredTokenAsync(email, AuthenticatorKeys.TokenName);
        var browser = factory.CreatePlainClient();
        using var password = await browser.SignInAsync(email, EditorialFactory.Password);
        using var code = await browser.SubmitFormAsync("/account/two-step?ReturnUrl=%2Fadmin", new Dictionary<string, string?> { ["Code"] = Shared.AuthenticatorApp.Code(key) });

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(key, stored.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.StartsWith("/account/two-step", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/admin", code.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UsersAdd_WithAWeakPasswordOrUnknownRole_FailsWithTheReason()
    {
        var weak = await PortalCommand.RunAsync(_store, "users", "add", "--email", "x@example.org", "--role", "Editor", "--password", "short");
        var role = await PortalCommand.RunAsync(_store, "users", "add", "--email", "y@example.org", "--role", "Owner", "--password", "a long enough password");

        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("at least 10 characters", weak.Output);
        Assert.Equal(1, role.ExitCode);
        Assert.Contains("The role must be Admin or Editor.", role.Output);
    }
}
