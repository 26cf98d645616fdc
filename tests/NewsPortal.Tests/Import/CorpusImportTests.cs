using Microsoft.EntityFrameworkCore;
using NewsPortal.Corpus;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Import;

/// <summary>The shared corpus of real news, converted to both import formats, imported whole.</summary>
public sealed class CorpusImportTests(EmptyNewsPortalFactory factory) : IClassFixture<EmptyNewsPortalFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task WholeCorpus_ImportsWithNoErrorsAndNoDuplicates_AndAgainChangesNothing()
    {
        CorpusConverter.Write(_input.Path);
        var expected = CorpusConverter.CurrentEventsCount + CorpusConverter.WikinewsCount;

        var first = await factory.ImportAsync(_input.Path);
        var second = await factory.ImportAsync(_input.Path);

        Assert.Empty(first.Problems);
        Assert.Equal((expected, 0, 0), (first.Imported, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, expected), (second.Imported, second.Updated, second.Unchanged));
        Assert.Equal(expected, await factory.WithDbAsync(db => db.Articles.CountAsync()));

        // Every distinct source name in the corpus (matched ignoring case and spacing) has exactly one page.
        var corpusSourceKeys = CorpusConverter.CurrentEvents(CorpusFiles.CurrentEvents)
            .SelectMany(d => d.Sources).Append("Wikinews").Select(NameKey.For).ToHashSet();
        var storedSourceKeys = await factory.WithDbAsync(db => db.Sources.Select(s => s.NameKey).ToListAsync());
        Assert.Equal(corpusSourceKeys.Order(), storedSourceKeys.Order());
        Assert.Equal(storedSourceKeys.Count, await factory.WithDbAsync(db => db.Sources.Select(s => s.Slug).Distinct().CountAsync()));
    }
}
