using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;

namespace NewsPortal.BrowserTests;

/// <summary>Every page works under the site's own Content-Security-Policy: nothing it needs is refused.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [PresentationFact]
    public async Task EveryPage_RunsUnderThePolicy_WithNothingRefused()
    {
        await using var context = await browser.NewContextAsync(signedIn: true);
        var page = await context.NewPageAsync();
        var refused = ContentSecurityPolicy.RefusalsOn(page);

        foreach (var path in new[]
        {
            "/", Seeded.ArticlePath, "/categories", Seeded.CategoryPath, "/sources", Seeded.SourcePath, "/search?q=istanbul", "/archive", "/languages",
            "/admin", "/admin/articles/1/revisions", "/admin/import", "/admin/categories", "/admin/threads", "/admin/tokens", "/admin/password", "/admin/two-step", "/admin/passkeys", "/admin/users", "/admin/webhooks",
            "/account/login",
        })
        {
            Assert.Equal(200, (await page.GotoAsync(path))!.Status);
        }

        // The editor's script at work: the live preview and the theme switch.
        await page.GotoAsync("/admin/articles/edit");
        await page.Locator("#Form_Body").FillAsync("Under the **policy**.");
        await Assertions.Expect(page.Locator("#preview strong")).ToHaveTextAsync("policy");

        Assert.Empty(refused);
    }

    [PresentationFact]
    public async Task AnInlineScript_IsRefused()
    {
        // Proves the check above can fail: the policy is there, and the browser reports what it refuses.
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) => refused.Add(message.Text);
        await page.GotoAsync("/");

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.ran = true'; document.body.append(s); }");

        Assert.False(await page.EvaluateAsync<bool>("() => window.ran === true"));
        Assert.Contains(refused, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
