using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Articles;

/// <summary>A front page's section: a busy category and its newest stories not already in the river.</summary>
public sealed record FrontSection(NamedCount Category, IReadOnlyList<Headline> Stories);

/// <summary>
/// The front page: the newest story as the lead, the river of the latest below it, the developing stories beside it
/// and sections by the busiest categories. Deeper pages are the river alone. Each part is a bounded index read.
/// </summary>
public sealed class IndexModel(ArticleService articles, CategoryService categories, ThreadService threads) : ListingPageModel
{
    public const int DevelopingCount = 6;
    public const int SectionCount = 4;
    public const int SectionStories = 4;

    public IReadOnlyList<ActiveThread> Developing { get; private set; } = [];
    public IReadOnlyList<FrontSection> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await ShowListingAsync(articles, Listing.All, cancellationToken);
        if (result is not PageResult || !Articles.IsFirst || Articles.Items.Count == 0)
        {
            return result;
        }

        Developing = await threads.DevelopingAsync(null, DevelopingCount, cancellationToken);
        var busiest = await categories.BusiestAsync(SectionCount, cancellationToken);
        // Each section starts where the river ends, so it adds stories rather than repeating them.
        var stories = await articles.NewestInEachAsync([.. busiest.Select(c => Listing.InCategory(c.Id))], SectionStories, Articles.Items[^1].Position, cancellationToken);
        var sections = busiest
            .Select((category, i) => new FrontSection(category, stories[i]))
            .Where(section => section.Stories.Count > 0)
            .ToList();
        Sections = sections;
        HttpContext.TagResponse([
            .. Developing.Select(t => CacheTags.Thread(t.Id)),
            .. Developing.Select(t => t.Latest).OfType<Headline>().Select(h => CacheTags.Article(h.Id)),
            .. Sections.Select(s => CacheTags.Category(s.Category.Id)),
            .. Sections.SelectMany(s => s.Stories).Select(h => CacheTags.Article(h.Id)),
        ]);
        return result;
    }
}
