using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>
/// The names admin's likely duplicates compare every name of a kind, so they are found when the names change, not
/// each time an editor opens the page, and are never out of date with the names the page lists.
/// </summary>
public sealed class LikelyDuplicateNamesTests(RecordingEditorialFactory factory) : IClassFixture<RecordingEditorialFactory>
{
    private async Task<(string[] Pairs, IReadOnlyList<CapturedCommand> Commands)> ShowSourcesAsync(HttpClient editor)
    {
        using var recording = factory.Sql.Begin();
        var page = await editor.GetDocumentAsync("/admin/sources");
        // Each pair as the editor reads it, up to its merge button.
        return ([.. page.TextsOf(".duplicates li").Select(t => t.Normalized().Split(" Merge")[0])], recording.Commands.ToList());
    }

    private static bool ReadsEverySource(CapturedCommand command) => command.ReadsWholeTable("Sources");

    [Fact]
    public async Task LikelyDuplicates_AreFoundWhenASourceIsAddedOrRenamed_NotEachTimeThePageIsShown()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour wire one").FromSource("Kestrel-Wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour wire two").FromSource("Kestrel Wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var (first, firstCommands) = await ShowSourcesAsync(editor);
        var (again, againCommands) = await ShowSourcesAsync(editor);
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour wire three").FromSource("Kestrel Wire"));
        var (counted, countedCommands) = await ShowSourcesAsync(editor);
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Osprey bulletin").FromSource("Osprey Radio Network"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Osprey bulletin again").FromSource("Ospray Radio Network"));
        var (added, _) = await ShowSourcesAsync(editor);
        var id = await editor.NameIdAsync("sources", "Ospray Radio Network");
        using var rename = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["id"] = id, ["name"] = "Heron Radio" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])");
        var (renamed, _) = await ShowSourcesAsync(editor);

        const string Kestrel = "“Kestrel-Wire” (1) and “Kestrel Wire” (2): the same but for spaces, punctuation or accents.";
        Assert.Contains(firstCommands, ReadsEverySource);
        Assert.Equal(["“Kestrel Wire” (1) and “Kestrel-Wire” (1): the same but for spaces, punctuation or accents."], first);
        Assert.DoesNotContain(againCommands, ReadsEverySource);
        Assert.Equal(first, again);
        // A story more for one spelling: the pair is not looked for again, but its counts, and so which way it merges, are the store's.
        Assert.DoesNotContain(countedCommands, ReadsEverySource);
        Assert.Equal([Kestrel], counted);
        // A new spelling shows at once, and a renamed one is gone.
        Assert.Contains(added, p => p.StartsWith("“Ospray Radio Network” (1) and “Osprey Radio Network” (1): spelt a letter or two differently", StringComparison.Ordinal));
        Assert.Contains(Kestrel, added);
        Assert.Equal([Kestrel], renamed);
    }

    [Fact]
    public async Task ASourceRenamedOnAnotherNode_LeavesThisNodesLikelyDuplicatesWithinASecondOrTwo()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Plover bulletin").FromSource("Plover Coast Radio"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Plover bulletin again").FromSource("Plovar Coast Radio"));
        using var other = new OtherNodeFactory(factory.Store);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var (before, _) = await ShowSourcesAsync(editor);
        var onOtherNode = other.CreatePlainClient();
        (await onOtherNode.SignInAsync(await other.CreateUserAsync(Roles.Editor), EditorialFactory.Password)).Dispose();
        var id = await onOtherNode.NameIdAsync("sources", "Plovar Coast Radio");
        using var rename = await onOtherNode.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["id"] = id, ["name"] = "Sandpiper FM" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])");

        var renamedAfter = System.Diagnostics.Stopwatch.StartNew();
        string[] after;
        while ((after = (await ShowSourcesAsync(editor)).Pairs).Any(p => p.Contains("Sandpiper", StringComparison.Ordinal)) && renamedAfter.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        Assert.Contains(before, p => p.StartsWith("“Plovar Coast Radio” (1) and “Plover Coast Radio” (1): spelt a letter or two differently", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, rename.StatusCode);
        Assert.DoesNotContain(after, p => p.Contains("Plover", StringComparison.Ordinal) || p.Contains("Sandpiper", StringComparison.Ordinal));
        Assert.True(renamedAfter.Elapsed < TimeSpan.FromSeconds(5), $"still shown after {renamedAfter.Elapsed.TotalSeconds:0.0} s");
    }
}
