using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Api;

public sealed class ApiTokenTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task AnEditorMakesATokenInTheAdminArea_UsesIt_ThenRevokesIt()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var created = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "my script" }, "form[action*='handler=Create']");
        var page = await created.ReadDocumentAsync();
        var token = page.QuerySelector("#new-token")!.TextContent;
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var write = await api.PostAsJsonAsync("/api/v1/articles", new { title = "Written with a token", body = "Body.", publishedOn = "2026-03-01", language = "en" });
        var list = await editor.GetDocumentAsync("/admin/tokens");
        using var revoke = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?>(), "form[action*='handler=Revoke']");
        using var afterRevoke = await api.PostAsJsonAsync("/api/v1/articles", new { title = "After revoking", body = "Body.", publishedOn = "2026-03-01", language = "en" });

        Assert.StartsWith("np_", token);
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        Assert.DoesNotContain(token, list.Body!.InnerHtml);
        Assert.Contains(token[..10], list.TextOf(".admin-table code"));
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("x")]
    [InlineData("99999999999")]
    [InlineData("-30")]
    public async Task ALifetimeNotOffered_IsRefusedOnTheForm_AndMakesNoToken(string days)
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var refused = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "odd lifetime", ["days"] = days }, "form[action*='handler=Create']");
        var page = await refused.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal($"A token expires in 30, 90 or 365 days, or never; '{days}' is none of these.", page.TextOf(".form-errors").Trim());
        Assert.Null(page.QuerySelector("#new-token"));
        Assert.DoesNotContain("odd lifetime", page.TextOf(".admin-table"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ATokenAskedForWithoutAName_IsRefusedOnTheForm_AndMakesNoToken(string name)
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var refused = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = name }, "form[action*='handler=Create']");
        var page = await refused.ReadDocumentAsync();
        var list = await editor.GetDocumentAsync("/admin/tokens");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(NewsPortal.Web.Admin.TokensModel.NameNeeded, page.TextOf(".form-errors").Trim());
        Assert.Null(page.QuerySelector("#new-token"));
        Assert.Null(list.QuerySelector("form[action*='handler=Revoke']"));
    }

    [Fact]
    public async Task ATokenNamedAtItsLimitWithAnEmoji_KeepsTheWholeEmojisOnly()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email);
        var tokens = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>();

        await tokens.CreateAsync(user!.Id, email, new string('a', 99) + "😀");

        Assert.Equal(new string('a', 99), Assert.Single(await tokens.ListAsync(user.Id)).Name);
    }

    [Fact]
    public async Task AnAccountHoldingTheMostLiveTokens_IsAskedToRevokeOneBeforeMakingAnother()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        for (var i = 1; i <= NewsPortal.Web.Api.ApiTokenService.MaxLiveTokens; i++)
        {
            using var made = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = $"script {i}" }, "form[action*='handler=Create']");
            Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        }

        using var refused = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "one too many" }, "form[action*='handler=Create']");
        var refusedPage = await refused.ReadDocumentAsync();
        using var revoke = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?>(), "form[action*='handler=Revoke']");
        using var replacement = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "replacement" }, "form[action*='handler=Create']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(NewsPortal.Web.Api.ApiTokenService.TooManyTokens, refusedPage.TextOf(".form-errors").Trim());
        Assert.Null(refusedPage.QuerySelector("#new-token"));
        Assert.Equal(HttpStatusCode.OK, replacement.StatusCode);
        Assert.NotNull((await replacement.ReadDocumentAsync()).QuerySelector("#new-token"));
    }

    [Fact]
    public async Task TokensAskedForAtOnce_StopAtTheLimit()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        string userId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
        }

        // On threads of their own: SQLite's calls complete synchronously, so awaited in turn they would not overlap.
        var made = await Task.WhenAll(Enumerable.Range(1, NewsPortal.Web.Api.ApiTokenService.MaxLiveTokens + 10).Select(i => Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>().CreateAsync(userId, email, $"script {i}");
        })));

        await using var reading = factory.Services.CreateAsyncScope();
        var live = await reading.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>().ListAsync(userId);
        Assert.Equal(NewsPortal.Web.Api.ApiTokenService.MaxLiveTokens, made.Count(t => t is not null));
        Assert.Equal(NewsPortal.Web.Api.ApiTokenService.MaxLiveTokens, live.Count(t => !t.Revoked));
    }

    [Fact]
    public async Task TheTokenList_ShowsEveryLiveToken_AndOnlyTheNewestEndedOnes()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email);
        var tokens = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>();
        await tokens.CreateAsync(user!.Id, email, "the oldest, still live");
        for (var i = 1; i <= NewsPortal.Web.Api.ApiTokenService.EndedShown + 5; i++)
        {
            await tokens.CreateAsync(user.Id, email, $"used once {i}");
            Assert.True(await tokens.RevokeAsync(user.Id, email, (await tokens.ListAsync(user.Id)).First(t => !t.Revoked && t.Name == $"used once {i}").Id));
        }

        var list = await tokens.ListAsync(user.Id);

        Assert.Equal(1 + NewsPortal.Web.Api.ApiTokenService.EndedShown, list.Count);
        Assert.Equal("the oldest, still live", list[0].Name);
        Assert.Equal($"used once {NewsPortal.Web.Api.ApiTokenService.EndedShown + 5}", list[1].Name);
        Assert.All(list.Skip(1), t => Assert.True(t.Revoked));
    }

    [Fact]
    public async Task TokensAreStoredOnlyAsHashes()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "hash check" }, "form[action*='handler=Create']");
        var token = (await created.ReadDocumentAsync()).QuerySelector("#new-token")!.TextContent;

        var stored = await factory.WithDbAsync(db => Task.FromResult(db.ApiTokens.Select(t => t.Hash).ToList()));

        Assert.DoesNotContain(token, stored);
        Assert.Contains(NewsPortal.Web.Api.ApiTokenService.Hash(token), stored);
    }

    [Fact]
    public async Task ATokenWithALifetime_WorksUntilItExpires_AndThePageShowsItsExpiryAndLastUse()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "expiring", ["days"] = "30" }, "form[action*='handler=Create']");
        var token = (await created.ReadDocumentAsync()).QuerySelector("#new-token")!.TextContent;
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var expires = factory.Clock.GetUtcNow().UtcDateTime.AddDays(30).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        using var whileValid = await api.PostAsync("/api/v1/articles/no-such-story/publish", null);
        var row = (await editor.GetDocumentAsync("/admin/tokens")).TextsOf(".admin-table tbody tr:first-child td");
        factory.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        using var afterExpiry = await api.PostAsync("/api/v1/articles/no-such-story/publish", null);

        Assert.Equal(HttpStatusCode.NotFound, whileValid.StatusCode);
        Assert.Equal("expiring", row[0]);
        Assert.NotEqual("never", row[3]);
        Assert.Equal(expires, row[4]);
        Assert.Equal(HttpStatusCode.Unauthorized, afterExpiry.StatusCode);
    }

    [Fact]
    public async Task AnAdminRevokesAnEditorsToken_WhichStopsWorking_WhileEditorsSeeOnlyTheirOwn()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?> { ["name"] = "leaked script" }, "form[action*='handler=Create']");
        var token = (await created.ReadDocumentAsync()).QuerySelector("#new-token")!.TextContent;
        var otherEditor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var editorsView = await otherEditor.GetDocumentAsync("/admin/tokens");
        var adminsView = await admin.GetDocumentAsync("/admin/tokens");
        var row = adminsView.QuerySelectorAll("#others-tokens tbody tr").Single(r => r.TextContent.Contains(token[..10], StringComparison.Ordinal));
        var id = row.QuerySelector("input[name=id]")!.GetAttribute("value");
        // The editor posts the revoke an admin's page offers, with an antiforgery token of their own.
        var antiforgery = editorsView.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var byEditor = await otherEditor.PostAsync("/admin/tokens?handler=Revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id!, ["__RequestVerificationToken"] = antiforgery }));
        using var stillWorks = await api.GetAsync("/api/v1/articles");
        using var byAdmin = await admin.SubmitFormAsync("/admin/tokens", new Dictionary<string, string?>(), $"#others-tokens form:has(input[value='{id}'])");
        using var afterRevoke = await api.GetAsync("/api/v1/articles");

        Assert.Null(editorsView.QuerySelector("#others-tokens"));
        Assert.Contains("leaked script", row.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, byEditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task ADisabledUsersToken_StopsWorking()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email);
        var token = await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>().CreateAsync(user!.Id, email, "t");
        await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(user.Id, disabled: true, "admin@example.org");
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await api.DeleteAsync($"/api/v1/articles/{Seed.Slug}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsAtTheSignInForm_DoNotCutOffTheAccountsToken()
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var api = await TokenFor(email);
        for (var i = 0; i < 5; i++)
        {
            (await factory.CreatePlainClient().SignInAsync(email, "guess " + i)).Dispose();
        }

        using var locked = await factory.CreatePlainClient().SignInAsync(email, EditorialFactory.Password);
        using var response = await api.GetAsync("/api/v1/articles?status=all");

        Assert.Contains(NewsPortal.Web.Accounts.LoginModel.Failed, (await locked.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResettingThePasswordOrDisablingTheAccount_RevokesItsTokensForGood(bool disable)
    {
        var email = await factory.CreateUserAsync(Roles.Editor);
        var api = await TokenFor(email);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email);
            var users = scope.ServiceProvider.GetRequiredService<UserService>();
            Assert.Empty(disable
                ? await users.SetDisabledAsync(user!.Id, disabled: true, "admin@example.org")
                : await users.ResetPasswordAsync(user!.Id, "a brand new password", "admin@example.org"));
            Assert.Empty(await users.SetDisabledAsync(user.Id, disabled: false, "admin@example.org"));
        }

        using var response = await api.GetAsync("/api/v1/articles?status=all");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid, or has been revoked", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Bearer np_made-up-token-for-every-request")]
    [InlineData("Bearer not-even-the-right-shape")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task CredentialsTheApiCannotAccept_Are401_EvenOnPublicReads(string authorization)
    {
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        using var list = await api.GetAsync("/api/v1/articles");
        using var article = await api.GetAsync($"/api/v1/articles/{Seed.Slug}");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, article.StatusCode);
        Assert.Equal("Bearer", list.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreatePlainClient().GetAsync("/api/v1/articles")).StatusCode);
    }

    private async Task<HttpClient> TokenFor(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email);
        var token = await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Api.ApiTokenService>().CreateAsync(user!.Id, email, "t");
        var api = factory.CreatePlainClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }
}

