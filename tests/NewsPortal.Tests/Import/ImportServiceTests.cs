using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Import;

public sealed class ImportServiceTests(EmptyNewsPortalFactory factory) : IClassFixture<EmptyNewsPortalFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    private Task<int> CountAsync(string titleStart)
        => factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title.StartsWith(titleStart)));

    [Fact]
    public async Task AStoryMarkdigCannotRender_IsRejectedByFileAndLine_AndTheImportGoesOn()
    {
        var deep = _input.Write("deep.jsonl", $$"""
            {"title":"Quotes within quotes","publishedOn":"2026-01-01","body":"{{new string('>', 130)}} x"}
            """);
        var fine = _input.Write("fine.jsonl", """
            {"title":"An ordinary story after a deep one","publishedOn":"2026-01-01","body":"Plain."}
            """);

        var report = await factory.ImportAsync(deep, fine);

        Assert.Equal((1, 1), (report.Imported, report.RejectedFiles.Count));
        Assert.Equal($"{deep}:1: the body's Markdown is nested too deeply (quotes, lists, brackets or emphasis inside one another)", Assert.Single(report.Problems).ToString());
    }

    [Fact]
    public async Task ANamedPipeInAnImportFolder_IsReadAsAnEmptyFile_AndTheImportDoesNotWaitForAWriter()
    {
        var story = _input.Write("feed/story.txt", TempFolder.Snippet("Ferry timetable changes for winter"));
        var empty = _input.Write("feed/empty.txt", "");
        var pipe = Path.Combine(_input.Path, "feed", "pipe.txt");
        Assert.Equal(0, MakeFifo(pipe, Convert.ToUInt32("644", 8)));

        // A hang is what this guards against: the import of two small files either ends well within this or never.
        var report = await factory.ImportAsync(Path.GetDirectoryName(story)!).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, report.Imported);
        Assert.Equal(1, await CountAsync("Ferry timetable changes"));
        Assert.Equal(report.Problems.Where(p => p.File == empty).Select(p => p.Reason), report.Problems.Where(p => p.File == pipe).Select(p => p.Reason));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, uint mode);

    [Fact]
    public async Task TwoVersionsOfOneStoryInOneFile_StoreTheLaterOne_AsImportingThemOneByOneWould()
    {
        var file = _input.Write("two-versions.jsonl", """
            {"title":"Dam inspection begins","publishedOn":"2026-01-09","body":"First version.","originalUrl":"https://example.com/dam"}
            {"title":"Dam inspection begins, engineers say","publishedOn":"2026-01-09","body":"Second version.","originalUrl":"https://example.com/dam"}
            {"title":"Reservoir level falls","publishedOn":"2026-01-09","body":"One."}
            {"title":"Reservoir level falls","publishedOn":"2026-01-09","body":"One, corrected."}
            """);

        var report = await factory.ImportAsync(file);
        var stored = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title.StartsWith("Dam inspection") || a.Title.StartsWith("Reservoir level"))
            .OrderBy(a => a.Title).Select(a => a.Title + ": " + a.Body).ToListAsync());

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal((2, 2), (report.Imported, report.Updated));
        Assert.Equal(["Dam inspection begins, engineers say: Second version.", "Reservoir level falls: One, corrected."], stored);
    }

    [Fact]
    public async Task ImportingTheSameFileTwice_ReportsUnchangedAndAddsNothing()
    {
        var file = _input.Write("twice.txt", TempFolder.Snippet("Twice imported", extraHeaders: "Show on website : [x](https://example.org/twice)\n\nexample.org"));

        var first = await factory.ImportAsync(file);
        var second = await factory.ImportAsync(file);

        Assert.Equal((1, 0, 0), (first.Imported, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 1), (second.Imported, second.Updated, second.Unchanged));
        Assert.Equal(1, await CountAsync("Twice imported"));
    }

    [Fact]
    public async Task ImportingTheSameJsonLinesTwice_WithTimesFinerThanAMicrosecond_ReportsUnchanged()
    {
        var file = _input.Write("fine-times.jsonl", """
            {"title":"Tide gauge reads high","publishedOn":"2026-02-03","documentDate":"2026-02-03T10:15:30.1234567","body":"One.","originalUrl":"https://example.com/tide"}
            {"title":"Tide gauge reads low","publishedOn":"2026-02-03","documentDate":"2026-02-03T22:40:01.7654321","body":"Two."}
            {"title":"Tide gauge to be replaced","publishedOn":"2026-02-04","body":"Three.","status":"Scheduled","publishAt":"2030-01-01T08:00:00.1234567Z","originalUrl":"https://example.com/gauge"}
            {"title":"Tide gauge withdrawn","publishedOn":"2026-02-04","body":"Four.","status":"Published","deletedAt":"2026-02-05T09:00:00.7654321Z","originalUrl":"https://example.com/withdrawn"}
            """);

        var first = await factory.ImportAsync(file);
        var second = await factory.ImportAsync(file);

        Assert.Equal((4, 0, 0), (first.Imported, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 4), (second.Imported, second.Updated, second.Unchanged));
        Assert.Equal(1, await CountAsync("Tide gauge reads high"));
    }

    [Fact]
    public async Task ChangedVersionWithTheSameSiteAndUrl_UpdatesTheArticleInPlace()
    {
        const string Headers = "Show on website : [x](https://example.org/changing)\n\nexample.org\n\nSources Reuters";
        var first = _input.Write("v1.txt", TempFolder.Snippet("Changing story", "First version.", Headers));
        var second = _input.Write("v2.txt", TempFolder.Snippet("Changing story, corrected", "Second version.", Headers));

        await factory.ImportAsync(first);
        var report = await factory.ImportAsync(second);
        var page = await factory.CreateClient().GetDocumentAsync("/articles/changing-story");

        Assert.Equal((0, 1), (report.Imported, report.Updated));
        Assert.Equal(1, await CountAsync("Changing story"));
        Assert.Equal("Changing story, corrected", page.TextOf("h1"));
        Assert.Equal("Second version.", page.TextOf(".story-body"));
    }

    [Fact]
    public async Task AnUpdateByImport_IsKeptAsARevision_WithTheEarlierTextBeforeIt()
    {
        const string Headers = "Show on website : [x](https://example.org/revised-by-agency)\n\nexample.org\n\nSources Reuters";
        await factory.ImportAsync(_input.Write("rev1.txt", TempFolder.Snippet("Agency revises a story", "The first text.", Headers)));
        await factory.ImportAsync(_input.Write("rev2.txt", TempFolder.Snippet("Agency revises a story", "The corrected text.", Headers)));
        await factory.ImportAsync(_input.Write("rev3.txt", TempFolder.Snippet("Agency revises a story", "The final text.", Headers)));

        var revisions = await factory.WithDbAsync(db => db.ArticleRevisions.AsNoTracking()
            .Where(r => r.Article!.Title == "Agency revises a story").OrderBy(r => r.Number).Select(r => new { r.Number, r.Author, r.Action, r.Snapshot }).ToListAsync());

        Assert.Equal([1, 2, 3], revisions.Select(r => r.Number));
        Assert.All(revisions, r => Assert.Equal(ArticleWriter.ImportAuthor, r.Author));
        Assert.Equal(["imported", "updated by import", "updated by import"], revisions.Select(r => r.Action));
        Assert.Contains("The first text.", revisions[0].Snapshot);
        Assert.Contains("The corrected text.", revisions[1].Snapshot);
        Assert.Contains("The final text.", revisions[2].Snapshot);
    }

    [Fact]
    public async Task ChangedVersionWithTheSameTitleAndDocumentDate_UpdatesTheArticleInPlace()
    {
        const string Headers = "Document Date: Sat, Mar 28 2026 08:51:11 am\n\nCategory: Business";
        await factory.ImportAsync(_input.Write("a.txt", TempFolder.Snippet("Same title and time", "Old text.", Headers)));
        var report = await factory.ImportAsync(_input.Write("b.txt", TempFolder.Snippet("Same title and time", "New text.", Headers + ", Markets")));

        var categories = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title == "Same title and time")
            .SelectMany(a => a.Categories.Select(c => c.Name)).OrderBy(n => n).ToListAsync());

        Assert.Equal(1, report.Updated);
        Assert.Equal(["Business", "Markets"], categories);
    }

    [Fact]
    public async Task JsonLinesFileWithABadLastLine_AddsNothingAndNamesTheLine()
    {
        var file = _input.Write("bad-last.jsonl", """
            {"title":"All or nothing one","publishedOn":"2025-06-02","body":"One.","categories":["Rollback category"]}
            {"title":"All or nothing two","publishedOn":"2025-06-02","body":"Two.","sources":["Rollback source"]}
            {"title":"All or nothing three","publishedOn":"2025-06-31","body":"Three."}
            """);

        var report = await factory.ImportAsync(file);

        Assert.True(report.HasRejections);
        Assert.Equal(0, report.Imported);
        Assert.Equal(3, report.Rejected);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(file, problem.File);
        Assert.Equal(3, problem.Line);
        Assert.Contains("publishedOn", problem.Reason);
        Assert.Equal(0, await CountAsync("All or nothing"));
        Assert.False(await factory.WithDbAsync(db => db.Categories.AnyAsync(c => c.Name == "Rollback category")));
        Assert.False(await factory.WithDbAsync(db => db.Sources.AnyAsync(s => s.Name == "Rollback source")));
    }

    [Fact]
    public async Task AJsonLineLongerThanAnyStoryCanBe_RejectsItsFile_NamingTheLine()
    {
        var file = _input.Write("huge-line.jsonl", string.Join('\n',
            """{"title":"Before the huge line","publishedOn":"2025-06-02","body":"One."}""",
            $$"""{"title":"The huge line","publishedOn":"2025-06-02","body":"{{new string('h', 2_200_000)}}"}"""));

        var report = await factory.ImportAsync(file);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(2, problem.Line);
        Assert.StartsWith("the line is longer than any story can be (2,162,688 characters", problem.Reason);
        Assert.Equal(0, report.Imported);
        Assert.Equal(0, await CountAsync("Before the huge line"));
    }

    [Fact]
    public async Task RejectedFile_DoesNotStopTheOtherFilesInTheRun()
    {
        _input.Write("run/1-good.txt", TempFolder.Snippet("Run good one"));
        _input.Write("run/2-bad.txt", TempFolder.Snippet("Run bad", published: "June 31, 2025"));
        _input.Write("run/nested/3-good.jsonl", """{"title":"Run good two","publishedOn":"2025-06-02","body":"Two."}""");
        _input.Write("run/notes.md", "Not a snippet: folders import .txt, .snippet, .jsonl and .ndjson files only.");

        var report = await factory.ImportAsync(Path.Combine(_input.Path, "run"));

        Assert.Equal(3, report.Files);
        Assert.Equal(2, report.Imported);
        Assert.Equal([Path.Combine(_input.Path, "run", "2-bad.txt")], report.RejectedFiles);
        Assert.Equal($"{Path.Combine(_input.Path, "run", "2-bad.txt")}:3: 'Published on' date 'June 31, 2025' is not a real date; write it as June 2, 2025, 2 June 2025 or 2025-06-02",
            Assert.Single(report.Problems).ToString());
        Assert.Equal(2, await CountAsync("Run good"));
    }

    [Fact]
    public async Task StoryTheStoreRefuses_RejectsOnlyItsFile_WhenSmallFilesAreWrittenTogether()
    {
        // A rule the importer's checks do not know about, as a stricter store (or a new constraint) would have.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(TestStore.IsPostgres
            ? """
              CREATE FUNCTION refuse_story() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW."Title" = 'Together refused' THEN RAISE EXCEPTION 'refused by the store'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_story BEFORE INSERT ON "Articles" FOR EACH ROW EXECUTE FUNCTION refuse_story();
              """
            : "CREATE TRIGGER refuse_story BEFORE INSERT ON Articles WHEN NEW.Title = 'Together refused' BEGIN SELECT RAISE(ABORT, 'refused by the store'); END"));
        try
        {
            _input.Write("together/1.txt", TempFolder.Snippet("Together one"));
            _input.Write("together/2.txt", TempFolder.Snippet("Together refused"));
            _input.Write("together/3.txt", TempFolder.Snippet("Together three"));

            var report = await factory.ImportAsync(Path.Combine(_input.Path, "together"));

            Assert.Equal(2, report.Imported);
            Assert.Equal([Path.Combine(_input.Path, "together", "2.txt")], report.RejectedFiles);
            Assert.Contains("refused by the store", Assert.Single(report.Problems).Reason);
            Assert.Equal(2, await CountAsync("Together"));
        }
        finally
        {
            await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(TestStore.IsPostgres ? """DROP TRIGGER refuse_story ON "Articles" """ : "DROP TRIGGER refuse_story"));
        }
    }

    [Theory]
    [InlineData("""{"title":"x","body":"y"}""", "required field 'publishedOn' missing (publishedOn is a date like 2025-06-02)")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","tittle":"typo"}""", "unknown field 'tittle'; the fields are title, slug")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","originalUrl":"javascript:alert(1)"}""", "not an http or https address")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","language":"not a language"}""", "not a BCP 47 tag")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":""}""", "the body is empty")]
    [InlineData("""{"title":"x","publishedOn":"02/06/2025","body":"y"}""", "field 'publishedOn' must be a date like 2025-06-02")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","documentDate":"yesterday"}""", "field 'documentDate' must be a local time like 2025-06-02T14:30:00")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","categories":"World"}""", "field 'categories' must be a list of names like [\"World\", \"Politics\"]")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","sources":[1]}""", "field 'sources' must be a list of names")]
    [InlineData("""{"title":42,"publishedOn":"2025-06-02","body":"y"}""", "field 'title' must be text")]
    [InlineData("""{"title":null,"publishedOn":"2025-06-02","body":"y"}""", "field 'title' must be text")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":null}""", "field 'body' must be text (Markdown)")]
    [InlineData("""{"title":"x","publishedOn":null,"body":"y"}""", "field 'publishedOn' must be a date like 2025-06-02")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","categories":["World",null]}""", "field 'categories' must be a list of names like [\"World\", \"Politics\"], without nulls")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","sources":[null]}""", "field 'sources' must be a list of names")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","topics":[null]}""", "field 'topics' must be a list of story headings")]
    [InlineData("""{"title":"x","publishedOn":"2025-06-02","body":"y","formerSlugs":[null]}""", "field 'formerSlugs' must be a list of the story's earlier slugs")]
    [InlineData("""{"title":"x",""", "not valid JSON")]
    [InlineData("""[1,2,3]""", "the line is not an article object")]
    public async Task BadJsonLine_IsRejectedWithAReasonInTheSchemasTerms(string line, string reason)
    {
        var file = _input.Write($"bad-{Guid.NewGuid():N}.jsonl", "\n" + line + "\n");

        var report = await factory.ImportAsync(file);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains(reason, problem.Reason);
        Assert.DoesNotMatch(@"System\.|NewsPortal\.|\.NET|ArticleRecord", problem.Reason);
    }

    [Fact]
    public async Task MissingPath_IsReportedAsRejected()
    {
        var report = await factory.ImportAsync(Path.Combine(_input.Path, "nowhere"));

        Assert.True(report.HasRejections);
        Assert.Contains("no such file or folder", Assert.Single(report.Problems).Reason);
    }

    [Fact]
    public async Task DryRun_ReportsWhatWouldHappenButWritesNothing()
    {
        var file = _input.Write("dry.txt", TempFolder.Snippet("Dry run story", extraHeaders: "Sources Dry Run Agency"));
        var again = _input.Write("dry-again.txt", TempFolder.Snippet("Dry run story", extraHeaders: "Sources Dry Run Agency"));

        var report = await factory.ImportAsync(dryRun: true, file, again);

        Assert.True(report.DryRun);
        Assert.Equal((1, 1), (report.Imported, report.Unchanged));
        Assert.Equal(0, await CountAsync("Dry run story"));
        Assert.False(await factory.WithDbAsync(db => db.Sources.AnyAsync(s => s.Name == "Dry Run Agency")));
    }

    [Fact]
    public async Task ADryRunThenTheImportForReal_LeavesTheStoriesFoundBySearch()
    {
        // A dry run leaves PostgreSQL's search vectors empty for the rows it rolls back; the real import must not.
        var file = _input.Write("searched.txt", TempFolder.Snippet("Cormorant survey after the dry run", "Wardens counted cormorants on the skerries."));

        var dry = await factory.ImportAsync(dryRun: true, file);
        var real = await factory.ImportAsync(file);
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=skerries");

        Assert.Equal((1, 1), (dry.Imported, real.Imported));
        Assert.Equal(["Cormorant survey after the dry run"], page.QuerySelectorAll(".search-results .card h2").Select(h => h.TextContent.Trim()));
    }

    [Fact]
    public async Task SourcesAndCategories_MatchIgnoringCaseSpacingAndUnicodeForm()
    {
        _input.Write("names/1.txt", TempFolder.Snippet("Names one", extraHeaders: "Category: Türkiye\n\nSources Anadolu Agency"));
        _input.Write("names/2.txt", TempFolder.Snippet("Names two", extraHeaders: "Category: tu\u0308rkiye\n\nSources  anadolu   AGENCY"));
        // Characters nobody sees (a zero-width space, a soft hyphen, a direction mark) do not make another name.
        _input.Write("names/3.txt", TempFolder.Snippet("Names three", extraHeaders: "Category: T\u00ADürkiye\u200B\n\nSources \u200EAnadolu Agency"));

        await factory.ImportAsync(Path.Combine(_input.Path, "names"));

        Assert.Equal(1, await factory.WithDbAsync(db => db.Sources.CountAsync(s => s.Slug == "anadolu-agency" || s.Slug.StartsWith("anadolu-agency-"))));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Categories.CountAsync(c => c.Slug.StartsWith("turkiye"))));
        var page = await factory.CreateClient().GetDocumentAsync("/categories/turkiye");
        Assert.Equal(["Names three", "Names two", "Names one"], page.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task HtmlAndScriptInAnyField_AreStoredAsTextAndNeverRun()
    {
        var file = _input.Write("hostile.txt", TempFolder.Snippet(
            "<script>alert('t')</script> Hostile import",
            "<img src=x onerror=alert(1)> said <b>officials</b>.",
            "Category: <i>Evil</i>\n\nSources <script>alert('s')</script>"));

        await factory.ImportAsync(file);
        var slug = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title.EndsWith("Hostile import")).Select(a => a.Slug).SingleAsync());
        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{slug}");

        // The site's own scripts (theme.js) come from /js/; nothing imported may add another.
        Assert.Empty(page.QuerySelectorAll("script:not([type='application/ld+json']):not([src^='/js/']), img, b, i"));
        Assert.Equal("<script>alert('t')</script> Hostile import", page.TextOf("h1"));
        Assert.Contains("<img src=x onerror=alert(1)> said <b>officials</b>.", page.TextOf(".story-body"));
        Assert.Equal("<script>alert('s')</script>", page.TextOf(".attribution .sources a"));
    }

    [Fact]
    public async Task ExportThenImportIntoAnEmptyStore_GivesTheSameArticlesFieldForField()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("roundtrip/a.txt", Seed.Text));
        await source.ImportAsync(_input.Write("roundtrip/b.jsonl", """
            {"title":"Round trip two","dateline":"ANKARA","publishedOn":"2025-01-05","documentDate":"2025-01-05T17:45:00","body":"Para one.\n\n**Para** two.","language":"tr","site":"aa.com.tr","originalUrl":"https://aa.com.tr/x","categories":["Politics","Türkiye"],"sources":["Anadolu Agency","Reuters"]}
            """));
        var exportDir = Path.Combine(_input.Path, "export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, exportDir);
        }

        using var fresh = new EmptyNewsPortalFactory();
        var report = await fresh.ImportAsync(exportDir);

        var original = await Snapshot(source);
        var copy = await Snapshot(fresh);
        Assert.Equal(2, report.Imported);
        Assert.Equal(original, copy);
    }

    [Fact]
    public async Task ExportThenImport_CarriesEachStorysFormerSlugs_SoLinksSharedBeforeTheMoveStillLeadToIt()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("former/story.jsonl", """
            {"title":"Harbour moves inland","slug":"harbour-moves-inland","publishedOn":"2025-03-01","body":"The harbour moves."}
            """));
        await source.WithDbAsync(async db =>
        {
            var id = await db.Articles.Where(a => a.Slug == "harbour-moves-inland").Select(a => a.Id).SingleAsync();
            db.SlugRedirects.AddRange(new SlugRedirect { Slug = "harbour-to-move", ArticleId = id }, new SlugRedirect { Slug = "harbour-may-move", ArticleId = id });
            return await db.SaveChangesAsync();
        });
        var exportDir = Path.Combine(_input.Path, "former-export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, exportDir);
        }

        using var fresh = new EmptyNewsPortalFactory();
        var report = await fresh.ImportAsync(exportDir);
        using var oldLink = await fresh.CreatePlainClient().GetAsync("/articles/harbour-to-move?ref=mail");

        Assert.Contains("\"formerSlugs\":[\"harbour-may-move\",\"harbour-to-move\"]", await File.ReadAllTextAsync(Path.Combine(exportDir, "articles.jsonl")));
        Assert.Equal(1, report.Imported);
        Assert.Equal(HttpStatusCode.MovedPermanently, oldLink.StatusCode);
        Assert.Equal("/articles/harbour-moves-inland?ref=mail", oldLink.Headers.Location!.OriginalString);
        Assert.Equal(["harbour-may-move", "harbour-to-move"], await fresh.WithDbAsync(db => db.SlugRedirects.OrderBy(r => r.Slug).Select(r => r.Slug).ToListAsync()));
    }

    [Fact]
    public async Task ExportThenImport_CarriesTheOtherNamesOfCategoriesSourcesAndThreads_SoOldLinksAndOldNamesStillLeadToThem()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("names/story.jsonl", """
            {"title":"Fulmar storm closes the ports","publishedOn":"2026-01-11","body":"Closed.","categories":["Economy"],"sources":["Associated Press"],"topics":["Storm Fulmar 2026"]}
            """));
        await source.WithDbAsync(async db =>
        {
            var category = await db.Categories.Where(c => c.Name == "Economy").Select(c => c.Id).SingleAsync();
            var agency = await db.Sources.Where(c => c.Name == "Associated Press").Select(c => c.Id).SingleAsync();
            var thread = await db.Threads.Where(c => c.Name == "Storm Fulmar 2026").Select(c => c.Id).SingleAsync();
            db.CategoryAliases.Add(new NewsPortal.Web.Shared.CategoryAlias { Name = "Econ", NameKey = NameKey.For("Econ"), Slug = "econ", TargetId = category });
            db.SourceAliases.Add(new NewsPortal.Web.Shared.SourceAlias { Name = "AP", NameKey = NameKey.For("AP"), Slug = "ap", TargetId = agency });
            db.ThreadAliases.Add(new NewsPortal.Web.Shared.ThreadAlias { Name = "Storm Fulmar", NameKey = NameKey.For("Storm Fulmar"), Slug = "storm-fulmar", TargetId = thread });
            return await db.SaveChangesAsync();
        });
        var exportDir = Path.Combine(_input.Path, "names-export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, exportDir);
        }

        using var fresh = new EmptyNewsPortalFactory();
        var report = await fresh.ImportAsync(exportDir);
        var again = await fresh.ImportAsync(exportDir);
        await fresh.ImportAsync(_input.Write("names/later.txt", TempFolder.Snippet("Ports reopen", extraHeaders: "Category: Econ\n\nSources AP\n\nTopics: Storm Fulmar", published: "January 14, 2026")));
        var client = fresh.CreatePlainClient();
        var redirects = new List<string>();
        foreach (var old in new[] { "/categories/econ", "/sources/ap", "/threads/storm-fulmar" })
        {
            using var response = await client.GetAsync(old);
            redirects.Add($"{(int)response.StatusCode} {response.Headers.Location}");
        }

        Assert.Equal((1, 3, 0), (report.Imported, report.AliasesKept, report.Problems.Count));
        Assert.Equal((0, 0), (again.AliasesKept, again.Problems.Count));
        Assert.Equal(["301 /categories/economy", "301 /sources/associated-press", "301 /threads/storm-fulmar-2026"], redirects);
        Assert.Equal((1, 1, 1), await fresh.WithDbAsync(async db => (await db.Categories.CountAsync(), await db.Sources.CountAsync(), await db.Threads.CountAsync())));
        Assert.Equal(2, await fresh.WithDbAsync(db => db.Threads.Select(t => t.ArticleCount).SingleAsync()));
    }

    [Fact]
    public async Task AnAliasTheStoreCannotKeep_IsNamedByFileAndLine_AndCostsNoStoryNorTheOtherAliases()
    {
        var folder = Path.Combine(_input.Path, "aliases-bad");
        _input.Write("aliases-bad/articles.jsonl", """
            {"title":"Gannet census published","publishedOn":"2026-02-01","body":"Counted.","categories":["Seabirds"]}
            """);
        _input.Write("aliases-bad/aliases.jsonl", """
            {"kind":"category","name":"Sea birds","slug":"sea-birds","target":"Seabirds"}
            {"kind":"category","name":"Waders","slug":"waders","target":"Shorebirds"}

            {"kind":"author","name":"Someone","slug":null,"target":"Seabirds"}
            {"kind":"category","name":
            """);
        var file = Path.Combine(folder, "aliases.jsonl");

        var report = await factory.ImportAsync(folder);
        using var kept = await factory.CreatePlainClient().GetAsync("/categories/sea-birds");

        // The stories' file is imported; the aliases' file is read as aliases, not as stories.
        Assert.Equal((1, 0, 1), (report.Imported, report.RejectedFiles.Count, report.AliasesKept));
        Assert.Equal(
            [$"{file}:5: not an alias: a line is {{\"kind\": \"category\", \"source\" or \"thread\", \"name\": …, \"slug\": … or null, \"target\": …}}",
             $"{file}:2: the category 'Shorebirds' is not in the store, so its other name 'Waders' was not kept",
             $"{file}:4: the kind is 'author', not category, source or thread"],
            report.Problems.Select(p => p.ToString()));
        Assert.Equal(HttpStatusCode.MovedPermanently, kept.StatusCode);
    }

    [Fact]
    public async Task AFormerSlugTheStoreGivesAnotherStory_StaysTheirs_AndTheStoryStillImports()
    {
        await factory.ImportAsync(_input.Write("former-taken/first.jsonl", """
            {"title":"Quay keeps its name","slug":"quay-keeps-its-name","publishedOn":"2025-03-01","body":"The quay."}
            """));

        var report = await factory.ImportAsync(_input.Write("former-taken/second.jsonl", """
            {"title":"Quay renamed after all","slug":"quay-renamed-after-all","formerSlugs":["quay-keeps-its-name","quay-to-be-renamed"],"publishedOn":"2025-03-02","body":"Renamed."}
            """));
        var reader = factory.CreatePlainClient();
        using var taken = await reader.GetAsync("/articles/quay-keeps-its-name");
        using var free = await reader.GetAsync("/articles/quay-to-be-renamed");

        Assert.Equal(1, report.Imported);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, free.StatusCode);
        Assert.Equal("/articles/quay-renamed-after-all", free.Headers.Location!.OriginalString);
        Assert.Equal(["quay-to-be-renamed"], await factory.WithDbAsync(db => db.SlugRedirects.Where(r => r.Slug.StartsWith("quay")).Select(r => r.Slug).ToListAsync()));
    }

    [Fact]
    public async Task ANewStoryAskingForAnAddressThatRedirectsToAnother_GetsANumberedOne_AndTheOldLinkStillLeadsThere()
    {
        await factory.ImportAsync(_input.Write("redirected/first.jsonl", """
            {"title":"Pier reopens","slug":"pier-reopens-at-last","formerSlugs":["pier-reopens"],"publishedOn":"2025-03-01","body":"Open."}
            """));

        var report = await factory.ImportAsync(_input.Write("redirected/second.jsonl", """
            {"title":"Pier reopens","slug":"pier-reopens","publishedOn":"2026-03-01","body":"Open again, a year on."}
            """));
        using var oldLink = await factory.CreatePlainClient().GetAsync("/articles/pier-reopens");

        Assert.Equal(["pier-reopens-2"], report.NewStories.Select(s => s.Slug));
        Assert.Equal(HttpStatusCode.MovedPermanently, oldLink.StatusCode);
        Assert.Equal("/articles/pier-reopens-at-last", oldLink.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AFormerSlugThatIsNotASlug_RejectsItsFile_NamingTheLineAndTheSlug()
    {
        var file = _input.Write("former-bad.jsonl", """
            {"title":"Former slug fine","publishedOn":"2025-03-01","body":"Fine."}
            {"title":"Former slug bad","formerSlugs":["Not A Slug"],"publishedOn":"2025-03-01","body":"Bad."}
            """);

        var report = await factory.ImportAsync(file);

        Assert.Equal($"{file}:2: the former slug 'Not A Slug' is not a slug such as talks-in-istanbul", Assert.Single(report.Problems).ToString());
        Assert.Equal(0, await CountAsync("Former slug"));
    }

    [Fact]
    public async Task ExportThenImport_OfAStoreHoldingEveryStatus_KeepsEachStatus_AndNothingHiddenBecomesPublic()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("statuses/every.jsonl", """
            {"title":"Status published","publishedOn":"2025-01-05","body":"Public.","status":"Published","publishAt":"2025-01-05T10:00:00Z"}
            {"title":"Status draft","publishedOn":"2025-01-05","body":"Not yet.","status":"Draft"}
            {"title":"Status scheduled","publishedOn":"2025-01-05","body":"Later.","status":"Scheduled","publishAt":"2099-01-01T08:00:00Z"}
            {"title":"Status unpublished","publishedOn":"2025-01-05","body":"Taken down.","status":"Unpublished","publishAt":"2025-01-05T10:00:00Z"}
            {"title":"Status deleted","publishedOn":"2025-01-05","body":"Withdrawn.","status":"Published","publishAt":"2025-01-05T10:00:00Z","deletedAt":"2025-02-01T09:00:00Z","correctionNote":"Withdrawn after a complaint.","license":"CC BY 2.5"}
            """));
        var exportDir = Path.Combine(_input.Path, "statuses-export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, exportDir);
        }

        using var fresh = new EmptyNewsPortalFactory();
        var report = await fresh.ImportAsync(exportDir);
        var reader = fresh.CreateClient();
        var copy = await Snapshot(fresh);

        Assert.Equal(5, report.Imported);
        Assert.Equal(await Snapshot(source), copy);
        Assert.Equal(
            [ArticleStatus.Published, ArticleStatus.Draft, ArticleStatus.Published, ArticleStatus.Scheduled, ArticleStatus.Unpublished],
            copy.Select(a => a.Status));
        Assert.Equal("Withdrawn after a complaint.", copy.Single(a => a.DeletedAtUtc is not null).CorrectionNote);
        Assert.Equal("CC BY 2.5", copy.Single(a => a.DeletedAtUtc is not null).License);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/articles/status-published")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/articles/status-draft")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/articles/status-scheduled")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/articles/status-unpublished")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await reader.GetAsync("/articles/status-deleted")).StatusCode);
        Assert.Equal(["Status published"], (await reader.GetDocumentAsync("/")).TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task SnippetExport_LeavesOutStoriesThatAreNotPublic()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("snippet-statuses/every.jsonl", """
            {"title":"Snippet public","publishedOn":"2025-01-05","body":"Public."}
            {"title":"Snippet draft","publishedOn":"2025-01-05","body":"Not yet.","status":"Draft"}
            """));
        var exportDir = Path.Combine(_input.Path, "snippet-statuses-export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.Snippet, exportDir);
        }

        Assert.Equal(["snippet-public.txt"], Directory.GetFiles(exportDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExportAsSnippets_ReadsBackAsTheSameStories()
    {
        using var source = new EmptyNewsPortalFactory();
        await source.ImportAsync(_input.Write("snippets-roundtrip/seed.txt", Seed.Text));
        await source.ImportAsync(_input.Write("snippets-roundtrip/two.jsonl", """
            {"title":"Snippet two","dateline":"KYIV","publishedOn":"2025-01-05","documentDate":"2025-01-05T17:45:00","body":"Para one.\n\n**Para** two.","language":"uk","originalUrl":"https://example.org/two","categories":["Politics"],"sources":["Reuters","The Globe and Mail"]}
            """));
        var exportDir = Path.Combine(_input.Path, "snippet-export");
        await using (var scope = source.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.Snippet, exportDir);
        }

        using var fresh = new EmptyNewsPortalFactory();
        var report = await fresh.ImportAsync(exportDir);

        Assert.False(report.HasRejections, report.ToString());
        Assert.Equal(2, report.Imported);
        Assert.Equal(
            (await Snapshot(source)).Select(a => a with { CreatedAtUtc = default, UpdatedAtUtc = default, PublishAtUtc = default }),
            (await Snapshot(fresh)).Select(a => a with { CreatedAtUtc = default, UpdatedAtUtc = default, PublishAtUtc = default }));
    }

    [PostgresFact]
    public async Task MovingTheCorpusFromSqliteToPostgres_ByExportAndImport_KeepsEveryStoryFieldByField()
    {
        using var sqlite = new SqliteSourceFactory();
        var corpus = Path.Combine(_input.Path, "move-corpus");
        NewsPortal.Corpus.CorpusConverter.Write(corpus);
        var loaded = await sqlite.ImportAsync(corpus);
        var exportDir = Path.Combine(_input.Path, "move-export");
        await using (var scope = sqlite.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(ImportFormat.JsonLines, exportDir);
        }

        using var postgres = new EmptyNewsPortalFactory();
        var moved = await postgres.ImportAsync(exportDir);
        // PostgreSQL keeps times to the microsecond, SQLite (and .NET) to a tenth of one: compared at PostgreSQL's precision.
        static DateTime? Micro(DateTime? time) => time is { } t ? t.AddTicks(-(t.Ticks % 10)) : null;
        static ArticleSnapshot AtMicroseconds(ArticleSnapshot a) => a with
        {
            CreatedAtUtc = Micro(a.CreatedAtUtc)!.Value,
            UpdatedAtUtc = Micro(a.UpdatedAtUtc)!.Value,
            PublishAtUtc = Micro(a.PublishAtUtc),
            DeletedAtUtc = Micro(a.DeletedAtUtc),
            DocumentDate = Micro(a.DocumentDate),
        };
        var original = (await Snapshot(sqlite)).Select(AtMicroseconds).ToList();
        var copy = (await Snapshot(postgres)).Select(AtMicroseconds).ToList();

        Assert.False(loaded.HasRejections, loaded.ToString());
        Assert.False(moved.HasRejections, moved.ToString());
        Assert.True(original.Count > 10_000, $"{original.Count} stories");
        Assert.Equal(original.Count, moved.Imported);
        var differences = original.Zip(copy).Where(pair => pair.First != pair.Second)
            .Select(pair => $"{pair.First.Slug}: " + string.Join(", ", typeof(ArticleSnapshot).GetProperties()
                .Where(p => !Equals(p.GetValue(pair.First), p.GetValue(pair.Second)))
                .Select(p => $"{p.Name} '{p.GetValue(pair.First)}' became '{p.GetValue(pair.Second)}'")))
            .ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} stories differ, such as: {string.Join(" | ", differences.Take(3))}");
        Assert.Equal(
            (await sqlite.WithDbAsync(db => db.ListingCounts.Select(c => c.Key + "=" + c.ArticleCount).ToListAsync())).Order(StringComparer.Ordinal),
            (await postgres.WithDbAsync(db => db.ListingCounts.Select(c => c.Key + "=" + c.ArticleCount).ToListAsync())).Order(StringComparer.Ordinal));
    }

    /// <summary>A SQLite store, whatever the run's provider: where a move to PostgreSQL starts.</summary>
    private sealed class SqliteSourceFactory : EmptyNewsPortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:NewsPortal", $"Data Source={Store.SqlitePath}");
        }
    }

    private static Task<List<ArticleSnapshot>> Snapshot(NewsPortalFactory portal) => portal.WithDbAsync(async db =>
        (await db.Articles.AsNoTracking().AsSplitQuery().Select(a => new
        {
            a.Title,
            a.Slug,
            a.Dateline,
            a.Body,
            a.Lede,
            a.PublishedOn,
            a.DocumentDate,
            a.Language,
            a.Site,
            a.OriginalUrl,
            a.CreatedAtUtc,
            a.UpdatedAtUtc,
            a.Status,
            a.PublishAtUtc,
            a.DeletedAtUtc,
            a.CorrectionNote,
            a.License,
            Categories = a.Categories.Select(c => c.Name).ToList(),
            Sources = a.Sources.Select(s => s.Name).ToList(),
        }).ToListAsync())
        // Ordered here, not by the store: SQLite and PostgreSQL collate text differently.
        .OrderBy(a => a.Slug, StringComparer.Ordinal)
        .Select(a => new ArticleSnapshot(
            a.Title, a.Slug, a.Dateline, a.Body, a.Lede, a.PublishedOn, a.DocumentDate, a.Language, a.Site, a.OriginalUrl, a.CreatedAtUtc, a.UpdatedAtUtc,
            a.Status, a.PublishAtUtc, a.DeletedAtUtc, a.CorrectionNote, a.License,
            string.Join("|", a.Categories.Order(StringComparer.Ordinal)), string.Join("|", a.Sources.Order(StringComparer.Ordinal))))
        .ToList());

    private sealed record ArticleSnapshot(
        string Title, string Slug, string? Dateline, string Body, string Lede, DateOnly PublishedOn, DateTime? DocumentDate, string Language,
        string? Site, string? OriginalUrl, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, ArticleStatus Status, DateTime? PublishAtUtc,
        DateTime? DeletedAtUtc, string? CorrectionNote, string? License, string Categories, string Sources);
}

