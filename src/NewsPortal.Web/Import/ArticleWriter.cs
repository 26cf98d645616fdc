using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;
using NewsPortal.Web.Threads;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Import;

public enum ImportOutcome
{
    Imported,
    Updated,
    Unchanged,

    /// <summary>Not written: an admin deleted this story for good (<see cref="PurgedStory"/>).</summary>
    Withheld,
}

/// <summary>What became of one story, and the categories and sources it was the first to name (created by this write).</summary>
public sealed record WriteResult(ImportOutcome Outcome, string Slug, string Title, IReadOnlyList<string> NewCategories, IReadOnlyList<string> NewSources);

/// <summary>
/// Writes stories into the store a batch at a time. A story that is already there (same site and original URL,
/// or same title and document date) is updated in place, or left alone when nothing changed. Categories and
/// sources are matched by <see cref="NameKey"/>, so one name keeps one page. Memory follows the batch size and
/// the number of distinct names, not the size of the input.
/// </summary>
public sealed class ArticleWriter(NewsDbContext db, ArticleInserter inserter, WebhookOutbox webhooks, TimeProvider clock)
{
    /// <summary>The author of revisions an import makes.</summary>
    public const string ImportAuthor = "import";

    private readonly NameKind _categories = new("category", new((slugs, ct) => HeldNameSlugsAsync(db.Categories, db.CategoryAliases, slugs, ct)));
    private readonly NameKind _sources = new("source", new((slugs, ct) => HeldNameSlugsAsync(db.Sources, db.SourceAliases, slugs, ct)));
    private readonly NameKind _threads = new("thread", new((slugs, ct) => HeldNameSlugsAsync(db.Threads, db.ThreadAliases, slugs, ct)));
    private readonly SlugBook _articleSlugs = new((slugs, ct) => HeldArticleSlugsAsync(db, slugs, ct));
    private bool _namesLoaded;
    private readonly List<(ArticleState? Before, ArticleState After)> _changes = [];
    private bool _tooManyChanges;

    /// <summary>Changed stories remembered for precise cache eviction; a write of more empties the cache instead.</summary>
    public const int MaxTrackedChanges = 50;

    private NewsDbContext Db => db;

    /// <summary>
    /// The stories written since the last call, before and after, for the caller to evict their pages once its
    /// transaction commits; null when there were more than <see cref="MaxTrackedChanges"/> (evict everything).
    /// </summary>
    public IReadOnlyList<(ArticleState? Before, ArticleState After)>? TakeChanges()
    {
        IReadOnlyList<(ArticleState?, ArticleState)>? changes = _tooManyChanges ? null : [.. _changes];
        _changes.Clear();
        _tooManyChanges = false;
        return changes;
    }

    /// <summary>Drops what it remembers of categories and sources, after a transaction that may have added some was rolled back.</summary>
    /// <remarks>Changes remembered for cache eviction are kept: evicting a page for a story rolled back does no harm.</remarks>
    public void Forget()
    {
        // Names and addresses this write gave out were not kept: each is free again, and looked for again.
        _namesLoaded = false;
        foreach (var kind in (NameKind[])[_categories, _sources, _threads])
        {
            kind.Clear();
        }

        _articleSlugs.Clear();
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Writes prepared stories (checked, with their ledes); see <see cref="ImportService"/>. A story an admin deleted
    /// for good is withheld, the others written as if it were not in the batch.
    /// </summary>
    public async Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<PreparedStory> stories, string defaultLanguage, CancellationToken cancellationToken)
    {
        var withheld = await WithheldAsync(stories, cancellationToken);
        if (withheld.Count == 0)
        {
            return await WriteKeptAsync(stories, defaultLanguage, cancellationToken);
        }

        List<PreparedStory> kept = [.. stories.Where((_, i) => !withheld.Contains(i))];
        var written = kept.Count == 0 ? [] : await WriteKeptAsync(kept, defaultLanguage, cancellationToken);
        var next = 0;
        return [.. stories.Select((story, i) => withheld.Contains(i) ? new WriteResult(ImportOutcome.Withheld, "", story.Document!.Title, [], []) : written[next++])];
    }

