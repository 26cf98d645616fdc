using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Corpus;
using NewsPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NewsPortal.Tests.Articles;

/// <summary>Runs only when NEWSPORTAL_MEASURE is "related-stories" (scripts/related-stories.sh): it imports the corpus.</summary>
public sealed class RelatedStoriesMeasureAttribute : FactAttribute
{
    public RelatedStoriesMeasureAttribute()
    {
        if (Environment.GetEnvironmentVariable("NEWSPORTAL_MEASURE") != "related-stories")
        {
            Skip = "Set NEWSPORTAL_MEASURE=related-stories to measure related stories on the corpus (scripts/related-stories.sh does)";
        }
    }
}

/// <summary>
/// Related stories measured on the corpus, whose items carry the developing story they belong to: of the related
/// stories on the pages of 400 stories in a developing story, drawn at random, how many are in the same one, and how
/// far apart in time the story and its related ones are. The figures in the README (its "Search engines and link previews").
/// </summary>
public sealed class RelatedStoryQualityTests(EmptyNewsPortalFactory factory, ITestOutputHelper output) : IClassFixture<EmptyNewsPortalFactory>
{
    [RelatedStoriesMeasure]
    public async Task OnTheCorpus_RelatedStories_AreOftenOfTheSameDevelopingStory_AndOfTheSameWeeks()
    {
        using (var input = new TempFolder())
        {
            CorpusConverter.Write(input.Path);
            await factory.ImportAsync(input.Path);
        }

        var stories = await factory.WithDbAsync(db => db.Articles.AsNoTracking().Where(a => a.Listed)
            .OrderBy(a => a.Id).Select(a => new { a.Slug, a.ThreadId, a.PublishedOn }).ToListAsync());
        var bySlug = stories.ToDictionary(s => s.Slug, StringComparer.Ordinal);
        var threaded = stories.Where(s => s.ThreadId is not null).ToList();
        var random = new Random(int.Parse(Environment.GetEnvironmentVariable("NEWSPORTAL_MEASURE_SEED") ?? "7", CultureInfo.InvariantCulture));
        var sample = threaded.OrderBy(_ => random.Next()).Take(400).ToList();

        var client = factory.CreateClient();
        var (links, sameThread, days) = (0, 0, new List<int>());
        foreach (var story in sample)
        {
            var page = await client.GetDocumentAsync($"/articles/{Uri.EscapeDataString(story.Slug)}");
            foreach (var link in page.QuerySelectorAll(".related li a"))
            {
                var related = bySlug[Uri.UnescapeDataString(link.GetAttribute("href")!["/articles/".Length..])];
                links++;
                sameThread += related.ThreadId == story.ThreadId ? 1 : 0;
                days.Add(Math.Abs(related.PublishedOn.DayNumber - story.PublishedOn.DayNumber));
            }
        }

        days.Sort();
        var share = (double)sameThread / links;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"related stories: {sample.Count} stories, {links} related, {sameThread} in the story's own developing story ({share:0.00}), median {days[days.Count / 2]} days apart"));
        // Before related stories were taken from the story's own time and weighed its names: 0.02, and 240 days.
        Assert.True(share >= 0.10, $"{share:0.00} of related stories share the developing story");
    }
}
