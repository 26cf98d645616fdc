using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Api;

public sealed class ArticleApiTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static object NewArticle(string title, string status = "Published") => new
    {
        title,
        body = "Some **bold** text.\n\nA second paragraph.",
        publishedOn = "2026-03-01",
        language = "en",
        dateline = "BERLIN",
        categories = new[] { "API category" },
        sources = new[] { "API Agency" },
        status,
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    private static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_WithAnEditorToken_Answers201WithLocationAndTheArticle()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", NewArticle("API created story"));
        var article = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/articles/api-created-story", response.Headers.Location!.OriginalString);
        Assert.Equal("Published", article.GetProperty("status").GetString());
        Assert.Equal("Some **bold** text.\n\nA second paragraph.", article.GetProperty("bodyMarkdown").GetString());
        Assert.Contains("<strong>bold</strong>", article.GetProperty("bodyHtml").GetString());
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/articles/api-created-story")).StatusCode);
    }

    [Fact]
    public async Task NamesHoldingCommasOrSemicolons_AreKeptWhole()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", new
        {
            title = "Gallery wins its case over a loaned painting",
            body = "The court ruled on Friday.",
            publishedOn = "2026-03-02",
            categories = new[] { "Crime, law and justice", "Arts, culture and entertainment" },
            sources = new[] { "Reuters; Paris bureau", "AFP" },
        });
        var article = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["Arts, culture and entertainment", "Crime, law and justice"], article.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).Order());
        Assert.Equal(["AFP", "Reuters; Paris bureau"], article.GetProperty("sources").EnumerateArray().Select(c => c.GetString()).Order());
    }

    [Fact]
    public async Task Writes_WithoutAToken_Answer401_AndACookieSessionDoesNotCount()
    {
        var signedIn = await factory.SignedInClientAsync(Roles.Editor);

        using var anonymous = await factory.CreateClient().PostAsJsonAsync("/api/v1/articles", NewArticle("No token"));
        using var cookie = await signedIn.PostAsJsonAsync("/api/v1/articles", NewArticle("Cookie only"));
        using var badToken = await new HttpClient(factory.Server.CreateHandler()) { BaseAddress = factory.Server.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", "np_not-a-real-token") } }
            .PostAsJsonAsync("/api/v1/articles", NewArticle("Bad token"));

        AssertProblem(anonymous, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        AssertProblem(cookie, HttpStatusCode.Unauthorized);
        AssertProblem(badToken, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Writes_WithATokenOfAUserWithoutARole_Answer403()
    {
        var client = await factory.TokenClientAsync(role: null);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", NewArticle("No role"));

        AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task InvalidArticle_Answers422WithPerFieldErrors()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", new { title = "", body = "x", publishedOn = "2026-03-01", language = "not a tag", originalUrl = "javascript:alert(1)", status = "Viral" });
        var problem = await JsonAsync(response);

        AssertProblem(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        Assert.Contains("A story needs a title.", errors.GetProperty("title")[0].GetString());
        Assert.Contains("BCP 47", errors.GetProperty("language")[0].GetString());
        Assert.Contains("http or https", errors.GetProperty("originalUrl")[0].GetString());
        Assert.Contains("Draft, Scheduled, Published or Unpublished", errors.GetProperty("status")[0].GetString());
    }

    [Fact]
    public async Task ABodyThatIsNotUtf8_IsToldSo_NamingTheField()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        byte[] body = [.. "{\"title\": \"Bad "u8, 0xED, 0xA0, 0x80, .. " bytes\", \"body\": \"x\", \"publishedOn\": \"2026-03-01\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/v1/articles", content);

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal("The body is not valid UTF-8 (in 'title'): send the JSON as UTF-8 text.", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("Published,Draft")]
    [InlineData(" Published")]
    public async Task AStatusThatIsNotOneOfTheNames_IsRefused(string status)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", new { title = $"Status {status}", body = "x", publishedOn = "2026-03-01", status });

        AssertProblem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Draft, Scheduled, Published or Unpublished", (await JsonAsync(response)).GetProperty("errors").GetProperty("status")[0].GetString());
    }

    [Fact]
    public async Task AStoryBreakingOnlyACrossFieldRule_IsToldOnce()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsJsonAsync("/api/v1/articles", new
        {
            title = "Long category",
            body = "x",
            publishedOn = "2026-03-01",
            categories = new[] { new string('a', 300) },
        });
        var problem = await JsonAsync(response);

        AssertProblem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["The category 'aaaaaaaaaaaaaaaaaaaa…' is too long."], problem.GetProperty("errors").GetProperty("categories").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("The category 'aaaaaaaaaaaaaaaaaaaa…' is too long.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("quotes", "nested too deeply")]
    [InlineData("emphasis", "nested too deeply")]
    [InlineData("unclosed links", "more than 1,000 links")]
    [InlineData("table", "more than 1,000 rows")]
    public async Task ABodyMarkdigCannotRenderInBoundedTime_Answers422NamingTheLimit(string kind, string expected)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var body = kind switch
        {
            "quotes" => new string('>', 130) + " deep",
            "emphasis" => new string('*', 1000) + "x" + new string('*', 1000),
            "unclosed links" => string.Concat(Enumerable.Repeat("[x](", 60_000)),
            _ => "|a|b|\n|-|-|\n" + string.Concat(Enumerable.Repeat("|a|b|\n", 20_000)),
        };

        using var response = await client.PostAsJsonAsync("/api/v1/articles", new { title = $"Hostile {kind}", body, publishedOn = "2026-03-01" });
        var problem = await JsonAsync(response);

        AssertProblem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Theory]
    [InlineData("{\"title\": \"x\", \"categories\": \"World\"}", "'categories' must be a list of names like [\"World\", \"Politics\"]")]
    [InlineData("{\"title\": \"x\", \"body\": \"y\", \"publishedOn\": \"2025-06-02\", \"categories\": [\"World\", null]}", "'categories' must be a list of names like [\"World\", \"Politics\"]")]
    [InlineData("{\"title\": \"x\", \"body\": \"y\", \"publishedOn\": \"2025-06-02\", \"sources\": [null]}", "'sources' must be a list of names")]
    [InlineData("{\"publishedOn\": \"2 March\"}", "'publishedOn' must be a date like 2025-06-02")]
    [InlineData("{\"version\": \"three\"}", "'version' must be the whole number the article's last read gave")]
    [InlineData("[1, 2]", "The body must be one JSON object")]
    [InlineData("{\"title\": \"x\", \"sumary\": \"A line.\"}", "Unknown field 'sumary'; an article's fields are title, dateline, body")]
    [InlineData("{\"bodyMarkdown\": \"New text.\", \"version\": 1}", "'bodyMarkdown' is read-only")]
    [InlineData("nonsense", "The body is not valid JSON at character")]
    public async Task AFieldOfTheWrongType_IsNamedWithWhatItMustHold_InTheApisTermsNotDotNets(string body, string expected)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsync("/api/v1/articles", new StringContent(body, Encoding.UTF8, "application/json"));
        var detail = (await JsonAsync(response)).GetProperty("detail").GetString()!;

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoryWhoseAddressIsInAnotherScript_IsCreatedAndMoved_WithItsAddressesPercentEncodedInLocation()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var reader = factory.CreatePlainClient();

        using var created = await client.PostAsJsonAsync("/api/v1/articles", new { title = "中文 headline", body = "Text.", publishedOn = "2026-03-01", status = "Published" });
        var version = (await JsonAsync(created)).GetProperty("version").GetInt32();
        using var moved = await client.PutAsJsonAsync("/api/v1/articles/%E4%B8%AD%E6%96%87-headline", new { slug = "中文 移动", version });
        using var oldApi = await reader.GetAsync("/api/v1/articles/%E4%B8%AD%E6%96%87-headline");
        using var oldPage = await reader.GetAsync("/articles/%E4%B8%AD%E6%96%87-headline?ref=feed");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/articles/%E4%B8%AD%E6%96%87-headline", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, oldApi.StatusCode);
        Assert.Equal("/api/v1/articles/%E4%B8%AD%E6%96%87-%E7%A7%BB%E5%8A%A8", oldApi.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, oldPage.StatusCode);
        Assert.Equal("/articles/%E4%B8%AD%E6%96%87-%E7%A7%BB%E5%8A%A8?ref=feed", oldPage.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnUpdateWithIfMatch_IsSavedWhileTheArticleIsAsRead_And412OnceSomeoneElseChangedIt()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var other = await factory.TokenClientAsync(Roles.Editor);
        using (await client.PostAsJsonAsync("/api/v1/articles", new { title = "If-Match story", body = "First.", publishedOn = "2026-03-01" }))
        {
        }

        using var read = await client.GetAsync("/api/v1/articles/if-match-story");
        var etag = read.Headers.ETag!.Tag;
        using var first = new HttpRequestMessage(HttpMethod.Put, "/api/v1/articles/if-match-story") { Content = JsonContent.Create(new { body = "Second." }) };
        first.Headers.IfMatch.ParseAdd(etag);
        using var saved = await client.SendAsync(first);
        var version = (await JsonAsync(saved)).GetProperty("version").GetInt32();
        using (await other.PutAsJsonAsync("/api/v1/articles/if-match-story", new { body = "Someone else's.", version }))
        {
        }

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/articles/if-match-story") { Content = JsonContent.Create(new { body = "Third." }) };
        stale.Headers.IfMatch.ParseAdd(etag);
        using var refused = await client.SendAsync(stale);
        var problem = await JsonAsync(refused);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        AssertProblem(refused, HttpStatusCode.PreconditionFailed);
        Assert.Equal(version + 1, problem.GetProperty("currentVersion").GetInt32());
        Assert.Equal("Someone else's.", (await JsonAsync(await client.GetAsync("/api/v1/articles/if-match-story"))).GetProperty("bodyMarkdown").GetString());
    }

    [Fact]
    public async Task AStoryOfEmojiOnly_IsSaved_ItsLedeEndingOnAWholeOne()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var emoji = string.Concat(Enumerable.Repeat("😀", 400));

        using var created = await client.PostAsJsonAsync("/api/v1/articles", new { title = "Emoji lede", body = emoji, publishedOn = "2026-03-01", status = "Published" });
        var lede = (await JsonAsync(created)).GetProperty("lede").GetString()!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.EndsWith("😀…", lede, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/articles?category=a%00")]
    [InlineData("/api/v1/articles?source=a%00b")]
    [InlineData("/api/v1/articles?language=e%00n")]
    [InlineData("/api/v1/articles?q=cease%00fire")]
    [InlineData("/api/v1/articles?category=%ED%A0%80")]
    [InlineData("/api/v1/sources?after=a%00")]
    [InlineData("/api/v1/categories?after=%00b&q=a%00")]
    public async Task AListFilterWithControlCharacters_FindsNothingRatherThanFailing(string url)
    {
        using var response = await factory.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"title\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"publishedOn\": \"2026-02-30\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("title=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task MalformedOrWrongTypeBodies_AnswerAProblemNotA500(string body, string type, HttpStatusCode expected)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsync("/api/v1/articles", new StringContent(body, Encoding.UTF8, type));
        var problem = await JsonAsync(response);

        AssertProblem(response, expected);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task TheLicence_IsSetAndReadThroughTheApi()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        await client.PostAsJsonAsync("/api/v1/articles", new { title = "API licensed story", body = "Text.", publishedOn = "2026-03-01", status = "Published", license = "CC BY 2.5" });

        var read = await JsonAsync(await client.GetAsync("/api/v1/articles/api-licensed-story"));
        using var cleared = await client.PutAsJsonAsync("/api/v1/articles/api-licensed-story", new { license = "", version = read.GetProperty("version").GetInt32() });
        var after = await JsonAsync(await client.GetAsync("/api/v1/articles/api-licensed-story"));

        Assert.Equal("CC BY 2.5", read.GetProperty("license").GetString());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.False(after.TryGetProperty("license", out var license) && license.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task TheAddress_IsChosenAndChangedThroughTheApi_AndATakenOneIsA422NamingTheField()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var created = await client.PostAsJsonAsync("/api/v1/articles", new { title = "API address story", body = "Text.", publishedOn = "2026-03-01", status = "Published", slug = "Chosen Address" });
        using var taken = await client.PostAsJsonAsync("/api/v1/articles", new { title = "API second address story", body = "Text.", publishedOn = "2026-03-01", slug = "chosen-address" });
        var read = await JsonAsync(await client.GetAsync("/api/v1/articles/chosen-address"));
        using var moved = await client.PutAsJsonAsync("/api/v1/articles/chosen-address", new { slug = "moved-address", version = read.GetProperty("version").GetInt32() });
        using var old = await factory.CreatePlainClient().GetAsync("/api/v1/articles/chosen-address");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/articles/chosen-address", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Equal("application/problem+json", taken.Content.Headers.ContentType!.MediaType);
        Assert.Equal("/articles/chosen-address is another story's address: choose another.",
            (await JsonAsync(taken)).GetProperty("errors").GetProperty("slug")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("moved-address", (await JsonAsync(moved)).GetProperty("slug").GetString());
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
    }

    [Fact]
    public async Task AWriteToAnAddressAnEditorChanged_Answers308ToTheNewOne_WhichMakesTheChangeWhenFollowed()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        await client.PostAsJsonAsync("/api/v1/articles", new { title = "API renamed story", body = "Text.", publishedOn = "2026-03-01", slug = "first-address" });
        var read = await JsonAsync(await client.GetAsync("/api/v1/articles/first-address"));
        using var moved = await client.PutAsJsonAsync("/api/v1/articles/first-address", new { slug = "second-address", version = read.GetProperty("version").GetInt32() });
        var change = new { body = "Changed through the old address.", version = (await JsonAsync(moved)).GetProperty("version").GetInt32() };

        using var update = await client.PutAsJsonAsync("/api/v1/articles/first-address", change);
        using var followed = await client.PutAsJsonAsync(update.Headers.Location!.OriginalString, change);
        using var publish = await client.PostAsync("/api/v1/articles/first-address/publish", null);
        using var delete = await client.DeleteAsync("/api/v1/articles/first-address");
        using var never = await client.DeleteAsync("/api/v1/articles/never-an-address");

        Assert.Equal(HttpStatusCode.PermanentRedirect, update.StatusCode);
        Assert.Equal("/api/v1/articles/second-address", update.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Equal("Changed through the old address.", (await JsonAsync(followed)).GetProperty("bodyMarkdown").GetString());
        Assert.Equal(HttpStatusCode.PermanentRedirect, publish.StatusCode);
        Assert.Equal("/api/v1/articles/second-address/publish", publish.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.PermanentRedirect, delete.StatusCode);
        Assert.Equal("/api/v1/articles/second-address", delete.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/articles/second-address")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        Assert.Equal("application/problem+json", never.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Update_WithTheVersionRead_Saves_AndWithAStaleVersionAnswers409()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        await client.PostAsJsonAsync("/api/v1/articles", NewArticle("API versioned story"));
        var read = await JsonAsync(await client.GetAsync("/api/v1/articles/api-versioned-story"));
        var version = read.GetProperty("version").GetInt32();

        using var first = await client.PutAsJsonAsync("/api/v1/articles/api-versioned-story", new { body = "First update.", version });
        using var stale = await client.PutAsJsonAsync("/api/v1/articles/api-versioned-story", new { body = "Stale update.", version });
        using var missing = await client.PutAsJsonAsync("/api/v1/articles/api-versioned-story", new { body = "No version." });
        using var unknown = await client.PutAsJsonAsync("/api/v1/articles/no-such-story", new { body = "x", version = 1 });
        var after = await JsonAsync(await client.GetAsync("/api/v1/articles/api-versioned-story"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(version + 1, (await JsonAsync(first)).GetProperty("version").GetInt32());
        AssertProblem(stale, HttpStatusCode.Conflict);
        Assert.Equal(version + 1, (await JsonAsync(stale)).GetProperty("currentVersion").GetInt32());
        AssertProblem(missing, HttpStatusCode.UnprocessableEntity);
        AssertProblem(unknown, HttpStatusCode.NotFound);
        Assert.Equal("First update.", after.GetProperty("bodyMarkdown").GetString());
        Assert.Equal("BERLIN", after.GetProperty("dateline").GetString());
    }

    [Fact]
    public async Task PublishingAStoryAgain_OrTenTimesAtOnce_AddsOneRevisionAndOneAuditEntry()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        await client.PostAsJsonAsync("/api/v1/articles", NewArticle("API retried publish", "Draft"));
        var id = await factory.WithDbAsync(db => db.Articles.Where(a => a.Slug == "api-retried-publish").Select(a => a.Id).SingleAsync());

        var publishes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsync("/api/v1/articles/api-retried-publish/publish", null)));
        using var again = await client.PostAsync("/api/v1/articles/api-retried-publish/publish", null);
        var (revisions, audited) = await factory.WithDbAsync(async db => (
            await db.ArticleRevisions.Where(r => r.ArticleId == id && r.Action == "published").CountAsync(),
            await db.AuditLog.Where(e => e.Subject == "api-retried-publish" && e.Action != "create").CountAsync()));

        // The one that publishes saves; the rest find it published (or, racing it, are told of the conflict).
        Assert.All(publishes, p => Assert.Contains(p.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Published", (await JsonAsync(again)).GetProperty("status").GetString());
        Assert.Equal(1, revisions);
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task PermanentDelete_IsAnAdminsOfADeletedArticle_AfterWhichItsAddressAnswers404()
    {
        var editor = await factory.TokenClientAsync(Roles.Editor);
        var admin = await factory.TokenClientAsync(Roles.Admin);
        await editor.PostAsJsonAsync("/api/v1/articles", NewArticle("API takedown story"));

        using var notYetDeleted = await admin.DeleteAsync("/api/v1/articles/api-takedown-story?permanent=true");
        using var delete = await editor.DeleteAsync("/api/v1/articles/api-takedown-story");
        using var byEditor = await editor.DeleteAsync("/api/v1/articles/api-takedown-story?permanent=true");
        using var notABoolean = await admin.DeleteAsync("/api/v1/articles/api-takedown-story?permanent=forever");
        using var purge = await admin.DeleteAsync("/api/v1/articles/api-takedown-story?permanent=true");
        using var read = await factory.CreateClient().GetAsync("/api/v1/articles/api-takedown-story");
        using var again = await admin.DeleteAsync("/api/v1/articles/api-takedown-story?permanent=true");

        AssertProblem(notYetDeleted, HttpStatusCode.Conflict);
        Assert.Contains("only a deleted article can be deleted permanently", (await JsonAsync(notYetDeleted)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        AssertProblem(byEditor, HttpStatusCode.Forbidden);
        AssertProblem(notABoolean, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        AssertProblem(read, HttpStatusCode.NotFound);
        AssertProblem(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PublishUnpublishAndDelete_ChangeWhatReadersSee()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        await client.PostAsJsonAsync("/api/v1/articles", NewArticle("API lifecycle story", "Draft"));
        var reader = factory.CreateClient();

        var asDraft = await reader.GetAsync("/api/v1/articles/api-lifecycle-story");
        var editorSees = await client.GetAsync("/api/v1/articles/api-lifecycle-story");
        using var publish = await client.PostAsync("/api/v1/articles/api-lifecycle-story/publish", null);
        var published = await reader.GetAsync("/api/v1/articles/api-lifecycle-story");
        using var unpublish = await client.PostAsync("/api/v1/articles/api-lifecycle-story/unpublish", null);
        var unpublished = await reader.GetAsync("/api/v1/articles/api-lifecycle-story");
        using var delete = await client.DeleteAsync("/api/v1/articles/api-lifecycle-story");
        var deleted = await reader.GetAsync("/api/v1/articles/api-lifecycle-story");
        using var deleteAgain = await client.DeleteAsync("/api/v1/articles/api-lifecycle-story");
        using var editDeleted = await client.PutAsJsonAsync("/api/v1/articles/api-lifecycle-story", new { body = "Changed.", version = 9 });
        using var publishDeleted = await client.PostAsync("/api/v1/articles/api-lifecycle-story/publish", null);

        AssertProblem(asDraft, HttpStatusCode.NotFound);
        Assert.Equal("Draft", (await JsonAsync(editorSees)).GetProperty("status").GetString());
        Assert.Equal("Published", (await JsonAsync(publish)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("Unpublished", (await JsonAsync(unpublish)).GetProperty("status").GetString());
        AssertProblem(unpublished, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        AssertProblem(deleted, HttpStatusCode.Gone);
        // Whatever is asked of a deleted story, the answer is that it was deleted, as reading it says.
        AssertProblem(deleteAgain, HttpStatusCode.Gone);
        AssertProblem(editDeleted, HttpStatusCode.Gone);
        AssertProblem(publishDeleted, HttpStatusCode.Gone);
    }

    [Fact]
    public async Task AnEdit_ChangesTheETagOfEveryListShowingTheStory_AndTheOldOneGetsTheNewBody()
    {
        var editor = await factory.TokenClientAsync(Roles.Editor);
        var reader = factory.CreateClient();
        using var created = await editor.PostAsJsonAsync("/api/v1/articles", new
        {
            title = "Zebras cross the river",
            body = "Zebras crossed the river at dawn.",
            publishedOn = "2026-03-02",
            categories = new[] { "ETag wildlife" },
            sources = new[] { "ETag Agency" },
            status = "Published",
        });
        var urls = new[] { "/api/v1/articles", "/api/v1/articles/zebras-cross-the-river", "/api/v1/categories", "/api/v1/sources", "/api/v1/search?q=zebras" };
        var before = new List<System.Net.Http.Headers.EntityTagHeaderValue>();
        foreach (var url in urls)
        {
            using var response = await reader.GetAsync(url);
            before.Add(response.Headers.ETag!);
        }

        using var edited = await editor.PutAsJsonAsync("/api/v1/articles/zebras-cross-the-river", new
        {
            body = "Zebras crossed the road at noon.",
            categories = new[] { "ETag wildlife", "ETag roads" },
            sources = new[] { "ETag Agency", "ETag Wire" },
            version = (await JsonAsync(created)).GetProperty("version").GetInt32(),
        });

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        for (var i = 0; i < urls.Length; i++)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, urls[i]) { Headers = { IfNoneMatch = { before[i] } } };
            using var response = await reader.SendAsync(conditional);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(before[i], response.Headers.ETag);
        }
    }

    [Fact]
    public async Task Gets_CarryAnETag_AndAnswerIfNoneMatchWith304()
    {
        var reader = factory.CreateClient();

        foreach (var url in new[] { "/api/v1/articles", $"/api/v1/articles/{Seed.Slug}", "/api/v1/categories", "/api/v1/sources", "/api/v1/search?q=istanbul" })
        {
            using var first = await reader.GetAsync(url);
            var etag = first.Headers.ETag!;
            using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { etag } } };
            using var notModified = await reader.SendAsync(again);

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AReadersListByCategoryAndSource_ListsOnlyStoriesInBoth_WithWordsOrWithout()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Dual desk dual wire story").InCategory("Dual desk").FromSource("Dual wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Dual desk other wire story").InCategory("Dual desk").FromSource("Other dual wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Other desk dual wire story").InCategory("Other dual desk").FromSource("Dual wire"));
        var reader = factory.CreateClient();

        static IEnumerable<string?> Slugs(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString());
        Assert.Equal(["dual-desk-dual-wire-story"], Slugs(await JsonAsync(await reader.GetAsync("/api/v1/articles?category=dual-desk&source=dual-wire"))));
        Assert.Equal(["dual-desk-dual-wire-story"], Slugs(await JsonAsync(await reader.GetAsync("/api/v1/articles?category=dual-desk&source=dual-wire&q=dual"))));
        Assert.Equal(["other-desk-dual-wire-story"], Slugs(await JsonAsync(await reader.GetAsync("/api/v1/articles?category=other-dual-desk&q=dual"))));
    }

    [Fact]
    public async Task ReadEndpoints_ReturnCategoriesSourcesSearchAndFilters()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Filter me in Turkish").InLanguage("tr").InCategory("Kultur").FromSource("TRT").PublishedOn(2024, 5, 5));
        var reader = factory.CreateClient();

        var categories = await JsonAsync(await reader.GetAsync("/api/v1/categories"));
        var sources = await JsonAsync(await reader.GetAsync("/api/v1/sources"));
        var search = await JsonAsync(await reader.GetAsync("/api/v1/search?q=istanbul"));
        var byLanguage = await JsonAsync(await reader.GetAsync("/api/v1/articles?language=tr"));
        var byCategory = await JsonAsync(await reader.GetAsync("/api/v1/articles?category=kultur&source=trt"));
        var byDates = await JsonAsync(await reader.GetAsync("/api/v1/articles?from=2024-05-01&to=2024-05-31"));
        var byText = await JsonAsync(await reader.GetAsync("/api/v1/articles?q=Filter%20me"));
        using var statusAnonymous = await reader.GetAsync("/api/v1/articles?status=draft");

        Assert.Contains(categories.EnumerateArray(), c => c.GetProperty("slug").GetString() == "snippets" && c.GetProperty("articles").GetInt32() >= 1);
        Assert.Contains(sources.EnumerateArray(), s => s.GetProperty("name").GetString() == "Anadolu Agency");
        Assert.Equal(Seed.Slug, search.GetProperty("items")[0].GetProperty("slug").GetString());
        Assert.Equal(["filter-me-in-turkish"], byLanguage.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        Assert.Equal(["filter-me-in-turkish"], byCategory.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        Assert.Equal(["filter-me-in-turkish"], byDates.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        Assert.Equal(["filter-me-in-turkish"], byText.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        AssertProblem(statusAnonymous, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnEditorsListByWords_FindsTheStoriesOfThatStatusHoldingTheWords_DraftsAndPublishedAlike()
    {
        var editor = await factory.TokenClientAsync(Roles.Editor);
        foreach (var (title, status) in new[] { ("Kestrel census drafted", "Draft"), ("Kestrel census published", "Published"), ("Osprey census drafted", "Draft") })
        {
            using var created = await editor.PostAsJsonAsync("/api/v1/articles", NewArticle(title, status));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        static async Task<List<string?>> SlugsAsync(HttpResponseMessage response)
            => [.. (await JsonAsync(response)).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()).Order()];

        Assert.Equal(["kestrel-census-drafted"], await SlugsAsync(await editor.GetAsync("/api/v1/articles?status=draft&q=kestrel")));
        Assert.Equal(["kestrel-census-drafted", "kestrel-census-published"], await SlugsAsync(await editor.GetAsync("/api/v1/articles?status=all&q=kestrel")));
        Assert.Equal(["kestrel-census-drafted", "osprey-census-drafted"], await SlugsAsync(await editor.GetAsync("/api/v1/articles?status=draft&q=census")));
        Assert.Equal(["kestrel-census-published"], await SlugsAsync(await editor.GetAsync("/api/v1/articles?status=published&q=census+kestrel")));
    }

    [Fact]
    public async Task AnEditorsList_TakesEveryFilter_AndPagesByCursor_EachStoryOnce()
    {
        var editor = await factory.TokenClientAsync(Roles.Editor);
        for (var i = 1; i <= 6; i++)
        {
            using var created = await editor.PostAsJsonAsync("/api/v1/articles", new
            {
                title = $"Ledger entry {i}",
                body = "An entry in the ledger.",
                publishedOn = $"2021-04-0{i}",
                language = i % 2 == 0 ? "cy" : "ga",
                categories = new[] { "Ledger desk" },
                sources = new[] { "Ledger agency" },
                status = "Draft",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        static IEnumerable<string?> Slugs(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString());
        async Task<List<string?>> AllPagesAsync(string url)
        {
            var slugs = new List<string?>();
            string? cursor = null;
            do
            {
                var page = await JsonAsync(await editor.GetAsync(cursor is null ? url : $"{url}&cursor={cursor}"));
                slugs.AddRange(Slugs(page));
                cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null && slugs.Count < 20);

            return slugs;
        }

        Assert.Equal(["ledger-entry-6", "ledger-entry-5"], Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=draft&category=ledger-desk&limit=2"))));
        Assert.Equal(["ledger-entry-6", "ledger-entry-5", "ledger-entry-4", "ledger-entry-3", "ledger-entry-2", "ledger-entry-1"],
            await AllPagesAsync("/api/v1/articles?status=draft&category=ledger-desk&limit=2"));
        Assert.Equal(["ledger-entry-6", "ledger-entry-4", "ledger-entry-2"], Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=draft&category=ledger-desk&language=cy"))));
        Assert.Equal(["ledger-entry-6", "ledger-entry-4", "ledger-entry-2"], Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=all&language=CY&source=ledger-agency"))));
        Assert.Equal(["ledger-entry-5", "ledger-entry-3", "ledger-entry-1"], Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=draft&language=ga"))).Where(s => s!.StartsWith("ledger-", StringComparison.Ordinal)));
        Assert.Equal(["ledger-entry-4", "ledger-entry-3", "ledger-entry-2"],
            Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=draft&category=ledger-desk&from=2021-04-02&to=2021-04-04"))));
        Assert.Empty(Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=published&category=ledger-desk"))));
        Assert.Empty(Slugs(await JsonAsync(await editor.GetAsync("/api/v1/articles?status=draft&category=ledger-desk&language=cy'%20OR%20'1'='1"))));
    }

    [Fact]
    public async Task BadQueryValues_Answer400()
    {
        var reader = factory.CreateClient();

        AssertProblem(await reader.GetAsync("/api/v1/articles?limit=0"), HttpStatusCode.BadRequest);
        AssertProblem(await reader.GetAsync("/api/v1/articles?cursor=garbage!"), HttpStatusCode.BadRequest);
        AssertProblem(await reader.GetAsync("/api/v1/articles?from=yesterday"), HttpStatusCode.BadRequest);
        AssertProblem(await reader.GetAsync("/api/v1/search?q=x&page=0"), HttpStatusCode.BadRequest);
        AssertProblem(await reader.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/articles?from=yesterday", "The query parameter 'from' takes a date, as 2026-03-01; it was 'yesterday'.")]
    [InlineData("/api/v1/articles?limit=ten", "The query parameter 'limit' takes a whole number; it was 'ten'.")]
    [InlineData("/api/v1/search?q=x&page=2.5", "The query parameter 'page' takes a whole number; it was '2.5'.")]
    public async Task AQueryValueOfTheWrongKind_IsNamedWithWhatItTakes(string url, string detail)
    {
        using var response = await factory.CreateClient().GetAsync(url);
        var problem = await JsonAsync(response);

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}
