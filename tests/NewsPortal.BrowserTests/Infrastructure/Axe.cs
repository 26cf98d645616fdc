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