public sealed class ApiImportFactory : EditorialFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Import:MaxFileBytes", "2000");
        builder.UseSetting("Api:RequestsPerMinute", "40");
    }
}

public sealed class ApiImportTests(ApiImportFactory factory) : IClassFixture<ApiImportFactory>
{
    [Fact]
    public async Task ImportingSnippetText_ReportsLikeTheCli()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var dry = await client.PostAsync("/api/v1/import?dryRun=true", new StringContent(TempFolder.Snippet("API import story"), Encoding.UTF8, "text/plain"));
        using var real = await client.PostAsync("/api/v1/import", new StringContent(TempFolder.Snippet("API import story"), Encoding.UTF8, "text/plain"));
        using var again = await client.PostAsync("/api/v1/import", new StringContent(TempFolder.Snippet("API import story"), Encoding.UTF8, "text/plain"));
        var dryReport = await dry.Content.ReadFromJsonAsync<JsonElement>();
        var realReport = await real.Content.ReadFromJsonAsync<JsonElement>();
        var againReport = await again.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.True(dryReport.GetProperty("dryRun").GetBoolean());
        Assert.Equal(1, dryReport.GetProperty("imported").GetInt32());
        Assert.Equal(1, realReport.GetProperty("imported").GetInt32());
        Assert.Equal(1, againReport.GetProperty("unchanged").GetInt32());
        Assert.Contains("1 imported", realReport.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task ADryRunFlagThatIsNotTrueOrFalse_IsNamed()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsync("/api/v1/import?dryRun=maybe", new StringContent(TempFolder.Snippet("Maybe story"), Encoding.UTF8, "text/plain"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The query parameter 'dryRun' takes true or false; it was 'maybe'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ImportingJsonLinesWithABadLine_Answers422WithTheLine()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var body = "{\"title\":\"Good line\",\"publishedOn\":\"2026-01-01\",\"body\":\"x\"}\n{\"title\":\"Bad line\",\"body\":\"x\"}\n";

        using var response = await client.ImportJsonLinesAsync(body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(2, problem.GetProperty("report").GetProperty("problems")[0].GetProperty("line").GetInt32());
        Assert.Equal(0, problem.GetProperty("report").GetProperty("imported").GetInt32());
        var audited = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.AuditLog.Where(e => e.Action == "import").OrderByDescending(e => e.Id).Select(e => e.Details)));
        Assert.Equal("0 imported, 0 updated, 0 unchanged, 1 file(s) rejected", audited);
    }

    [Theory]
    [InlineData("application/jsonl")]
    [InlineData("application/x-jsonlines")]
    [InlineData("application/json-lines")]
    public async Task JsonLines_IsTakenUnderEachOfItsNames(string mediaType)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);
        var body = $"{{\"title\":\"Sent as {mediaType}\",\"publishedOn\":\"2026-01-01\",\"body\":\"x\"}}\n";

