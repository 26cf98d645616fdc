using NewsPortal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(BrowserFixture browser)
{
    private sealed class Focused
    {
        public string Name { get; set; } = "";
        public string Outline { get; set; } = "";
        public string Shadow { get; set; } = "";
    }

    // Names the focused element (skip link, search box or a link's address) and reads its focus indicator.
    private const string DescribeFocus = """
        () => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const name = e.classList.contains('skip-link') ? 'skip-link'
                : e.id ? '#' + e.id
                : e.getAttribute('href') ?? e.tagName.toLowerCase();
            return { name, outline: style.outlineStyle + ' ' + style.outlineWidth, shadow: style.boxShadow };
        }
        """;

    [PresentationFact]
    public async Task Keyboard_TabFromFreshLoad_ReachesSkipLinkSearchThenNavWithVisibleFocus()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        var order = new List<Focused>();
        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<Focused>(DescribeFocus);
            order.Add(focused);
            Assert.True(
                !focused.Outline.StartsWith("none", StringComparison.Ordinal) && !focused.Outline.EndsWith(" 0px", StringComparison.Ordinal) || focused.Shadow != "none",
                $"{focused.Name} has no visible focus indicator (outline {focused.Outline}, box-shadow {focused.Shadow}).");
        }

        var names = order.Select(f => f.Name).ToList();
        var trail = string.Join(" → ", names);
        Assert.True(names[0] == "skip-link", $"The skip link is not the first stop: {trail}");
        var search = names.IndexOf("#site-search-q");
        Assert.True(search > 0, $"Tab never reached the search box: {trail}");
        foreach (var nav in new[] { "/", "/categories", "/sources" })
        {
            Assert.True(names.IndexOf(nav, search) > search, $"Tab did not reach the nav link {nav} after the search box: {trail}");
        }
    }

    [PresentationFact]
    public async Task Keyboard_EnterOnSkipLink_MovesFocusToMain()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await Expect(page.Locator(".skip-link")).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("main#main")).ToBeFocusedAsync();
    }
}

[Collection(BrowserCollection.Name)]
public sealed class KeyboardReachTests(BrowserFixture browser)
{
    // Every visible, enabled control a reader or editor could use on the page, tagged so Tab can be checked against it.
    private const string TagControls = """
        () => {
            const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
                .filter(e => !e.disabled && e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden' && e.checkVisibility()); // checkVisibility: not inside a closed <details>
            controls.forEach((e, i) => e.setAttribute('data-control', String(i)));
            return controls.length;
        }
        """;

    [PresentationTheory]
    [InlineData("/", false)]
    [InlineData("/articles/russia-ukraine-resume-peace-talks-in-istanbul-after-three-years", false)]
    [InlineData("/search?q=istanbul", false)]
    [InlineData("/admin/articles/edit", true)]
    [InlineData("/admin/import", true)]
    public async Task Keyboard_TabReachesEveryControlOnThePage(string path, bool signedIn)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        if (signedIn)
        {
            await SignIn.AsAdminAsync(page);
        }

        await page.GotoAsync(path);
        var count = await page.EvaluateAsync<int>(TagControls);
        var reached = new HashSet<string>();
        for (var i = 0; i < count * 2 + 10 && reached.Count < count; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-control')") is { } id)
            {
                reached.Add(id);
            }
        }

        var missed = await page.EvaluateAsync<string[]>(
            "reached => [...document.querySelectorAll('[data-control]')].filter(e => !reached.includes(e.getAttribute('data-control'))).map(e => e.outerHTML.slice(0, 120))",
            reached.ToArray());
        Assert.True(missed.Length == 0, $"Tab never reached {missed.Length} of {count} controls on {path}:\n{string.Join("\n", missed)}");
    }
}
