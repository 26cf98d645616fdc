using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class EditorJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Editor_WritesWithLivePreview_PublishesAndReadersSeeIt()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAdminAsync(page);

        await page.GotoAsync("/admin/articles/edit");
        const string title = "Ferries resume across the Bosphorus after the storm";
        await page.GetByLabel("Title").FillAsync(title);
        await page.Locator("#Form_Body").FillAsync("Services **resumed** on Monday morning.\n\nCrews checked every pier.");

        // admin.js posts the form to the server's renderer as the editor types.
        await Expect(page.Locator("#preview strong")).ToHaveTextAsync("resumed");
        await Expect(page.Locator("#preview p")).ToHaveCountAsync(2);

        await page.Locator("#Form_Status").SelectOptionAsync(new SelectOptionValue { Label = "Published" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Saved.");

        var link = page.Locator("main p.meta a[href^='/articles/']");
        var path = await link.GetAttributeAsync("href");
        Assert.NotNull(path);

        await using var readerContext = await browser.NewContextAsync();
        var reader = await readerContext.NewPageAsync();
        var response = await reader.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        await Expect(reader.Locator("h1")).ToHaveTextAsync(title);
        await Expect(reader.Locator(".story-body strong")).ToHaveTextAsync("resumed");

        await reader.GotoAsync("/");
        await Expect(reader.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Expect(reader).ToHaveURLAsync(new Regex("/$"));
    }
}

[Collection(BrowserCollection.Name)]
public sealed class EditorAutosaveTests(BrowserFixture browser)
{
    [Fact]
    public async Task UnsavedWork_SurvivesAClosedTab_AndCanBeRestored()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAdminAsync(page);
        await page.GotoAsync("/admin/articles/edit");
        await page.GetByLabel("Title").FillAsync("Half-written story about tides");
        await page.Locator("#Form_Body").FillAsync("The tide came in faster than forecast.");
        await page.CloseAsync();

        // The same editor, in a new tab of the same browser.
        var again = await context.NewPageAsync();
        await again.GotoAsync("/admin/articles/edit");
        await Expect(again.Locator(".autosave")).ToContainTextAsync("unsaved changes");
        await again.GetByRole(AriaRole.Button, new() { Name = "Restore them" }).ClickAsync();

        await Expect(again.GetByLabel("Title")).ToHaveValueAsync("Half-written story about tides");
        await Expect(again.Locator("#Form_Body")).ToHaveValueAsync("The tide came in faster than forecast.");
        await Expect(again.Locator("#preview p")).ToContainTextAsync("The tide came in faster than forecast.");
    }
}