        using var response = await client.PostAsync("/api/v1/import", new StringContent(body, Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-ndjson")]
    public async Task AnEmptyImport_Answers422SayingSo_WhateverItsType(string mediaType)
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var response = await client.PostAsync("/api/v1/import", new StringContent("", Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("The body is empty", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ImportingTheWrongTypeOrTooMuch_Answers415Or413()
    {
        var client = await factory.TokenClientAsync(Roles.Editor);

        using var wrongType = await client.PostAsync("/api/v1/import", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        using var json = await client.PostAsync("/api/v1/import", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var tooLarge = await client.PostAsync("/api/v1/import", new StringContent(new string('x', 3000), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        // What an import takes, not the article writes' application/json.
        Assert.Equal("Send snippet text as text/plain or JSON Lines as application/x-ndjson.", (await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("Send snippet text as text/plain or JSON Lines as application/x-ndjson.", (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("Import:MaxFileBytes", (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TooManyRequestsFromOneAddress_Answer429WithRetryAfter()
    {
        var reader = factory.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 45 && last?.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            last?.Dispose();
            last = await reader.GetAsync("/api/v1/categories");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType!.MediaType);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        last.Dispose();
    }
}

public sealed class ApiPagingTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task TheNextLink_KeepsTheFilters_AndDropsASharedLinksClickIds()
    {
        for (var day = 1; day <= 3; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Linked story {day}").PublishedOn(2025, 3, day));
        }

        using var response = await factory.CreateClient().GetAsync("/api/v1/articles?limit=2&q=Linked&fbclid=IwAR1private&utm_source=social&x=1");
        var next = response.Headers.GetValues("Link").Single().Split('<', '>')[1];

        Assert.StartsWith("/api/v1/articles?", next);
        Assert.Contains("limit=2", next);
        Assert.Contains("q=Linked", next);
        Assert.Contains("cursor=", next);
        Assert.DoesNotContain("fbclid", next);
        Assert.DoesNotContain("utm_source", next);
        Assert.DoesNotContain("x=1", next);
    }

    [Fact]
    public async Task CursorPaging_NeitherRepeatsNorSkips_WhileArticlesAreAdded()
    {
        for (var day = 1; day <= 25; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Paged story {day}").PublishedOn(2025, 1, day));
        }

        var reader = factory.CreateClient();
        var seen = new List<string>();
        var url = "/api/v1/articles?limit=10&q=Paged";
        var pages = 0;
        while (url is not null)
        {
            using var response = await reader.GetAsync(url);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("title").GetString()!));
            url = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
            if (++pages == 1)
            {
                // Newer stories arrive while the client is reading page one.
                for (var i = 0; i < 5; i++)
                {
                    await factory.AddArticleAsync(new ArticleBuilder().Titled($"Paged story late {i}").PublishedOn(2025, 2, 1 + i));
                }
            }
        }

        var original = Enumerable.Range(1, 25).Select(d => $"Paged story {d}").Reverse().ToList();
        Assert.Equal(3, pages);
        Assert.Equal(original, seen);
    }
}

public sealed class OpenApiTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryRouteTheAppMaps()
    {
        using var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();

        // Every route handler the app maps (not pages or static files; not those marked as outside the API) must be in the document.
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                && !(e.RoutePattern.RawText ?? "").StartsWith("/openapi", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{(e.RoutePattern.RawText ?? "").TrimStart('/')}".Replace(":int", "", StringComparison.Ordinal)))
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(mapped);
        Assert.All(mapped, route => Assert.Contains(route, documented));
        Assert.Contains("POST /api/v1/articles", documented);
        Assert.Contains("PUT /api/v1/articles/{slug}", documented);
        Assert.Contains("POST /api/v1/import", documented);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheErrorsEachWriteCanAnswer()
    {
        using var document = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"));
        var put = document.RootElement.GetProperty("paths").GetProperty("/api/v1/articles/{slug}").GetProperty("put").GetProperty("responses");

        foreach (var status in new[] { "200", "401", "403", "404", "409", "415", "422", "429" })
        {
            Assert.True(put.TryGetProperty(status, out _), $"PUT /api/v1/articles/{{slug}} does not document {status}");
        }
    }
}
