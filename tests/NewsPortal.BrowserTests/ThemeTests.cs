using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class ThemeTests(BrowserFixture browser)
{
    // site.css's --bg in each theme, as getComputedStyle reports it.
    private const string LightBackground = "rgb(253, 252, 249)";
    private const string DarkBackground = "rgb(20, 20, 22)";

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [PresentationFact]
    public async Task ThemeToggle_ChosenDark_SurvivesReload()
    {
        await using var context = await browser.NewContextAsync(ColorScheme.Light);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var toggle = page.Locator("#theme-toggle");
        await Expect(toggle).ToHaveTextAsync("Theme: System");
        Assert.Equal(LightBackground, await BackgroundAsync(page));

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveTextAsync("Theme: Light");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveTextAsync("Theme: Dark");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal(DarkBackground, await BackgroundAsync(page));

        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(toggle).ToHaveTextAsync("Theme: Dark");
        Assert.Equal(DarkBackground, await BackgroundAsync(page));

        // Back to following the system: the choice is forgotten.
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveTextAsync("Theme: System");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).Not.ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal(LightBackground, await BackgroundAsync(page));
    }

    [PresentationFact]
    public async Task Theme_SystemPrefersDark_IsDarkByDefault()
    {
        await using var context = await browser.NewContextAsync(ColorScheme.Dark);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await Expect(page.Locator("#theme-toggle")).ToHaveTextAsync("Theme: System");
    }

    [PresentationFact]
    public async Task Theme_SavedChoice_IsAppliedBeforeFirstPaint()
    {
        await using var context = await browser.NewContextAsync(ColorScheme.Light);
        await context.AddInitScriptAsync("localStorage.setItem('newsportal-theme', 'dark')");
        var page = await context.NewPageAsync();
        // Record the theme when the body starts, before anything below the head has been parsed or painted.
        await context.AddInitScriptAsync(
            "new MutationObserver((_, o) => { if (document.body) { window.themeAtBody = document.documentElement.dataset.theme ?? 'none'; o.disconnect(); } })"
            + ".observe(document, { childList: true, subtree: true })");
        await page.GotoAsync("/");

        Assert.Equal("dark", await page.EvaluateAsync<string>("() => window.themeAtBody"));
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
    }

    [PresentationFact]
    public async Task Theme_WithoutJavaScript_ToggleHiddenAndSystemThemeUsed()
    {
        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = browser.Server.BaseAddress.ToString(),
            ColorScheme = ColorScheme.Dark,
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await Expect(page.Locator("#theme-toggle")).ToBeHiddenAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Headlines");
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", DarkBackground);
    }
}
