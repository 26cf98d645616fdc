using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

/// <summary>An empty store whose SQL is recorded, for what an import of many stories asks of it.</summary>
public sealed class SlugVolumeFactory : EmptyNewsPortalFactory
{
    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services
            .ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(Sql))
            .ConfigureDbContext<PostgresNewsDbContext>(options => options.AddInterceptors(Sql)));
    }
}

public sealed class SlugVolumeTests(SlugVolumeFactory factory) : IClassFixture<SlugVolumeFactory>
{
    private static SnippetDocument Story(string title, int i, IReadOnlyList<string>? categories = null) => new(
        title, new DateOnly(2026, 3, 1).AddDays(i % 300), null, "en", categories ?? ["Briefings"], $"https://example.org/briefing/{i}", "example.org",
        ["Desk"], null, $"Briefing number {i}.");

    [Fact]
    public async Task StoriesSharingOneHeadline_EachGetTheirOwnNumberedAddress_AskingTheStoreAFewTimesNotOncePerNumber()
    {
        var documents = Enumerable.Range(0, 600).Select(i => Story("Morning briefing", i)).ToList();
        await using var scope = factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ImportService>();

        List<CapturedCommand> commands;
        using (var recording = factory.Sql.Begin())
        {
            var report = await importer.ImportDocumentsAsync("briefings", documents);
            Assert.Equal(600, report.Imported);
            commands = [.. recording.Commands];
        }

        var slugs = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title == "Morning briefing").Select(a => a.Slug).ToListAsync());
        Assert.Equal(600, slugs.Distinct().Count());
        Assert.Contains("morning-briefing", slugs);
        Assert.Contains("morning-briefing-600", slugs);
        // Before, each story asked for "-2", "-3"… one number at a time: 180,000 queries for these 600.
        Assert.InRange(commands.Count(c => c.Sql.Contains("\"SlugRedirects\"", StringComparison.Ordinal)), 1, 60);
    }

    [Fact]
    public async Task AStoryNamingMoreCategoriesThanTheLimit_IsRejectedByTheImport_NamingTheLimit()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ImportService>();

        var report = await importer.ImportDocumentsAsync("crowded", [Story("Crowded story", 1, [.. Enumerable.Range(1, 51).Select(i => $"Desk {i}")])]);

        Assert.Equal(0, report.Imported);
        Assert.Contains(report.Problems, p => p.ToString().Contains("the story names 51 categories; a story takes at most 50", StringComparison.Ordinal));
    }
}
