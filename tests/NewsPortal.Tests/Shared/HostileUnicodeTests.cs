using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

/// <summary>
/// A character of every Unicode general category, and the ones known to break normalization, XML and JSON, sent to
/// every way text comes in; then every page, feed, sitemap and API answer that shows text is read back.
/// </summary>
public sealed class HostileUnicodeTests(HostileUnicodeTests.Factory factory) : IClassFixture<HostileUnicodeTests.Factory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<UnicodeCategory>();
        for (var codePoint = 0; codePoint <= 0x10FFFF; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = char.ConvertFromUtf32(codePoint);
            if (seen.Add(CharUnicodeInfo.GetUnicodeCategory(text, 0)))
            {
                data.Add($"{CharUnicodeInfo.GetUnicodeCategory(text, 0)} U+{codePoint:X4}", text);
            }
        }

        data.Add("Surrogate, high alone", "\uD800");
        data.Add("Surrogate, low alone", "\uDC00");
        data.Add("Surrogates, reversed", "\uDC00\uD800");
        data.Add("Noncharacter U+FFFE", "\uFFFE");
        data.Add("Noncharacter U+FFFF", "\uFFFF");
        data.Add("Noncharacter U+FDD0", "\uFDD0");
        data.Add("Noncharacter U+1FFFE", "\U0001FFFE");
        data.Add("Noncharacter U+10FFFF", "\U0010FFFF");
        data.Add("NUL and escape", "\u0000\u001B[31m");
        data.Add("Next line U+0085", "\u0085");
        data.Add("Byte-order mark", "\uFEFF");
        data.Add("Right-to-left override", "\u202Eevil");
        data.Add("Zero-width spaces", "\u200B\u200B\u200B");
        data.Add("Line and paragraph separators", "\u2028\u2029");
        data.Add("Combining marks alone", "\u0301\u0301\u20DD");
        data.Add("Family emoji with joiners", "👩‍👩‍👧‍👦");
        data.Add("Decomposed accent", "Türkiye");
        data.Add("Replacement character", "\uFFFD");
        data.Add("Widest Arabic ligature", "\uFDFD");
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task EveryInput_TakesTheCharacter_AndEveryOutputStillWorks(string name, string sample)
    {
        var marker = $"fz{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12]}";
        var reader = factory.CreateClient();
        var api = await factory.TokenClientAsync(Roles.Editor);
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        // Search, as a page, a feed and the API.
        foreach (var url in new[] { "/search?q=", "/search/feed.atom?q=", "/search/feed.json?q=", "/api/v1/search?q=", "/api/v1/articles?q=" })
        {
            AssertNoServerError(await reader.GetAsync(url + Uri.EscapeDataString($"a{sample}")), url);
        }

        // The editors' lists and the audit log, every filter they read from the address, as an admin (who may read them all).
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        foreach (var url in new[]
        {
            "/admin?q=", "/admin?category=", "/admin?source=", "/admin?thread=", "/admin?status=", "/admin?sort=", "/admin?from=", "/admin?back=",
            "/admin/categories?q=", "/admin/sources?q=", "/admin/threads?q=", "/admin/sources?after=", "/admin/audit?user=", "/admin/audit?action=", "/admin/audit?before=",
        })
        {
            using var response = await admin.GetAsync(url + Uri.EscapeDataString($"a{sample}"));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{url} answered {response.StatusCode}");
        }

        // The API, every text field.
        using var created = await api.PostAsJsonAsync("/api/v1/articles", new
        {
            title = $"API {marker} {sample} title",
            body = $"Body {sample} text.\n\nSecond {sample} paragraph.",
            publishedOn = "2026-03-01",
            dateline = $"CITY {sample}",
            categories = new[] { $"Cat {marker} {sample}" },
            sources = new[] { $"Src {marker} {sample}" },
            correctionNote = $"Note {sample}",
            thread = $"Thread {marker} {sample}",
            status = "Published",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await created.Content.ReadFromJsonAsync<JsonElement>();
        var slug = article.GetProperty("slug").GetString()!;
        var title = article.GetProperty("title").GetString()!;
        Assert.Equal(Text.Clean(title), title);
        Assert.StartsWith($"API {marker}", title);

        // Nothing visible but the sample: refused with a message, not stored empty.
        using var invisible = await api.PostAsJsonAsync("/api/v1/articles", new { title = sample, body = "Body.", publishedOn = "2026-03-01" });
        Assert.True(invisible.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"{invisible.StatusCode}");
        if (invisible.StatusCode == HttpStatusCode.Created)
        {
            Assert.True(Text.HasVisibleText((await invisible.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!));
        }

        // The editor's form.
        using var saved = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = $"Form {marker} {sample} title",
            ["Form.Body"] = $"Body {sample} text.",
            ["Form.Dateline"] = $"CITY {sample}",
            ["Form.Categories"] = $"Form cat {marker} {sample}",
            ["Form.Sources"] = $"Form src {marker} {sample}",
            ["Form.Status"] = "Published",
            // The API's story above has the same words: the editor would be asked whether this one is a duplicate.
            ["Form.NotADuplicate"] = "true",
        }, "#article-form");
        Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"the form answered {saved.StatusCode}");
        if (saved.StatusCode == HttpStatusCode.BadRequest)
        {
            // A form body with NUL in it is refused before the page sees it.
            Assert.Contains("The form could not be read", (await saved.ReadDocumentAsync()).TextOf("main"));
        }

        // Renaming and aliasing a category.
        var id = (await factory.WithDbAsync(db => db.Categories.Where(c => c.Name.StartsWith($"Cat {marker}")).Select(c => c.Id).SingleAsync()))
            .ToString(CultureInfo.InvariantCulture);
        AssertNoServerError(await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?> { ["id"] = id, ["alias"] = $"Alias {marker} {sample}" },
            $"form[action*='handler=Alias']:has(input[value='{id}'])"), "alias");
        AssertNoServerError(await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?> { ["id"] = id, ["name"] = $"Renamed {marker} {sample}" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])"), "rename");

        // And a developing story: aliased, renamed, then merged into a thread by a name typed with the sample.
        var threadId = await factory.WithDbAsync(db => db.Threads.Where(t => t.Name.StartsWith($"Thread {marker}")).Select(t => t.Id).SingleAsync());
        var thread = threadId.ToString(CultureInfo.InvariantCulture);
        AssertNoServerError(await editor.SubmitFormAsync($"/admin/threads?q=thread+{marker}", new Dictionary<string, string?> { ["id"] = thread, ["alias"] = $"Old thread {marker} {sample}" },
            $"form[action*='handler=Alias']:has(input[value='{thread}'])"), "thread alias");
        AssertNoServerError(await editor.SubmitFormAsync($"/admin/threads?q=thread+{marker}", new Dictionary<string, string?> { ["id"] = thread, ["name"] = $"Renamed thread {marker} {sample}" },
            $"form[action*='handler=Rename']:has(input[value='{thread}'])"), "thread rename");
        AssertNoServerError(await editor.SubmitFormAsync("/admin/threads", new Dictionary<string, string?> { ["from"] = $"Old thread {marker} {sample}", ["into"] = $"No such thread {sample}" },
            "form.merge-form"), "thread merge");
        var threadSlug = await factory.WithDbAsync(db => db.Threads.Where(t => t.Id == threadId).Select(t => t.Slug).SingleAsync());

        // Imports: a dry run through the API, and a real one from a file as the command line runs it.
        var snippet = TempFolder.Snippet($"Imported {marker} {sample} title", $"Imported {sample} body.", $"Category: Imp {sample}\n\nSources Imp {sample}");
        using var dryRun = await api.PostAsync("/api/v1/import?dryRun=true", new StringContent(snippet, Encoding.UTF8, "text/plain"));
        AssertNoServerError(dryRun, "import dry run");
        var report = await factory.ImportAsync(_input.Write($"{marker}.txt", snippet));
        Assert.Equal(1, report.Imported + report.Updated + report.Rejected);

        // Every output that shows text.
        foreach (var url in new[] { "/", $"/articles/{slug}", "/search?q=" + marker, $"/api/v1/articles/{slug}", "/api/v1/articles", "/api/v1/categories", "/threads", $"/threads/{threadSlug}" })
        {
            using var response = await reader.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {response.StatusCode}");
            if (url.StartsWith("/api", StringComparison.Ordinal))
            {
                using var _ = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            }
        }

        foreach (var url in new[] { "/feed.atom", "/feed.rss", "/sitemaps/news.xml", "/sitemap.xml", "/sitemaps/pages.xml" })
        {
            using var response = await reader.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {response.StatusCode}");
            XDocument.Parse(await response.Content.ReadAsStringAsync());
        }

        using var jsonFeed = await reader.GetAsync("/feed.json");
        Assert.Equal(HttpStatusCode.OK, jsonFeed.StatusCode);
        using var feed = JsonDocument.Parse(await jsonFeed.Content.ReadAsStringAsync());
    }

    /// <summary>Many requests a minute from one address, more than the API's per-client limit allows.</summary>
    public sealed class Factory : EditorialFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:RequestsPerMinute", "100000");
        }
    }

    private static void AssertNoServerError(HttpResponseMessage response, string what)
    {
        using (response)
        {
            Assert.True((int)response.StatusCode < 500, $"{what} answered {(int)response.StatusCode}");
        }
    }
}
