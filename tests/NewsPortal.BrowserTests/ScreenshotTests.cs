using NewsPortal.BrowserTests.Infrastructure;

namespace NewsPortal.BrowserTests;

/// <summary>
/// Full-page pictures at phone and desktop widths, kept in artifacts/screenshots/ for people to look at; on the way,
/// each page must fit its width (WCAG's reflow: no sideways scrolling at 320 CSS pixels and up).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    [PresentationTheory]
    [InlineData(320, 640)]
    [InlineData(375, 812)]
    [InlineData(1280, 800)]
    public async Task Screenshots_KeyPages_FitTheWidthAndAreSavedAsPng(int width, int height)
    {
        var folder = Path.Combine(PortalServer.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await using var context = await browser.NewContextAsync(signedIn: true, width: width, height: height);
        var page = await context.NewPageAsync();

        var pages = new[]
        {
            ("home", "/"), ("article", Seeded.ArticlePath), ("categories", "/categories"), ("category", Seeded.CategoryPath),
            ("sources", "/sources"), ("source", Seeded.SourcePath), ("search", "/search?q=istanbul"), ("archive", "/archive"),
            ("threads", "/threads"), ("thread", Seeded.ThreadPath),
            ("admin", "/admin"), ("admin-sources", "/admin/sources"), ("admin-edit", "/admin/articles/edit"), ("admin-edit-story", "/admin/articles/edit/1"), ("admin-import", "/admin/import"), ("admin-users", "/admin/users"),
        };
        foreach (var (name, path) in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var overflowing = await page.EvaluateAsync<string>(
                "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w)"
                + ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')",
                width);
            Assert.True(scrollWidth <= width, $"{path} is {scrollWidth} px wide in a {width} px window: {overflowing}");
            var file = Path.Combine(folder, $"{name}-{width}x{height}.png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            Assert.True(new FileInfo(file).Length > 0, $"{file} is empty.");
        }
    }

    [PresentationTheory]
    [InlineData(false, 110)]
    [InlineData(true, 150)]
    public async Task Header_OnAPhone_LeavesTheScreenToTheNews(bool signedIn, int maxHeight)
    {
        await using var context = await browser.NewContextAsync(signedIn: signedIn, width: 375, height: 812);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        var height = await page.EvaluateAsync<double>("() => document.querySelector('.site-header').getBoundingClientRect().height");
        var searchTop = await page.EvaluateAsync<double>("() => document.querySelector('#site-search-q').getBoundingClientRect().top");
        var nameTop = await page.EvaluateAsync<double>("() => document.querySelector('.site-name').getBoundingClientRect().top");

        Assert.True(height <= maxHeight, $"The header is {height} px tall at 375 px ({(signedIn ? "signed in" : "reader")}); at most {maxHeight}.");
        // The search box sits beside the site's name, not on a row of its own.
        Assert.True(Math.Abs(searchTop - nameTop) < 20, $"The search box starts at {searchTop} px, the name at {nameTop} px.");
    }
}
