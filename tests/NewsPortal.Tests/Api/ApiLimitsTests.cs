using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Api;

/// <summary>A site whose own headline limit is shorter than the store's.</summary>
public sealed class ShortTitlesFactory : EditorialFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Import:MaxTitleLength", "80");
    }
}

public sealed class ApiLimitsTests(ShortTitlesFactory factory) : IClassFixture<ShortTitlesFactory>
{
    [Fact]
    public async Task TheSitesTitleLimit_HoldsForTheApiAndTheForm_AsForImports()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var title = new string('t', 81);

        using var created = await api.PostAsJsonAsync("/api/v1/articles", new { title, body = "Body.", publishedOn = "2026-03-01" });
        using var form = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = title,
            ["Form.Body"] = "Body.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
        }, "#article-form");
        using var shorter = await api.PostAsJsonAsync("/api/v1/articles", new { title = title[..80], body = "Body.", publishedOn = "2026-03-01" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.StatusCode);
        Assert.Contains("The title can be at most 80 characters long (Import:MaxTitleLength).", await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, form.StatusCode);
        Assert.Contains("The title can be at most 80 characters long (Import:MaxTitleLength).", (await form.ReadDocumentAsync()).Body!.TextContent);
        Assert.Equal(HttpStatusCode.Created, shorter.StatusCode);
    }
}
