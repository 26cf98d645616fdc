using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

public sealed class NamesAdminTests(EditorialFactory factory) : IClassFixture<EditorialFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task EditorsRenamingToOneNameAtOnce_OneWins_AndTheOthersAreTold()
    {
        for (var round = 0; round < 6; round++)
        {
            var names = Enumerable.Range(0, 4).Select(i => $"Rename race {round} desk {i}").ToList();
            await factory.AddArticleAsync(names.Aggregate(new ArticleBuilder().Titled($"Rename race story {round}"), (b, n) => b.InCategory(n)));
            var ids = new List<int>();
            foreach (var name in names)
            {
                ids.Add(await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Categories.Where(c => c.Name == name).Select(c => c.Id))));
            }

            // On threads of their own: SQLite's client answers "async" calls synchronously, which would run them in turn.
            var results = await Task.WhenAll(ids.Select(id => Task.Run(async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.NameAdminService>()
                    .RenameAsync(NewsPortal.Web.Admin.NameKind.Category, id, $"Rename race {round} winner", "editor@example.org");
            })));

            Assert.Single(results, r => r is null);
            Assert.All(results.Where(r => r is not null), r => Assert.True(
                r!.Contains("already", StringComparison.Ordinal) || r.Contains("Another editor has just given that name", StringComparison.Ordinal), r));
        }
    }

    [Fact]
    public async Task MergesBothWaysRenamesAndAliasesOfTwoNamesAtOnce_NeverFail_AndOneNameKeepsBothStories()
    {
        for (var round = 0; round < 3; round++)
        {
            var (east, west) = ($"Crossfire {round} east", $"Crossfire {round} west");
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Crossfire story {round} one").InCategory(east));
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Crossfire story {round} two").InCategory(west));
            var a = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Categories.Where(c => c.Name == east).Select(c => c.Id)));
            var b = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Categories.Where(c => c.Name == west).Select(c => c.Id)));
            const NewsPortal.Web.Admin.NameKind Kind = NewsPortal.Web.Admin.NameKind.Category;
            var changes = Enumerable.Range(0, 3).SelectMany(i => new Func<NewsPortal.Web.Admin.NameAdminService, Task<string?>>[]
            {
                names => names.MergeAsync(Kind, a, b, "editor@example.org"),
                names => names.MergeAsync(Kind, b, a, "editor@example.org"),
                names => names.RenameAsync(Kind, a, $"{east} renamed {i}", "editor@example.org"),
                names => names.AddAliasAsync(Kind, b, $"{west} alias {i}", "editor@example.org"),
            });

            // Merges of A into B and of B into A took the two rows in opposite orders and deadlocked (on PostgreSQL) until
            // they ran out of tries; renames and aliases meeting a deadlock or a name merged away were 500s.
            await Task.WhenAll(changes.Select(change => Task.Run(async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                return await change(scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.NameAdminService>());
            })));
            var left = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.Categories.Where(c => c.Id == a || c.Id == b).Select(c => c.Articles.Count)));

            Assert.Equal([2], left);
        }
    }

    [Fact]
    public async Task AStoryLoadedBeforeItsCategoryWasRenamed_SavesWithTheCategoryByItsNewName()
    {
        // A save reads the story, then its names; a rename in between made the category the editor names by its new
        // name come back under its new key while the story held it under the old one, and a second entity for the
        // same row failed the save (a 500 on PUT during renames).
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Renamed under a save").InCategory("Harbour desk").FromSource("Quay wire"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Data.NewsDbContext>();
        var story = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            Microsoft.EntityFrameworkCore.RelationalQueryableExtensions.AsSplitQuery(Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(db.Articles, a => a.Categories), a => a.Sources)),
            a => a.Title == "Renamed under a save");
        var categoryId = story.Categories.Single().Id;
        await using (var other = factory.Services.CreateAsyncScope())
        {
            Assert.Null(await other.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.NameAdminService>()
                .RenameAsync(NewsPortal.Web.Admin.NameKind.Category, categoryId, "Harbour and quays desk", "editor@example.org"));
        }

        await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Import.ArticleWriter>().LinkAsync(story, ["Harbour and quays desk"], ["Quay wire"], null, default);
        await db.SaveChangesAsync();

        var linked = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Articles.Where(a => a.Title == "Renamed under a save").Select(a => a.Categories.Single().Name)));
        Assert.Equal("Harbour and quays desk", linked);
    }

    [Fact]
    public async Task AdminsAddingOneAccountAtOnce_OneIsMade_AndTheOthersAreTold()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<UserService>().AddAsync("same.person@example.org", EditorialFactory.Password, Roles.Editor, "admin@example.org");
        })));

        IReadOnlyList<string> later;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            later = await scope.ServiceProvider.GetRequiredService<UserService>().AddAsync(" same.person@example.org", EditorialFactory.Password, Roles.Admin, "admin@example.org");
        }

        // However Identity found it (the name, the email or both, or the unique index), the admin reads one sentence.
        Assert.Single(results, r => r.Count == 0);
        Assert.All(results.Where(r => r.Count > 0), r => Assert.Equal(["There is already an account for 'same.person@example.org'."], r));
        Assert.Equal(["There is already an account for 'same.person@example.org'."], later);
    }

    [Fact]
    public async Task MergingTwoSources_MovesTheirArticles_AndTheOldSlugRedirectsPermanently()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Merge story one").FromSource("AP"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Merge story two").FromSource("Associated Press"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var merge = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?>
        {
            ["fromId"] = await editor.NameIdAsync("sources", "AP"),
            ["intoId"] = await editor.NameIdAsync("sources", "Associated Press"),
        }, "form[action*='handler=Merge']");
        using var redirect = await factory.CreatePlainClient().GetAsync("/sources/ap");
        var merged = await factory.CreateClient().GetDocumentAsync("/sources/associated-press");

        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/sources/associated-press", redirect.Headers.Location!.OriginalString);
        Assert.Equal(["Merge story two", "Merge story one"], merged.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task AfterAMerge_ImportsOfTheOldNameLandInTheSurvivor()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias story one").FromSource("AFP"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias story two").FromSource("Agence France-Presse"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?>
        {
            ["fromId"] = await editor.NameIdAsync("sources", "AFP"),
            ["intoId"] = await editor.NameIdAsync("sources", "Agence France-Presse"),
        }, "form[action*='handler=Merge']");

        await factory.ImportAsync(_input.Write("afp.txt", TempFolder.Snippet("Alias story three", extraHeaders: "Sources afp")));
        var page = await factory.CreateClient().GetDocumentAsync("/sources/agence-france-presse");

        Assert.Contains("Alias story three", page.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task RenamingACategory_ChangesItsPage_AndTheOldSlugRedirects()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Rename story").InCategory("Econ"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("categories", "Econ");

        using var rename = await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?> { ["id"] = id, ["name"] = "Economy" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])");
        using var redirect = await factory.CreatePlainClient().GetAsync("/categories/econ");
        var renamed = await factory.CreateClient().GetDocumentAsync("/categories/economy");

        Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("Category Economy", renamed.TextOf("main h1").Normalized());
    }

    [Fact]
    public async Task RenamingACategoryBackToItsFormerName_TakesBackItsAddress_AndTheOtherAddressRedirectsToIt()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Rename back story").InCategory("Agri"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("categories", "Agri");

        foreach (var name in new[] { "Agriculture", "Agri" })
        {
            using var rename = await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?> { ["id"] = id, ["name"] = name },
                $"form[action*='handler=Rename']:has(input[value='{id}'])");
            Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        }

        var page = await factory.CreateClient().GetDocumentAsync("/categories/agri");
        using var redirect = await factory.CreatePlainClient().GetAsync("/categories/agriculture");

        Assert.Equal("Category Agri", page.TextOf("main h1").Normalized());
        Assert.Contains("Rename back story", page.TextsOf(".headlines h2"));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/categories/agri", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ARenameTheStoreRefuses_KeepsTheAliasItWouldHaveMadeTheName()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Refused rename story").FromSource("Lambda wire"));
        int id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var names = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.NameAdminService>();
            id = (await names.FindAsync(NewsPortal.Web.Admin.NameKind.Source, "Lambda wire"))!.Value;
            Assert.Null(await names.AddAliasAsync(NewsPortal.Web.Admin.NameKind.Source, id, "Lambda agency", "editor@example.org"));
        }

        // The store refuses this one name, as it would a save that breaks any rule of its own.
        await factory.WithDbAsync(db => TestStore.IsPostgres
            ? db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION refuse_lambda_rename() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                CREATE TRIGGER refuse_lambda_rename BEFORE UPDATE ON "Sources" FOR EACH ROW WHEN (NEW."Name" = 'Lambda agency') EXECUTE FUNCTION refuse_lambda_rename();
                """)
            : db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_lambda_rename BEFORE UPDATE ON "Sources" WHEN NEW."Name" = 'Lambda agency'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.NameAdminService>()
                .RenameAsync(NewsPortal.Web.Admin.NameKind.Source, id, "Lambda agency", "editor@example.org"));
        }

        var aliases = await factory.WithDbAsync(db => db.SourceAliases.Where(a => a.TargetId == id).Select(a => a.Name).ToListAsync());
        var name = await factory.WithDbAsync(db => db.Sources.Where(s => s.Id == id).Select(s => s.Name).SingleAsync());

        Assert.Equal("Lambda wire", name);
        Assert.Equal(["Lambda agency"], aliases);
    }

    [PostgresFact]
    public async Task ARenameThatLosesEveryTryToADeadlock_TellsTheEditorToTryAgain_AndChangesNothing()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Deadlocked rename story").FromSource("Mu wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("sources", "Mu wire");
        // PostgreSQL ends this one rename as it would the loser of a deadlock, on every try.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            CREATE FUNCTION deadlock_mu_rename() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'deadlock by the test' USING ERRCODE = '40P01'; END $$;
            CREATE TRIGGER deadlock_mu_rename BEFORE UPDATE ON "Sources" FOR EACH ROW WHEN (NEW."Name" = 'Mu agency') EXECUTE FUNCTION deadlock_mu_rename();
            """));

        using var rename = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["id"] = id, ["name"] = "Mu agency" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])");
        var name = await factory.WithDbAsync(db => db.Sources.Where(s => s.Id.ToString() == id).Select(s => s.Name).SingleAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rename.StatusCode);
        Assert.Contains("Other editors are changing these names at this moment", (await rename.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal("Mu wire", name);
    }

    [Fact]
    public async Task AnAlias_IsUsedByTheImporter()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias target story").FromSource("Deutsche Presse-Agentur"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("sources", "Deutsche Presse-Agentur");

        using var alias = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["id"] = id, ["alias"] = "dpa" },
            $"form[action*='handler=Alias']:has(input[value='{id}'])");
        await factory.ImportAsync(_input.Write("dpa.txt", TempFolder.Snippet("Story from dpa", extraHeaders: "Sources DPA")));
        var page = await factory.CreateClient().GetDocumentAsync("/sources/deutsche-presse-agentur");

        Assert.Equal(HttpStatusCode.Redirect, alias.StatusCode);
        Assert.Contains("Story from dpa", page.TextsOf(".headlines h2"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreatePlainClient().GetAsync("/sources/dpa")).StatusCode);
    }

    [Theory]
    [InlineData("categories", "%20")]
    [InlineData("sources", "%09")]
    [InlineData("threads", "%C2%A0")]
    public async Task APageAddressOfOnlySpaces_IsNotFound_WhenAliasesWithoutAddressesExist(string kind, string blank)
    {
        // Aliases added by hand have no address of their own; a blank address binds as none and once matched them all.
        await factory.AddArticleAsync(new ArticleBuilder().Titled($"Blank address story {kind}").InCategory($"Blank {kind} category")
            .FromSource($"Blank {kind} source").InThread($"Blank {kind} thread"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var name = kind switch { "categories" => $"Blank {kind} category", "sources" => $"Blank {kind} source", _ => $"Blank {kind} thread" };
        var id = await editor.NameIdAsync(kind, name);
        foreach (var alias in new[] { $"{kind} first alias", $"{kind} second alias" })
        {
            using var added = await editor.SubmitFormAsync($"/admin/{kind}", new Dictionary<string, string?> { ["id"] = id, ["alias"] = alias },
                $"form[action*='handler=Alias']:has(input[value='{id}'])");
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        using var page = await factory.CreatePlainClient().GetAsync($"/{kind}/{blank}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task MergingANameIntoItself_IsRefusedWithAMessage()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Self merge story").FromSource("Kyodo"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("sources", "Kyodo");

        using var merge = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["fromId"] = id, ["intoId"] = id }, "form[action*='handler=Merge']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, merge.StatusCode);
        Assert.Contains("Choose two different", (await merge.ReadDocumentAsync()).TextOf(".form-errors"));
    }
}
