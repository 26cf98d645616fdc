using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>Two editors saving the same version of a story at the same moment, many times over at once.</summary>
public sealed class ConcurrentEditTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    /// <summary>
    /// Forty saves at once. Fifty pairs on PostgreSQL, with the browser tests running beside them on a 2-core CI machine,
    /// once had a pair both time out (503 after the 15 s request limit) behind a pool of 20 connections: the machine's
    /// limit, not the race this checks.
    /// </summary>
    private const int Pairs = 20;

    [Fact]
    public async Task RacingDeletesAndSaves_NeverFail_AndEachStoryIsDeletedOnce()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var slugs = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var created = await client.PostAsJsonAsync("/api/v1/articles", new { title = $"Delete race {i}", body = "Starting text.", publishedOn = "2026-03-01", status = "Published" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            slugs.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!);
        }

        // Each story is deleted three times and saved twice, all at once, every story together.
        var requests = slugs.SelectMany(slug => Enumerable.Range(0, 5).Select(async n =>
        {
            using var response = n < 3
                ? await client.DeleteAsync($"/api/v1/articles/{slug}")
                : await client.PutAsJsonAsync($"/api/v1/articles/{slug}", new { body = $"Saved by {n}.", version = 1 });
            return (Slug: slug, Delete: n < 3, response.StatusCode);
        })).ToList();
        var results = await Task.WhenAll(requests);

        Assert.DoesNotContain(results, r => (int)r.StatusCode >= 500);
        foreach (var story in results.GroupBy(r => r.Slug))
        {
            Assert.Single(story, r => r.Delete && r.StatusCode == HttpStatusCode.NoContent);
            // However late in the race, the others are told the story is gone, not that there is none.
            Assert.All(story.Where(r => r.Delete && r.StatusCode != HttpStatusCode.NoContent), r => Assert.Equal(HttpStatusCode.Gone, r.StatusCode));
        }

        var deletes = await factory.WithDbAsync(db => db.AuditLog.Where(e => e.Action == "delete" && e.Subject.StartsWith("delete-race-")).CountAsync());
        Assert.Equal(slugs.Count, deletes);
    }

    [Fact]
    public async Task RacingApiSaves_OneWinsTheOtherGets409_AndTheRefusedTextIsKeptAsARevision()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var slugs = new List<string>();
        for (var i = 0; i < Pairs; i++)
        {
            using var created = await client.PostAsJsonAsync("/api/v1/articles", new
            {
                title = $"API race {i}",
                body = "Starting text.",
                publishedOn = "2026-03-01",
                categories = new[] { "Race category" },
                status = "Published",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            slugs.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!);
        }

        // Every pair saves from version 1 at once, and all the pairs run together; the new category names race too.
        var saves = slugs.SelectMany(slug => new[] { "A", "B" }.Select(async editor =>
        {
            using var response = await client.PutAsJsonAsync($"/api/v1/articles/{slug}", new
            {
                body = $"Text by editor {editor} for {slug}.",
                categories = new[] { "Race category", $"Race category {editor}" },
                version = 1,
            });
            return (Slug: slug, Editor: editor, response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        })).ToList();
        var results = await Task.WhenAll(saves);

        foreach (var pair in results.GroupBy(r => r.Slug))
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], pair.Select(r => r.StatusCode).Order());
            Assert.Equal("application/problem+json", pair.Single(r => r.StatusCode == HttpStatusCode.Conflict).MediaType);
            await AssertWinnerShownAndLoserKeptAsync(pair.Key,
                $"Text by editor {pair.Single(r => r.StatusCode == HttpStatusCode.OK).Editor} for {pair.Key}.",
                $"Text by editor {pair.Single(r => r.StatusCode == HttpStatusCode.Conflict).Editor} for {pair.Key}.");
        }
    }

    [Fact]
    public async Task RacingFormSaves_OneRedirectsTheOtherShowsTheConflict_AndTheRefusedTextIsKept()
    {
        var first = await factory.SignedInClientAsync(Roles.Editor);
        var second = await factory.SignedInClientAsync(Roles.Editor);
        var stories = new List<(string EditUrl, Dictionary<string, string?> FirstForm, Dictionary<string, string?> SecondForm)>();
        for (var i = 0; i < Pairs; i++)
        {
            using var created = await first.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
            {
                ["Form.Title"] = $"Form race {i}",
                ["Form.Body"] = "Starting text.",
                ["Form.Status"] = "Published",
            }, "#article-form");
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var editUrl = created.Headers.Location!.OriginalString;
            stories.Add((editUrl, await FormAsync(first, editUrl), await FormAsync(second, editUrl)));
        }

        var saves = stories.SelectMany(story => new[] { (Client: first, Form: story.FirstForm, Editor: "first"), (Client: second, Form: story.SecondForm, Editor: "second") }
            .Select(async save =>
            {
                save.Form["Form.Body"] = $"The {save.Editor} editor, text at {story.EditUrl}.";
                using var response = await save.Client.PostAsync(story.EditUrl,
                    new FormUrlEncodedContent(save.Form.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
                var page = response.StatusCode == HttpStatusCode.Conflict ? (await response.ReadDocumentAsync()).TextOf(".form-errors") : null;
                return (story.EditUrl, save.Editor, response.StatusCode, Page: page);
            })).ToList();
        var results = await Task.WhenAll(saves);

        foreach (var pair in results.GroupBy(r => r.EditUrl))
        {
            Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], pair.Select(r => r.StatusCode).Order());
            var loser = pair.Single(r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("Someone else saved this story while you were editing it", loser.Page);
            var id = int.Parse(pair.Key.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            var slug = await factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.Slug).SingleAsync());
            await AssertWinnerShownAndLoserKeptAsync(slug,
                $"The {pair.Single(r => r.StatusCode == HttpStatusCode.Redirect).Editor} editor, text at {pair.Key}.",
                $"The {loser.Editor} editor, text at {pair.Key}.");
        }
    }

    private static async Task<Dictionary<string, string?>> FormAsync(HttpClient client, string editUrl)
        => Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)(await client.GetDocumentAsync(editUrl)).QuerySelector("#article-form")!);

    private async Task AssertWinnerShownAndLoserKeptAsync(string slug, string winnerText, string loserText)
    {
        var (body, version, revisions) = await factory.WithDbAsync(async db =>
        {
            var article = await db.Articles.AsNoTracking().SingleAsync(a => a.Slug == slug);
            var kept = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == article.Id).OrderBy(r => r.Number)
                .Select(r => new { r.Number, r.Action, r.Snapshot }).ToListAsync();
            return (article.Body, article.Version, kept);
        });

        Assert.Equal(winnerText, body);
        Assert.Equal(2, version);
        Assert.Equal([1, 2, 3], revisions.Select(r => r.Number));
        var refused = Assert.Single(revisions, r => r.Action.StartsWith("refused", StringComparison.Ordinal));
        Assert.Contains(loserText, refused.Snapshot);
    }

    [Fact]
    public async Task ThirtyStoriesWithOneHeadlineCreatedAtOnce_AreAllSaved_EachAtAnAddressOfItsOwn()
    {
        // Each try took the first free address again, so each round of the race had one winner: the last few ran out of tries.
        var client = await factory.TokenClientAsync(Roles.Editor);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(async n =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/articles", new
            {
                title = "Storm warning for the coast",
                body = $"Bulletin {n}.",
                publishedOn = "2026-03-01",
                categories = new[] { "Weather desk" },
                sources = new[] { "Met wire" },
            });
            return (response.StatusCode, Slug: response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString() : null);
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(30, results.Select(r => r.Slug).Distinct().Count());
        Assert.All(results, r => Assert.StartsWith("storm-warning-for-the-coast", r.Slug, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportsOfTheSameStoriesAtOnce_WithPublishesOfThem_AllSucceed()
    {
        // On PostgreSQL imports writing the same stories and names as each other and as publishes deadlocked; EF Core
        // reports that wrapped as a transient failure, which the importer took for a crash (a 500) instead of a race.
        // Then they were refused as a race ("import the file again"), often: a story published after an import read
        // it failed the import's version check, and two imports of one new name or story took turns to lose.
        var client = await factory.TokenClientAsync(Roles.Editor);
        static string Lines(int round) => string.Concat(Enumerable.Range(0, 6).Select(j => JsonSerializer.Serialize(new
        {
            title = $"Overlapping import {j}",
            slug = $"overlapping-import-{j}",
            publishedOn = "2026-03-04",
            body = $"Body {j}, round {round}.",
            categories = new[] { $"Overlap desk {j % 2}" },
            sources = new[] { $"Overlap wire {(round + j) % 3}" },
            topics = new[] { "Overlap story" },
            status = round % 2 == 0 ? "Published" : "Draft",
        }) + "\n"));
        using (var first = await client.ImportJsonLinesAsync(Lines(0)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var results = await Task.WhenAll(Enumerable.Range(1, 24).Select(async i =>
        {
            using var response = i % 2 == 1
                ? await client.PostAsync($"/api/v1/articles/overlapping-import-{i % 6}/{(i % 4 < 2 ? "publish" : "unpublish")}", null)
                : await client.ImportJsonLinesAsync(Lines(i));
            return (Import: i % 2 == 0, response.StatusCode);
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task OneLargeFileOfNewStoriesImportedFourTimesAtOnce_IsStoredOnce_AndEveryImportSucceeds()
    {
        // A file of more stories than a batch is written in a transaction of its own, with no savepoint to write it
        // again from: two at once raced for each new story and name, and all but one were refused.
        const int Stories = 520;
        var client = await factory.TokenClientAsync(Roles.Editor);
        var lines = string.Concat(Enumerable.Range(0, Stories).Select(j => JsonSerializer.Serialize(new
        {
            title = $"Twice-sent wire story {j}",
            publishedOn = "2026-03-05",
            body = $"Wire body {j}.",
            categories = new[] { $"Twice-sent desk {j % 7}" },
            sources = new[] { "Twice-sent wire" },
            topics = new[] { "Twice-sent story" },
        }) + "\n"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await client.ImportJsonLinesAsync(lines);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        var stored = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title.StartsWith("Twice-sent wire story")).CountAsync());
        var sources = await factory.WithDbAsync(db => db.Sources.Where(s => s.Name == "Twice-sent wire").CountAsync());

        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));
        Assert.Equal(Stories, stored);
        Assert.Equal(1, sources);
    }

    [Fact]
    public async Task ALargeFileUpdatingStoriesAsTheyArePublishedAndTakenDown_IsWrittenWhole_AndSoIsEveryStatusChange()
    {
        // A file of more stories than a batch has no savepoint to be written again from: a publish between its read of a
        // story and its write failed the story's version check, and the whole file was refused.
        const int Stories = 520;
        var client = await factory.TokenClientAsync(Roles.Editor);
        string Lines(int round) => string.Concat(Enumerable.Range(0, Stories).Select(j => JsonSerializer.Serialize(new
        {
            title = $"Long wire file story {j}",
            slug = $"long-wire-file-story-{j}",
            publishedOn = "2026-03-06",
            body = $"Long wire body {j}, round {round}.",
            sources = new[] { "Long wire" },
            status = "Draft",
        }) + "\n"));
        using (var first = await client.ImportJsonLinesAsync(Lines(0)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var imports = Enumerable.Range(1, 2).Select(async round =>
        {
            using var response = await client.ImportJsonLinesAsync(Lines(round));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var publishes = Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await client.PostAsync($"/api/v1/articles/long-wire-file-story-{i * 17 % Stories}/{(i % 2 == 0 ? "publish" : "unpublish")}", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var results = await Task.WhenAll(imports.Concat(publishes));

        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));
    }

    [Fact]
    public async Task ManySavesOfOneVersionAtOnce_OneWins_AndEveryRefusedTextIsKeptAsARevisionOfItsOwn()
    {
        const int Editors = 24;
        var client = await factory.TokenClientAsync(Roles.Editor);
        using var created = await client.PostAsJsonAsync("/api/v1/articles", new { title = "Crowded save", body = "Starting text.", publishedOn = "2026-03-01", status = "Published" });
        var slug = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;

        // Refusals number their revisions as saves do: two dozen at once on one story once collided on the number and,
        // on PostgreSQL, deadlocked with the winning save (a 500).
        var results = await Task.WhenAll(Enumerable.Range(0, Editors).Select(async n =>
        {
            using var response = await client.PutAsJsonAsync($"/api/v1/articles/{slug}", new { body = $"Text by editor {n}.", version = 1 });
            return response.StatusCode;
        }));
        var revisions = await factory.WithDbAsync(async db => await db.ArticleRevisions.AsNoTracking()
            .Where(r => r.Article!.Slug == slug).OrderBy(r => r.Number).Select(r => new { r.Number, r.Action, r.Snapshot }).ToListAsync());

        Assert.DoesNotContain(results, s => (int)s >= 500);
        Assert.Equal(1, results.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Editors - 1, results.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(Enumerable.Range(1, Editors + 1), revisions.Select(r => r.Number));
        Assert.All(Enumerable.Range(0, Editors), n => Assert.Single(revisions, r => r.Snapshot.Contains($"Text by editor {n}.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EditorsRacingForOneAddress_OneGetsIt_TheOthersAreToldOnTheField_NeverAnError()
    {
        var editors = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => factory.SignedInClientAsync(Roles.Editor)));
        var pages = await Task.WhenAll(editors.Select(e => e.GetDocumentAsync("/admin/articles/edit")));

        var saves = editors.Select((editor, i) =>
        {
            var form = (AngleSharp.Html.Dom.IHtmlFormElement)pages[i].QuerySelector("#article-form")!;
            var fields = Forms.FieldsOf(form);
            fields["Form.Title"] = $"Quay wall collapse, report {i}";
            fields["Form.Body"] = $"Report {i} from the quay.";
            fields["Form.PublishedOn"] = "2026-04-0" + (i + 1);
            fields["Form.Slug"] = "quay-wall-collapse";
            return editor.PostAsync("/admin/articles/edit", new FormUrlEncodedContent(
                fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
        }).ToList();
        var results = await Task.WhenAll(saves);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Redirect), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        foreach (var refused in results.Where(r => r.StatusCode == HttpStatusCode.UnprocessableEntity))
        {
            Assert.Equal("/articles/quay-wall-collapse is another story's address: choose another.", (await refused.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.Slug']"));
        }
    }

    [Fact]
    public async Task EditorsStartingOneNewThreadCategoryAndSourceAtOnce_AllSave_AndEachNameIsMadeOnce()
    {
        string[] titles = ["Ferry timetable cut for winter", "Lighthouse keeper retires after forty years", "Fish market moves inland",
            "Lifeboat crew rescues two kayakers", "Dredging contract signed with Dutch firm", "Sea wall repairs begin in March"];
        var editors = await Task.WhenAll(titles.Select(_ => factory.SignedInClientAsync(Roles.Editor)));
        var pages = await Task.WhenAll(editors.Select(e => e.GetDocumentAsync("/admin/articles/edit")));

        var results = await Task.WhenAll(editors.Select((editor, i) =>
        {
            var fields = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)pages[i].QuerySelector("#article-form")!);
            fields["Form.Title"] = titles[i];
            fields["Form.Body"] = $"{titles[i]}, the harbour office said on Monday.";
            fields["Form.PublishedOn"] = "2026-05-04";
            fields["Form.Status"] = "Published";
            fields["Form.Thread"] = "Harbour overhaul of 2026";
            fields["Form.Categories"] = "Harbour Affairs";
            fields["Form.Sources"] = "Harbour Gazette";
            // Six harbour stories of one day may look alike to the duplicate check; this test is about the names.
            fields["Form.NotADuplicate"] = "true";
            return editor.PostAsync("/admin/articles/edit", new FormUrlEncodedContent(
                fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
        }));

        foreach (var result in results)
        {
            Assert.True(result.StatusCode == HttpStatusCode.Redirect, $"{result.StatusCode}: {await result.Content.ReadAsStringAsync()}");
        }

        var (threads, categories, sources) = await factory.WithDbAsync(async db => (
            await db.Threads.Where(t => t.Name == "Harbour overhaul of 2026").Select(t => t.ArticleCount).ToListAsync(),
            await db.Categories.Where(c => c.Name == "Harbour Affairs").Select(c => c.ArticleCount).ToListAsync(),
            await db.Sources.Where(s => s.Name == "Harbour Gazette").Select(s => s.ArticleCount).ToListAsync()));
        Assert.Equal([6], threads);
        Assert.Equal([6], categories);
        Assert.Equal([6], sources);
    }
}

/// <summary>The app with a hook that runs once, inside a request, just before the next command whose SQL holds a given fragment.</summary>
public sealed class CommandHookFactory : EditorialFactory
{
    private readonly CommandHook _hook = new();

    /// <summary>Runs <paramref name="action"/> once, before the next command holding <paramref name="fragment"/> is sent.</summary>
    public void Once(string fragment, Func<Task> action) => _hook.Once(fragment, action);

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        _hook.Install(builder);
    }
}

public sealed class NameRaceTests(CommandHookFactory factory) : IClassFixture<CommandHookFactory>
{
    [Fact]
    public async Task ANewSourceNameMadeByAnotherEditorMidSave_IsTakenAsThatSource_NotRefusedAsALookalike()
    {
        var first = await factory.SignedInClientAsync(Roles.Editor);
        var second = await factory.SignedInClientAsync(Roles.Editor);
        HttpResponseMessage? secondSave = null;
        // The lookalike check reads the aliases after the stored names that match, and before the read of every name.
        factory.Once("\"SourceAliases\"", async () => secondSave = await second.SubmitFormAsync("/admin/articles/edit", Story("Pier lights replaced"), "#article-form"));

        using var firstSave = await first.SubmitFormAsync("/admin/articles/edit", Story("Tide gauge moved to the new pier"), "#article-form");

        Assert.NotNull(secondSave);
        Assert.Equal(HttpStatusCode.Redirect, secondSave.StatusCode);
        Assert.True(firstSave.StatusCode == HttpStatusCode.Redirect, $"{firstSave.StatusCode}: {await firstSave.Content.ReadAsStringAsync()}");
        Assert.Equal([2], await factory.WithDbAsync(db => db.Sources.Where(s => s.Name == "Pier Courier").Select(s => s.ArticleCount).ToListAsync()));
        secondSave.Dispose();
    }

    private static Dictionary<string, string?> Story(string title) => new()
    {
        ["Form.Title"] = title,
        ["Form.Body"] = $"{title}, the harbour office said.",
        ["Form.PublishedOn"] = "2026-05-05",
        ["Form.Status"] = "Published",
        ["Form.Sources"] = "Pier Courier",
    };
}

public sealed class ImportRaceTests(CommandHookFactory factory) : IClassFixture<CommandHookFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    // SQLite has one writer at a time: the other import would wait for this one, not race it.
    [PostgresFact]
    public async Task ACategoryAnotherImportAddsMidImport_TakesTheStory_InsteadOfRejectingTheFile()
    {
        var file = _input.Write("race.jsonl", """
            {"title":"Lighthouse keeper retires","publishedOn":"2026-05-05","body":"Retired.","categories":["Coastal Affairs"]}
            """);
        _ = factory.Server; // started, and the seed imported, before the hook is set
        // Another import commits the same new category after this one has read the names, before it adds its own.
        factory.Once("FROM \"CategoryAliases\"", () => factory.WithDbAsync(db =>
        {
            db.Categories.Add(new NewsPortal.Web.Categories.Category { Name = "Coastal Affairs", NameKey = NewsPortal.Web.Shared.NameKey.For("Coastal Affairs"), Slug = "coastal-affairs" });
            return db.SaveChangesAsync();
        }));

        var report = await factory.ImportAsync(file);

        Assert.True(report.Problems.Count == 0, report.ToString());
        Assert.Equal(1, report.Imported);
        var categories = await factory.WithDbAsync(db => db.Categories.Where(c => c.Name == "Coastal Affairs")
            .Select(c => new { c.Slug, c.ArticleCount, Stories = c.Articles.Select(a => a.Title).ToList() }).ToListAsync());
        var category = Assert.Single(categories);
        Assert.Equal(("coastal-affairs", 1), (category.Slug, category.ArticleCount));
        Assert.Equal(["Lighthouse keeper retires"], category.Stories);
    }
}
