using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace NewsPortal.BrowserTests.Infrastructure;

/// <summary>Runs axe-core (from this project's package-lock.json, installed by <c>npm ci</c>) in a page.</summary>
public static class Axe
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly string ScriptPath = Path.Combine(
        PortalServer.RepositoryRoot, "tests", "NewsPortal.BrowserTests", "node_modules", "axe-core", "axe.min.js");

    /// <summary>
    /// Fails unless <paramref name="path"/>, as the browser of <paramref name="context"/> has it now (its cookies), has no
    /// violation in either theme; checked in a second context that lets axe's script in.
    /// </summary>
    public static async Task AssertNoneSignedInAsync(IBrowser browser, IBrowserContext context, string baseUrl, string path)
    {
        foreach (var theme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var checking = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseUrl,
                ColorScheme = theme,
                BypassCSP = true,
                StorageState = await context.StorageStateAsync(),
            });
            var page = await checking.NewPageAsync();
            Xunit.Assert.Equal(200, (await page.GotoAsync(path))!.Status);
            var violations = await ViolationsAsync(page);
            Xunit.Assert.True(violations.Length == 0, $"axe found violations on {path} ({theme}):{Environment.NewLine}{violations}");
        }
    }

    /// <summary>Every violation on the page, one line per rule with its targets; empty when there are none.</summary>
    public static async Task<string> ViolationsAsync(IPage page)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException($"axe-core is not installed at {ScriptPath}: run `npm ci` in tests/NewsPortal.BrowserTests.");
        }

        await page.AddScriptTagAsync(new() { Path = ScriptPath });
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async tags => {
                const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
                return result.violations.map(v => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary ?? '').replaceAll('\n', ' '))
                }));
            }
            """,
            Tags);

        var report = new StringBuilder();
        foreach (var violation in violations.EnumerateArray())
        {
            report.AppendLine($"{violation.GetProperty("id").GetString()} ({violation.GetProperty("impact").GetString()}): {violation.GetProperty("help").GetString()}");
            foreach (var node in violation.GetProperty("nodes").EnumerateArray())
            {
                report.AppendLine($"    {node.GetString()}");
            }
        }

        return report.ToString();
    }
}
