using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;

namespace NewsPortal.Tests.Admin;

/// <summary>
/// An editor's save (and the API's) names a few categories, sources and a thread: it looks those up, and a new one's
/// address among the few it could take, instead of reading every name in the store once per save.
/// </summary>
public sealed class EditorSaveNamesTests(RecordingEditorialFactory factory) : IClassFixture<RecordingEditorialFactory>
{
    private static readonly string[] NameTables = ["Categories", "Sources", "Threads", "CategoryAliases", "SourceAliases", "ThreadAliases"];

    private static bool ReadsEveryName(CapturedCommand command) => command.ReadsWholeTable(NameTables);

    private async Task<(SaveResult Saved, IReadOnlyList<CapturedCommand> Commands)> CreateAsync(ArticleForm form)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var articles = scope.ServiceProvider.GetRequiredService<ArticleAdminService>();
        using var recording = factory.Sql.Begin();
        var saved = await articles.CreateAsync(form, "editor@example.com");
        return (saved, recording.Commands.ToList());
    }

    private Task<List<(string Name, string Slug)>> SourcesOfAsync(int id)
        => factory.WithDbAsync(async db => (await db.Articles.Where(a => a.Id == id).SelectMany(a => a.Sources).Select(s => new { s.Name, s.Slug }).ToListAsync())
            .Select(s => (s.Name, s.Slug)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList());

    [Fact]
    public async Task ASave_LooksUpTheNamesItGives_AndAnAliasLeadsToItsName_WithoutReadingEveryName()
    {
        for (var i = 1; i <= 30; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Relay story {i}").FromSource($"Relay agency {i:D2}").InCategory($"Relay desk {i:D2}").InThread($"Relay thread {i:D2}"));
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var names = scope.ServiceProvider.GetRequiredService<NameAdminService>();
            Assert.Null(await names.AddAliasAsync(NameKind.Source, (await names.FindAsync(NameKind.Source, "Relay agency 07"))!.Value, "Relay Seven", "editor@example.com"));
        }

        var (saved, commands) = await CreateAsync(new ArticleForm
        {
            Title = "Relay agencies merge their desks",
            Body = "The two newsrooms become one.",
            Sources = "Relay agency 03, Relay Seven, Brand New Wire",
            Categories = "Relay desk 05, Relay desk 40",
            Thread = "Relay thread 09",
        });

        Assert.DoesNotContain(commands, ReadsEveryName);
        Assert.Equal([("Brand New Wire", "brand-new-wire"), ("Relay agency 03", "relay-agency-03"), ("Relay agency 07", "relay-agency-07")], await SourcesOfAsync(saved.Id));
        Assert.Equal(["Relay desk 05", "Relay desk 40"], await factory.WithDbAsync(db =>
            db.Articles.Where(a => a.Id == saved.Id).SelectMany(a => a.Categories).Select(c => c.Name).OrderBy(n => n).ToListAsync()));
        Assert.Equal("relay-thread-09", await factory.WithDbAsync(db => db.Articles.Where(a => a.Id == saved.Id).Select(a => a.Thread!.Slug).SingleAsync()));
    }

    [Fact]
    public async Task ANewSourceWhoseAddressAndItsFirstSixtyFourNumbersAreTaken_GetsTheNextFreeOne()
    {
        // "Radio", "Radio!", "Radio!!"…: 65 names, one address each from "radio" to "radio-65".
        for (var i = 0; i < 65; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Radio bulletin {i}").FromSource("Radio" + new string('!', i)));
        }

        var (saved, _) = await CreateAsync(new ArticleForm { Title = "Radio bulletin, late edition", Body = "News at ten.", Sources = "Radio?" });

        Assert.Equal([("Radio?", "radio-66")], await SourcesOfAsync(saved.Id));
    }

    [Fact]
    public async Task TheEditorsWarningOfALookalikeName_ComparesEveryNameOnceNotOnEachSave()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kestrel sighting").FromSource("Kestrel Observer"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = new Dictionary<string, string?> { ["Form.Title"] = "Kestrels return to the cliffs", ["Form.Body"] = "Three pairs nest.", ["Form.Sources"] = "Kestrel Obsrever" };

        using var first = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        IReadOnlyList<CapturedCommand> commands;
        HttpResponseMessage second;
        using (var recording = factory.Sql.Begin())
        {
            second = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
            commands = recording.Commands.ToList();
        }

        using (second)
        {
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, second.StatusCode);
            Assert.Contains("'Kestrel Obsrever' would be a new source, but 'Kestrel Observer' exists", (await second.ReadDocumentAsync()).TextOf("#article-form").Normalized());
            Assert.DoesNotContain(commands, ReadsEveryName);
        }
    }
}