    /// <summary>The positions of the stories an admin deleted for good, found by their import keys (two index reads a batch).</summary>
    private async Task<HashSet<int>> WithheldAsync(IReadOnlyList<PreparedStory> stories, CancellationToken cancellationToken)
    {
        var keys = stories.Select(s => s.Document!)
            .Select(d => (Url: MatchKeys.ForUrl(d.Site, d.OriginalUrl), Title: MatchKeys.ForTitle(d.Title, d.DocumentDate, d.PublishedOn))).ToList();
        var urls = keys.Select(k => k.Url).OfType<long>().Distinct().ToList();
        var titles = keys.Select(k => k.Title).Distinct().ToList();
        var purged = await db.PurgedStories.AsNoTracking().Where(p => EF.Parameter(urls).Contains(p.UrlKey!.Value)).ToListAsync(cancellationToken);
        purged.AddRange(await db.PurgedStories.AsNoTracking().Where(p => EF.Parameter(titles).Contains(p.TitleKey)).ToListAsync(cancellationToken));
        return purged.Count == 0 ? [] : [.. keys.Select((k, i) => (k, i)).Where(x => purged.Any(p => p.Matches(x.k.Url, x.k.Title))).Select(x => x.i)];
    }

    private async Task<IReadOnlyList<WriteResult>> WriteKeptAsync(IReadOnlyList<PreparedStory> stories, string defaultLanguage, CancellationToken cancellationToken)
    {
        var batch = stories.Select(s => s.Document!).ToList();
        await LoadNamesAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var matcher = await StoryMatcher.LoadAsync(db, batch, cancellationToken);
        var results = new ImportOutcome[batch.Count];
        var articles = new Article[batch.Count];
        var links = new LinkResolver(this, matcher.Loaded);
        var before = new ArticleState?[batch.Count];
        var previous = new ArticleSnapshot?[batch.Count];
        var wasPublic = new bool[batch.Count];
        var created = new (IReadOnlyList<string> Categories, IReadOnlyList<string> Sources)[batch.Count];

        for (var i = 0; i < batch.Count; i++)
        {
            var document = batch[i];
            var language = document.Language ?? defaultLanguage;
            if (matcher.Find(document) is { } existing)
            {
                articles[i] = existing;
                if (SameStory(existing, document, language))
                {
                    results[i] = ImportOutcome.Unchanged;
                    created[i] = ([], []);
                    continue;
                }

                results[i] = ImportOutcome.Updated;
                // A story an earlier line of this batch added is not stored yet: the later line is simply what gets
                // stored (as importing the lines one by one would end), with no stored version to keep or announce.
                var stored = existing.Id != 0;
                if (stored)
                {
                    before[i] = ArticleState.Of(existing);
                    previous[i] = ArticleSnapshot.Of(existing);
                    wasPublic[i] = Announced(existing, now);
                    existing.Version++;
                }

                if (Apply(existing, stories[i], language) && stored)
                {
                    // Written even though it was null when read: the renderer may have filled it in since, from the old body.
                    db.Entry(existing).Property(a => a.BodyHtml).IsModified = true;
                }

                ApplyStatus(existing, document);
                existing.UpdatedAtUtc = document.UpdatedAtUtc ?? now;
                existing.Categories.Clear();
                existing.Sources.Clear();
            }
            else
            {
                var article = new Article
                {
                    Title = "",
                    Slug = "",
                    Body = "",
                    Lede = "",
                    Language = language,
                    // A story dated ahead waits for its time, as one scheduled in the editor does.
                    Status = document.CreatedAtUtc > now ? ArticleStatus.Scheduled : ArticleStatus.Published,
                    PublishAtUtc = document.CreatedAtUtc ?? now,
                    Version = 1,
                    CreatedAtUtc = document.CreatedAtUtc ?? now,
                    UpdatedAtUtc = document.UpdatedAtUtc ?? document.CreatedAtUtc ?? now,
                };
                Apply(article, stories[i], language);
                ApplyStatus(article, document);
                matcher.Remember(article);
                articles[i] = article;
                results[i] = ImportOutcome.Imported;
            }

            var (categoriesBefore, sourcesBefore) = (links.CreatedCategories.Count, links.CreatedSources.Count);
            articles[i].Categories.AddRange(await links.CategoriesAsync(document.Categories, cancellationToken));
            articles[i].Sources.AddRange(await links.SourcesAsync(document.Sources, cancellationToken));
            SetThread(articles[i], document.Thread is { } thread ? await links.ThreadAsync(thread, cancellationToken) : null);
            created[i] = ([.. links.CreatedCategories.Skip(categoriesBefore)], [.. links.CreatedSources.Skip(sourcesBefore)]);
        }

        await AddRevisionsAsync(articles, previous, now, cancellationToken);

        // Updates and new categories and sources go through EF; new articles through the prepared inserter.
        await db.SaveChangesAsync(cancellationToken);
        links.RememberNewIds();
        foreach (var article in articles.Where((_, i) => results[i] == ImportOutcome.Imported))
        {
            // New stories go in through the inserter, which writes the key, not the navigation EF would have followed.
            article.ThreadId = article.Thread?.Id;
        }

        await AssignSlugsAsync(batch, articles, results, cancellationToken);
        await inserter.InsertAsync([.. articles.Where((_, i) => results[i] == ImportOutcome.Imported).Distinct()], cancellationToken);
        await KeepFormerSlugsAsync(batch, articles, cancellationToken);
        _articleSlugs.Settle();
        RememberChanges(articles, results, before);
        await AnnounceAsync(articles, results, wasPublic, now, cancellationToken);
        db.ChangeTracker.Clear();
        return [.. results.Select((outcome, i) => new WriteResult(outcome, articles[i].Slug, articles[i].Title, created[i].Categories, created[i].Sources))];
    }