/// <summary>An app with small import limits, so each limit can be crossed cheaply.</summary>
public sealed class SmallLimitsFactory : EmptyNewsPortalFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Import:MaxFileBytes", "4000");
        builder.UseSetting("Import:MaxBodyBytes", "1000");
        builder.UseSetting("Import:MaxTitleLength", "80");
    }
}

public sealed class ImportLimitTests(SmallLimitsFactory factory) : IClassFixture<SmallLimitsFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task TitleOverTheLimit_IsRejectedNamingTheLimit()
    {
        var report = await factory.ImportAsync(_input.Write("long-title.txt", TempFolder.Snippet(new string('T', 81))));

        Assert.Equal("the title is 81 characters long; the limit is 80 (Import:MaxTitleLength)", Assert.Single(report.Problems).Reason);
    }

    [Fact]
    public async Task BodyOverTheLimit_IsRejectedNamingTheLimit()
    {
        var report = await factory.ImportAsync(_input.Write("long-body.jsonl", $$"""{"title":"Long body","publishedOn":"2025-06-02","body":"{{new string('b', 1001)}}"}"""));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Equal("the body is 1,001 bytes; the limit is 1,000 (Import:MaxBodyBytes)", problem.Reason);
    }

    [Fact]
    public async Task FileOverTheLimit_IsRejectedWholeWithoutBeingRead()
    {
        var lines = Enumerable.Range(1, 100).Select(i => $$"""{"title":"Big file {{i}}","publishedOn":"2025-06-02","body":"Body {{i}}."}""");
        var report = await factory.ImportAsync(_input.Write("big.jsonl", string.Join('\n', lines)));

        Assert.Contains("the limit is 4,000 (Import:MaxFileBytes)", Assert.Single(report.Problems).Reason);
        Assert.Equal(0, report.Imported);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Articles.CountAsync()));
    }
}