    /// <summary>
    /// A story's former addresses (an export of a store whose editors changed slugs) redirect to it again, so links
    /// shared before a move still work. One the store already gives to a story, or to another's redirect, stays theirs.
    /// </summary>
    private async Task KeepFormerSlugsAsync(IReadOnlyList<SnippetDocument> batch, Article[] articles, CancellationToken cancellationToken)
    {
        var wanted = batch.SelectMany((document, i) => document.FormerSlugs.Select(slug => (Slug: slug, Article: articles[i]))).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var taken = (await HeldArticleSlugsAsync(db, [.. wanted.Select(w => w.Slug).Distinct()], cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var (slug, article) in wanted)
        {
            if (taken.Add(slug))
            {
                db.SlugRedirects.Add(new SlugRedirect { Slug = slug, ArticleId = article.Id });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An update from an import is kept as a revision, as an editor's save is, with the importer as its author, so an
    /// editor sees what the agency changed and can restore the earlier text. A story that came in by import has no
    /// revision yet: its version from before the update is kept first.
    /// </summary>
    private async Task AddRevisionsAsync(Article[] articles, ArticleSnapshot?[] previous, DateTime now, CancellationToken cancellationToken)
    {
        var updated = articles.Select((article, i) => (Article: article, Previous: previous[i])).Where(u => u.Previous is not null).ToList();
        if (updated.Count == 0)
        {
            return;
        }

        var ids = updated.Select(u => u.Article.Id).ToList();
        var last = await db.ArticleRevisions.Where(r => ids.Contains(r.ArticleId)).GroupBy(r => r.ArticleId)
            .Select(g => new { ArticleId = g.Key, Number = g.Max(r => r.Number) }).ToDictionaryAsync(r => r.ArticleId, r => r.Number, cancellationToken);
        foreach (var (article, before) in updated)
        {
            var number = last.GetValueOrDefault(article.Id);
            if (number == 0)
            {
                db.ArticleRevisions.Add(new ArticleRevision
                {
                    ArticleId = article.Id,
                    Number = ++number,
                    CreatedAtUtc = article.CreatedAtUtc,
                    Author = ImportAuthor,
                    Action = "imported",
                    Snapshot = before!.ToJson(),
                });
            }

            db.ArticleRevisions.Add(new ArticleRevision
            {
                ArticleId = article.Id,
                Number = ++number,
                CreatedAtUtc = now,
                Author = ImportAuthor,
                Action = "updated by import",
                Snapshot = ArticleSnapshot.Of(article).ToJson(),
            });
            last[article.Id] = number;
        }
    }

    /// <summary>
    /// Queues the webhooks of what readers now see differently, in the import's transaction (so they go out once,
    /// and only if the import commits): new public stories are published, public ones changed are updated.
    /// </summary>
    private async Task AnnounceAsync(Article[] articles, ImportOutcome[] results, bool[] wasPublic, DateTime now, CancellationToken cancellationToken)
    {
        var events = new List<(string, Article)>();
        var seen = new HashSet<Article>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < articles.Length; i++)
        {
            if (results[i] != ImportOutcome.Unchanged && WebhookEvents.For(wasPublic[i], Announced(articles[i], now)) is { } eventName && seen.Add(articles[i]))
            {
                events.Add((eventName, articles[i]));
            }
        }

        if (await webhooks.EnqueueAsync(events, cancellationToken) > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Public now, as announced: a scheduled story is left to <see cref="PublishSchedule"/>, which announces it when
    /// it publishes it, so no story is announced twice.
    /// </summary>
    private static bool Announced(Article article, DateTime now) => article.Status == ArticleStatus.Published && ArticleVisibility.IsPublic(article, now);

    private void RememberChanges(Article[] articles, ImportOutcome[] results, ArticleState?[] before)
    {
        for (var i = 0; i < articles.Length && !_tooManyChanges; i++)
        {
            if (results[i] == ImportOutcome.Unchanged)
            {
                continue;
            }

            _changes.Add((before[i], ArticleState.Of(articles[i])));
            if (_changes.Count > MaxTrackedChanges)
            {
                _changes.Clear();
                _tooManyChanges = true;
            }
        }
    }

    /// <summary>Sets a tracked article's categories, sources and thread to these names, finding or creating each (aliases count).</summary>
    public async Task LinkAsync(Article article, IEnumerable<string> categories, IEnumerable<string> sources, string? thread, CancellationToken cancellationToken)
    {
        (categories, sources) = (categories.ToList(), sources.ToList());
        if (!_namesLoaded)
        {
            // One story's names (50 of a kind at most) are looked up by their keys, not every name of the store read.
            await LoadNamesAsync(db.Categories, db.CategoryAliases, _categories, categories, cancellationToken);
            await LoadNamesAsync(db.Sources, db.SourceAliases, _sources, sources, cancellationToken);
            await LoadNamesAsync(db.Threads, db.ThreadAliases, _threads, thread is null ? [] : [thread], cancellationToken);
        }

        var links = new LinkResolver(this, [article]);
        var resolvedCategories = await links.CategoriesAsync(categories, cancellationToken);
        var resolvedSources = await links.SourcesAsync(sources, cancellationToken);
        article.Categories.Clear();
        article.Categories.AddRange(resolvedCategories);
        article.Sources.Clear();
        article.Sources.AddRange(resolvedSources);
        SetThread(article, thread is null ? null : await links.ThreadAsync(thread, cancellationToken));
    }

    private static void SetThread(Article article, StoryThread? thread)
    {
        article.Thread = thread;
        if (thread is null)
        {
            article.ThreadId = null;
        }
    }

    /// <summary>Sets the story's fields from the document; true when its body is to be rendered again.</summary>
    private static bool Apply(Article article, PreparedStory story, string language)
    {
        var document = story.Document!;
        article.Title = document.Title;
        var rerender = article.Body != document.Body || article.Dateline != document.Dateline;
        if (rerender)
        {
            // Rendered later, by the BodyRenderer; until then pages render it as they show it.
            article.BodyHtml = null;
        }

        article.Body = document.Body;
        article.BodyText = story.BodyText!;
        article.Lede = story.Lede!;

        article.Dateline = document.Dateline;

        article.PublishedOn = document.PublishedOn;
        article.DocumentDate = document.DocumentDate;
        article.Language = language;
        article.Site = document.Site;
        article.OriginalUrl = document.OriginalUrl;
        article.License = document.License;
        article.ImageUrl = document.ImageUrl;
        article.ImageAlt = document.ImageAlt;
        article.Summary = document.Summary;
        return rerender;
    }

    /// <summary>A record that carries a status (an export) brings the story's status, publish time, deletion and correction note with it.</summary>
    private static void ApplyStatus(Article article, SnippetDocument document)
    {
        if (document.Status is not { } status)
        {
            return;
        }

        article.Status = status;
        article.PublishAtUtc = document.PublishAtUtc;
        article.DeletedAtUtc = document.DeletedAtUtc;
        article.CorrectionNote = document.CorrectionNote;
    }

    /// <summary>
    /// Times are compared to the microsecond (<see cref="Dates.ToTheMicrosecond"/>), or on PostgreSQL each story of a file
    /// with finer times read again would be rewritten, and one without a link stored twice.
    /// </summary>
    private static DateTime? ToTheMicrosecond(DateTime? value) => value?.ToTheMicrosecond();

    private static bool SameStory(Article article, SnippetDocument document, string language)
        => (document.Status is null || (article.Status == document.Status && ToTheMicrosecond(article.PublishAtUtc) == ToTheMicrosecond(document.PublishAtUtc)
                && ToTheMicrosecond(article.DeletedAtUtc) == ToTheMicrosecond(document.DeletedAtUtc) && article.CorrectionNote == document.CorrectionNote))
            && article.Title == document.Title
            && article.Dateline == document.Dateline
            && article.Body == document.Body
            && article.PublishedOn == document.PublishedOn
            && ToTheMicrosecond(article.DocumentDate) == ToTheMicrosecond(document.DocumentDate)
            && article.Language == language
            && article.Site == document.Site
            && article.OriginalUrl == document.OriginalUrl
            && article.License == document.License
            && article.ImageUrl == document.ImageUrl
            && article.ImageAlt == document.ImageAlt
            && article.Summary == document.Summary
            && article.Categories.Select(c => c.NameKey).ToHashSet().SetEquals(document.Categories.Select(NameKey.For))
            && article.Sources.Select(s => s.NameKey).ToHashSet().SetEquals(document.Sources.Select(NameKey.For))
            && article.Thread?.NameKey == (document.Thread is { } thread ? NameKey.For(thread) : null);

    /// <summary>
    /// Gives each new article its requested slug or one made from its title, never one already taken: not another
    /// story's, nor a former one that redirects to another story (taking it would cut the links shared to that story).
    /// </summary>
    private async Task AssignSlugsAsync(IReadOnlyList<SnippetDocument> batch, Article[] articles, ImportOutcome[] results, CancellationToken cancellationToken)
    {
        var wanted = new List<(Article Article, string Slug)>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] == ImportOutcome.Imported)
            {
                wanted.Add((articles[i], batch[i].Slug ?? Slug.From(batch[i].Title, "article")));
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        await _articleSlugs.ReserveAsync(wanted.Select(w => w.Slug), cancellationToken);
        foreach (var (article, slug) in wanted)
        {
            article.Slug = await _articleSlugs.TakeAsync(slug, cancellationToken);
        }
    }

    /// <summary>
    /// The slug itself when no story has or had it, else the first free numbered one ("talks-2"); with a
    /// <paramref name="spread"/> over 1, one of that many first free ones at random (see <see cref="SlugBook.TakeOneOfAsync"/>).
    /// </summary>
    public Task<string> FreeSlugAsync(string slug, int spread, CancellationToken cancellationToken)
        => spread == 1 ? _articleSlugs.TakeAsync(slug, cancellationToken) : _articleSlugs.TakeOneOfAsync(slug, spread, cancellationToken);

    /// <summary>Which of <paramref name="slugs"/> a story has, or had and redirects from.</summary>
    private static async Task<IReadOnlyCollection<string>> HeldArticleSlugsAsync(NewsDbContext db, List<string> slugs, CancellationToken cancellationToken)
        => [.. await db.Articles.Where(a => EF.Parameter(slugs).Contains(a.Slug)).Select(a => a.Slug).ToListAsync(cancellationToken),
            .. await db.SlugRedirects.Where(r => EF.Parameter(slugs).Contains(r.Slug)).Select(r => r.Slug).ToListAsync(cancellationToken)];

    /// <summary>Which of <paramref name="slugs"/> a name or an alias (a former name) holds.</summary>
    private static async Task<IReadOnlyCollection<string>> HeldNameSlugsAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliasSet, List<string> slugs, CancellationToken cancellationToken)
        where T : class, INamedEntity
        where TAlias : NameAlias
        => [.. await set.AsNoTracking().Where(e => EF.Parameter(slugs).Contains(e.Slug)).Select(e => e.Slug).ToListAsync(cancellationToken),
            .. await aliasSet.AsNoTracking().Where(a => a.Slug != null && EF.Parameter(slugs).Contains(a.Slug)).Select(a => a.Slug!).ToListAsync(cancellationToken)];

    private async Task LoadNamesAsync(CancellationToken cancellationToken)
    {
        if (_namesLoaded)
        {
            return;
        }

        // A former name (after a rename or merge) leads to the category, source or thread it became.
        await LoadNamesAsync(_categories, db.Categories.AsNoTracking().Select(c => new NamedRow(c.Id, c.Name, c.NameKey, c.Slug)),
            db.CategoryAliases.AsNoTracking().Select(a => new AliasRow(a.NameKey, a.Slug, new NamedRow(a.Target!.Id, a.Target.Name, a.Target.NameKey, a.Target.Slug))),
            cancellationToken);
        await LoadNamesAsync(_sources, db.Sources.AsNoTracking().Select(s => new NamedRow(s.Id, s.Name, s.NameKey, s.Slug)),
            db.SourceAliases.AsNoTracking().Select(a => new AliasRow(a.NameKey, a.Slug, new NamedRow(a.Target!.Id, a.Target.Name, a.Target.NameKey, a.Target.Slug))),
            cancellationToken);
        await LoadNamesAsync(_threads, db.Threads.AsNoTracking().Select(t => new NamedRow(t.Id, t.Name, t.NameKey, t.Slug)),
            db.ThreadAliases.AsNoTracking().Select(a => new AliasRow(a.NameKey, a.Slug, new NamedRow(a.Target!.Id, a.Target.Name, a.Target.NameKey, a.Target.Slug))),
            cancellationToken);
        _namesLoaded = true;
    }

    /// <summary>
    /// Adds to <paramref name="kind"/> the stored names (or aliases, as their targets) of <paramref name="typed"/>, and
    /// reserves addresses for those that are new.
    /// </summary>
    private static async Task LoadNamesAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliasSet, NameKind kind, IEnumerable<string> typed, CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var names = kind.Names;
        var wanted = typed.Select(n => (Name: n, Key: NameKey.For(n))).Where(n => n.Key.Length > 0 && !names.ContainsKey(n.Key)).DistinctBy(n => n.Key).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var keys = wanted.Select(n => n.Key).ToList();
        foreach (var row in await set.AsNoTracking().Where(e => EF.Parameter(keys).Contains(e.NameKey))
            .Select(e => new NamedRow(e.Id, e.Name, e.NameKey, e.Slug)).ToListAsync(cancellationToken))
        {
            names[row.NameKey] = row;
        }

        var aliases = await aliasSet.AsNoTracking().Where(a => EF.Parameter(keys).Contains(a.NameKey)).Select(a => new { a.NameKey, a.TargetId }).ToListAsync(cancellationToken);
        if (aliases.Count > 0)
        {
            var targetIds = aliases.Select(a => a.TargetId).Distinct().ToList();
            var targets = await set.AsNoTracking().Where(e => EF.Parameter(targetIds).Contains(e.Id))
                .Select(e => new NamedRow(e.Id, e.Name, e.NameKey, e.Slug)).ToDictionaryAsync(e => e.Id, cancellationToken);
            foreach (var alias in aliases.Where(a => targets.ContainsKey(a.TargetId)))
            {
                names.TryAdd(alias.NameKey, targets[alias.TargetId]);
            }
        }

        await kind.Slugs.ReserveAsync(wanted.Where(n => !names.ContainsKey(n.Key)).Select(n => kind.SlugOf(n.Name)), cancellationToken);
    }

    private sealed record NamedRow(int Id, string Name, string NameKey, string Slug);

    private sealed record AliasRow(string NameKey, string? Slug, NamedRow Target);

    /// <summary>One kind's names by key, each alias's key leading to its target, and every slug a name or alias holds.</summary>
    private static async Task LoadNamesAsync(NameKind kind, IQueryable<NamedRow> rows, IQueryable<AliasRow> aliases, CancellationToken cancellationToken)
    {
        var names = kind.Names;
        names.Clear();
        foreach (var row in await rows.ToListAsync(cancellationToken))
        {
            names[row.NameKey] = row;
        }

        var aliasRows = await aliases.ToListAsync(cancellationToken);
        foreach (var alias in aliasRows)
        {
            names.TryAdd(alias.NameKey, alias.Target);
        }

        kind.Slugs.HoldAll(names.Values.Select(n => n.Slug).Concat(aliasRows.Select(a => a.Slug).OfType<string>()));
    }

    /// <summary>One kind of name (categories, sources or threads) as this writer knows it: stored names by key, and their addresses.</summary>
    private sealed class NameKind(string fallbackSlug, SlugBook slugs)
    {
        public Dictionary<string, NamedRow> Names { get; } = new(StringComparer.Ordinal);

        public SlugBook Slugs => slugs;

        /// <summary>The address a new name's own words give (names in scripts a slug cannot spell all start from the kind's).</summary>
        public string SlugOf(string name) => Shared.Slug.From(name, fallbackSlug);

        public void Clear()
        {
            Names.Clear();
            slugs.Clear();
        }
    }

    /// <summary>Finds the category or source entity for a name within one batch: the tracked one, a stub for a known row, or a new one.</summary>
    private sealed class LinkResolver
    {
        private readonly ArticleWriter _writer;
        private readonly Dictionary<string, Category> _categories = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StoryThread> _threads = new(StringComparer.Ordinal);

        // The same entities by id: a name renamed between loading a story and reading the names comes back under its
        // new key while the story's tracked entity has the old one, and attaching a second entity for it failed the save.
        private readonly Dictionary<int, Category> _categoryIds = [];
        private readonly Dictionary<int, Source> _sourceIds = [];
        private readonly Dictionary<int, StoryThread> _threadIds = [];

        /// <summary>Names new to the store, in the order stories named them, for the import's report.</summary>
        public List<string> CreatedCategories { get; } = [];

        public List<string> CreatedSources { get; } = [];

        /// <summary>Starts from the rows that articles loaded for update already track, so none is attached twice.</summary>
        public LinkResolver(ArticleWriter writer, IEnumerable<Article> tracked)
        {
            _writer = writer;
            foreach (var article in tracked)
            {
                foreach (var category in article.Categories)
                {
                    _categories.TryAdd(category.NameKey, category);
                    _categoryIds.TryAdd(category.Id, category);
                }

                foreach (var source in article.Sources)
                {
                    _sources.TryAdd(source.NameKey, source);
                    _sourceIds.TryAdd(source.Id, source);
                }

                if (article.Thread is { } thread)
                {
                    _threads.TryAdd(thread.NameKey, thread);
                    _threadIds.TryAdd(thread.Id, thread);
                }
            }
        }

        public Task<List<Category>> CategoriesAsync(IEnumerable<string> names, CancellationToken cancellationToken) => ResolveAllAsync(
            names, _categories, _categoryIds, _writer._categories, _writer.Db.Categories,
            row => new Category { Id = row.Id, Name = row.Name, NameKey = row.NameKey, Slug = row.Slug },
            (name, key, slug) => new Category { Name = name, NameKey = key, Slug = slug }, CreatedCategories, cancellationToken);

        public Task<List<Source>> SourcesAsync(IEnumerable<string> names, CancellationToken cancellationToken) => ResolveAllAsync(
            names, _sources, _sourceIds, _writer._sources, _writer.Db.Sources,
            row => new Source { Id = row.Id, Name = row.Name, NameKey = row.NameKey, Slug = row.Slug },
            (name, key, slug) => new Source { Name = name, NameKey = key, Slug = slug }, CreatedSources, cancellationToken);

        public async Task<StoryThread> ThreadAsync(string name, CancellationToken cancellationToken) => (await ResolveAllAsync(
            [name], _threads, _threadIds, _writer._threads, _writer.Db.Threads,
            row => new StoryThread { Id = row.Id, Name = row.Name, NameKey = row.NameKey, Slug = row.Slug },
            (name, key, slug) => new StoryThread { Name = name, NameKey = key, Slug = slug }, [], cancellationToken))[0];

        public void RememberNewIds()
        {
            foreach (var t in _threads.Values)
            {
                _writer._threads.Names[t.NameKey] = new NamedRow(t.Id, t.Name, t.NameKey, t.Slug);
            }

            foreach (var c in _categories.Values)
            {
                _writer._categories.Names[c.NameKey] = new NamedRow(c.Id, c.Name, c.NameKey, c.Slug);
            }

            foreach (var s in _sources.Values)
            {
                _writer._sources.Names[s.NameKey] = new NamedRow(s.Id, s.Name, s.NameKey, s.Slug);
            }
        }

        /// <summary>The entities of <paramref name="names"/>, each once however often named.</summary>
        private static async Task<List<T>> ResolveAllAsync<T>(
            IEnumerable<string> names,
            Dictionary<string, T> inBatch,
            Dictionary<int, T> byId,
            NameKind kind,
            DbSet<T> set,
            Func<NamedRow, T> stub,
            Func<string, string, string, T> create,
            List<string> created,
            CancellationToken cancellationToken)
            where T : class, INamedEntity, INamedRow
        {
            var resolved = new List<T>();
            foreach (var name in names)
            {
                var key = NameKey.For(name);
                if (!inBatch.TryGetValue(key, out var entity))
                {
                    if (kind.Names.TryGetValue(key, out var row))
                    {
                        // The key may be an alias: the entity is the target's, perhaps already in hand under its own key.
                        if (!inBatch.TryGetValue(row.NameKey, out entity) && !byId.TryGetValue(row.Id, out entity))
                        {
                            entity = stub(row);
                            set.Attach(entity);
                            inBatch[row.NameKey] = entity;
                            byId[row.Id] = entity;
                        }
                    }
                    else
                    {
                        entity = create(name, key, await kind.Slugs.TakeAsync(kind.SlugOf(name), cancellationToken));
                        set.Add(entity);
                        created.Add(name);
                    }

                    inBatch[key] = entity;
                }

                if (!resolved.Contains(entity))
                {
                    resolved.Add(entity);
                }
            }

            return resolved;
        }
    }

    /// <summary>Finds stories already in the store (or earlier in the batch) by site and URL, or by title and document date.</summary>
    private sealed class StoryMatcher
    {
        private readonly Dictionary<(string Site, string Url), Article> _byUrl = [];
        private readonly Dictionary<(string Title, DateTime? DocumentDate, DateOnly? PublishedOn), Article> _byTitle = [];

        /// <summary>The articles read from the store, tracked for update.</summary>
        public List<Article> Loaded { get; } = [];

        public static async Task<StoryMatcher> LoadAsync(NewsDbContext db, IReadOnlyList<SnippetDocument> batch, CancellationToken cancellationToken)
        {
            var urls = batch.Select(d => MatchKeys.ForUrl(d.Site, d.OriginalUrl)).OfType<long>().Distinct().ToList();
            var titles = batch.Select(d => MatchKeys.ForTitle(d.Title, d.DocumentDate, d.PublishedOn)).Distinct().ToList();
            var matcher = new StoryMatcher();

            // The keys find candidates (Find compares the text); each list goes as one parameter, so the query
            // compiles once. A fresh import matches nothing and loads no entity.
            var ids = await db.Articles.Where(a => EF.Parameter(urls).Contains(a.UrlKey!.Value)).Select(a => a.Id)
                .Union(db.Articles.Where(a => EF.Parameter(titles).Contains(a.TitleKey)).Select(a => a.Id))
                .ToListAsync(cancellationToken);
            // Locked before they are read: an editor's save or publish in between failed this write's version check,
            // and the file was refused for it. Now that save waits for this import, then meets the version it wrote.
            await StoreDialect.Of(db.Database).LockRowsAsync(db, "Articles", ids, cancellationToken);
            var existing = ids.Count == 0 ? [] : await db.Articles.Where(a => EF.Parameter(ids).Contains(a.Id))
                .Include(a => a.Categories).Include(a => a.Sources).Include(a => a.Thread).AsSplitQuery().ToListAsync(cancellationToken);
            foreach (var article in existing)
            {
                matcher.Remember(article);
            }

            matcher.Loaded.AddRange(existing);

            return matcher;
        }

        /// <summary>
        /// The same site and URL; else the same title and document date (the published date when there is none),
        /// unless both have URLs and they differ: two links are two stories, however alike their headlines.
        /// </summary>
        public Article? Find(SnippetDocument document)
        {
            if (document.OriginalUrl is { } url && _byUrl.TryGetValue((document.Site ?? "", url), out var byUrl))
            {
                return byUrl;
            }

            return _byTitle.TryGetValue(TitleKey(document.Title, document.DocumentDate, document.PublishedOn), out var byTitle)
                && (byTitle.OriginalUrl is null || document.OriginalUrl is null || byTitle.OriginalUrl == document.OriginalUrl)
                ? byTitle
                : null;
        }

        private static (string, DateTime?, DateOnly?) TitleKey(string title, DateTime? documentDate, DateOnly publishedOn)
            => (title, ToTheMicrosecond(documentDate), documentDate is null ? publishedOn : null);

        public void Remember(Article article)
        {
            if (article.OriginalUrl is { } url)
            {
                _byUrl.TryAdd((article.Site ?? "", url), article);
            }

            _byTitle.TryAdd(TitleKey(article.Title, article.DocumentDate, article.PublishedOn), article);
        }
    }
}