/// <summary>An app on an empty store that merges the search index after imports of 40 stories or more, with a hook before chosen commands.</summary>
public sealed class SearchIndexMergeFactory : EmptyNewsPortalFactory
{
    public const int MergeAfter = 40;

    public CommandHook Hook { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Import:MergeSearchIndexAfter", MergeAfter.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Hook.Install(builder);
    }
}

public sealed class SearchIndexMergeTests(SearchIndexMergeFactory factory) : IClassFixture<SearchIndexMergeFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [SqliteFact]
    public async Task ALargeImport_LeavesTheSearchIndexInOneSegment_ASmallOneLeavesItsSegmentsBe_AndSearchFindsEveryStory()
    {
        // Each import is a transaction and leaves a segment; FTS5 merges them only four at a time.
        for (var i = 1; i <= 6; i++)
        {
            var report = await factory.ImportAsync(_input.Write($"small-{i}.txt", TempFolder.Snippet($"Harbour pilots strike, day {i}", $"Pilots in port{i} walk out.")));
            Assert.Equal(1, report.Imported);
        }

        Assert.True(await SegmentsAsync() > 1, "small imports leave their segments");

        var lines = Enumerable.Range(1, SearchIndexMergeFactory.MergeAfter)
            .Select(i => $$"""{"title":"Grain exports resume, convoy {{i}}","publishedOn":"2025-06-02","body":"Convoy {{i}} sails."}""");
        Assert.Equal(SearchIndexMergeFactory.MergeAfter, (await factory.ImportAsync(_input.Write("large.jsonl", string.Join('\n', lines)))).Imported);

        Assert.Equal(1, await SegmentsAsync());
        var client = factory.CreateClient();
        Assert.Contains("Harbour pilots strike, day 3", (await client.GetDocumentAsync("/search?q=port3")).TextOf("main"));
        Assert.Contains("Grain exports resume, convoy 17", (await client.GetDocumentAsync("/search?q=convoy+17")).TextOf("main"));
    }

    [SqliteFact]
    public async Task ManySmallWrites_AreMergedByTheSite_OnlyPastTheSegmentsItKeeps_AndSearchFindsEveryStory()
    {
        for (var i = 1; i <= 6; i++)
        {
            var report = await factory.ImportAsync(_input.Write($"tide-{i}.txt", TempFolder.Snippet($"Tide tables revised, harbour {i}", $"Harbour tide{i} shifts.")));
            Assert.Equal(1, report.Imported);
        }

        var segments = await SegmentsAsync();
        Assert.True(segments > 1, "small imports leave their segments");
        var upkeep = factory.Services.GetRequiredService<NewsPortal.Web.Search.SearchIndexUpkeep>();

        Assert.False(await upkeep.MergeIfFragmentedAsync(mostSegments: segments));
        Assert.Equal(segments, await SegmentsAsync());
        Assert.True(await upkeep.MergeIfFragmentedAsync(mostSegments: segments - 1));
        Assert.Equal(1, await SegmentsAsync());
        var client = factory.CreateClient();
        Assert.Contains("Tide tables revised, harbour 2", (await client.GetDocumentAsync("/search?q=tide2")).TextOf("main"));
        Assert.Contains("Tide tables revised, harbour 6", (await client.GetDocumentAsync("/search?q=harbour+tide6")).TextOf("main"));
    }

    /// <summary>The segments of the search index: each has its own rows in the index of its pages.</summary>
    private Task<int> SegmentsAsync() => factory.WithDbAsync(db =>
        db.Database.SqlQueryRaw<int>("""SELECT count(DISTINCT "segid") AS "Value" FROM "ArticleSearch_idx" """).SingleAsync());
}
