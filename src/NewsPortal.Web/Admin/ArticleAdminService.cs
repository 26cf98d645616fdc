using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Admin;

/// <summary>
/// What the editors' list shows: a status, names (typed or slugs), words, the order, and where the page starts:
/// after <see cref="From"/> in the list's order, or just before <see cref="Back"/>. The API's list for editors also
/// asks for a language, the days from and to (both included; the search takes them too) and up to <see cref="Take"/>
/// stories a page.
/// </summary>
public sealed record AdminArticleFilter(string? Status, string? Category, string? Source, string? Text, bool OldestFirst,
    ListingCursor? From = null, ListingCursor? Back = null, string? Thread = null, string? Language = null,
    DateOnly? FromDay = null, DateOnly? ToDay = null,
    int Take = ArticleAdminService.PageSize);

/// <summary>
/// A page of the editors' list, with where the pages either side start (null: there is none); <c>Stopped</c>: the
/// notice of its search by words, stopped at <c>Portal:SearchTimeoutSeconds</c>; <c>LeftOut</c>: the notice that
/// words matched more stories than the list looks through, so older matches are not listed.
/// </summary>
public sealed record AdminListPage(IReadOnlyList<AdminArticleRow> Items, ListingCursor? Previous, ListingCursor? Next, string? Stopped = null, string? LeftOut = null)
{
    public static AdminListPage Empty { get; } = new([], null, null);
}

/// <summary>What an editor can do to several stories of the list at once.</summary>
public enum BulkAction
{
    Publish,
    Unpublish,
    Delete,
    SetThread,
}

/// <summary>How a bulk action went: how many stories it changed, and why the others were left as they were.</summary>
public sealed record BulkResult(int Changed, IReadOnlyList<string> Problems);

public sealed record AdminArticleRow(int Id, string Title, string Slug, ArticleStatus Status, DateTime? PublishAtUtc, DateOnly PublishedOn, DateTime UpdatedAtUtc, bool Deleted)
{
    public ListingCursor Position { get; init; }
}

public sealed record RevisionRow(int Number, DateTime CreatedAtUtc, string Author, string Action);

public sealed record DiffLine(ChangeType Change, string Text);

/// <summary>
/// The outcome of an editorial save: the article's id and slug, or why it was refused: a conflicting edit, or (
/// <see cref="AddressTaken"/>) the address it asked for taken by another story's save at the same moment.
/// </summary>
public sealed record SaveResult(int Id, string Slug, string? Conflict = null, string? AddressTaken = null)
{
    public bool Saved => Conflict is null && AddressTaken is null;
}

/// <summary>The editors' side of articles: list, write, schedule, revise, restore, delete. Every save keeps a revision.</summary>
public sealed class ArticleAdminService(
    NewsDbContext db, ArticleWriter writer, AuditLog audit, WebhookOutbox webhooks, MarkdownRenderer markdown, PageCache cache,
    PublishSchedule schedule, SearchService search, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ImportOptions> limits,
    Microsoft.Extensions.Options.IOptions<PortalOptions> portal)
{
    public const int PageSize = 20;

    /// <summary>The most stories a page of the list holds, whatever a caller asks (the API's list for editors asks up to its limit).</summary>
    public const int MaxTake = Api.ArticleApiService.MaxLimit;

    /// <summary>Rounds a save may lose to concurrent saves of the same story before it gives up.</summary>
    private const int MaxSaveAttempts = 20;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The most matches of words the list looks through, each of public and of unseen stories.</summary>
    public const int MaxTextMatches = 500;

    private static readonly string OlderMatchesLeftOut = string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"These words match more stories than the list looks through: it shows those among the newest {MaxTextMatches:N0} published and the newest {MaxTextMatches:N0} others. Add a word, a category or a source to reach older ones.");

    private const string AdminColumns = """a."Id", a."Title", a."Slug", a."Status", a."PublishAtUtc", a."PublishedOn", a."UpdatedAtUtc", a."DeletedAtUtc", a."SortKey" """;

    /// <summary>
    /// A page of the editors' list, in the public listings' order (or its reverse), keyset-paged so that no page counts
    /// or skips rows. Public stories and the others (drafts, scheduled, unpublished, deleted) are each one walk of a
    /// listing index (every story's, a category's, a source's or a thread's), merged; words are looked up in the search
    /// index first (at most <see cref="MaxTextMatches"/> of each), so a page costs the same in a store of a million.
    /// </summary>
    public async Task<AdminListPage> ListAsync(AdminArticleFilter filter, CancellationToken cancellationToken = default)
    {
        filter = filter with { Take = Math.Clamp(filter.Take, 1, MaxTake) };
        var now = Now;
        // Each filter takes a name as an editor types it ("Business and economy") or its slug.
        async Task<(int Id, string Slug)?> NameOfAsync<T>(IQueryable<T> names, string? typed)
            where T : class, INamedEntity, INamedRow
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                return null;
            }

            var key = NameKey.For(typed);
            var name = await names.Where(n => n.Slug == typed || n.NameKey == key).Select(n => new { n.Id, n.Slug }).FirstOrDefaultAsync(cancellationToken);
            return name is null ? null : (name.Id, name.Slug);
        }

        var category = await NameOfAsync(db.Categories, filter.Category);
        var source = await NameOfAsync(db.Sources, filter.Source);
        var (categoryId, sourceId, threadId) = (category?.Id, source?.Id, (await NameOfAsync(db.Threads, filter.Thread))?.Id);
        var language = string.IsNullOrWhiteSpace(filter.Language) ? null : filter.Language.Trim().ToLowerInvariant();
        if ((filter.Category is { Length: > 0 } && categoryId is null) || (filter.Source is { Length: > 0 } && sourceId is null)
            || (filter.Thread is { Length: > 0 } && threadId is null) || (language is not null && !SnippetRules.IsLanguageTag(language)))
        {
            return AdminListPage.Empty;
        }

        var conditions = new List<string>();
        var olderMatchesLeftOut = false;
        var byWords = !string.IsNullOrWhiteSpace(filter.Text);
        if (byWords)
        {
            // Held to the readers' search limit: ten very common words are looked for through every story holding each.
            // The search itself takes the category, source, language and days, so that its newest matches are of those.
            var words = SearchQuery.Parse(filter.Text!).Within(category?.Slug, source?.Slug, language, filter.FromDay, filter.ToDay);
            if (await search.EditorsMatchingIdsAsync(words, MaxTextMatches, cancellationToken) is not { } found)
            {
                return AdminListPage.Empty with { Stopped = search.StoppedNotice };
            }

            (var ids, olderMatchesLeftOut) = found;
            if (ids.Count == 0)
            {
                return AdminListPage.Empty;
            }

            conditions.Add(Listing.IdIn(ids));
        }

        // The narrowest listing is walked and every other filter checked on each story reached; the matches of words
        // are few, so they are read by id, not by walking a listing until they turn up.
        var (listing, filters) = Listing.Narrowest(threadId, categoryId, sourceId, language, everyStory: byWords);
        conditions.AddRange(filters);

        const string NotDeleted = """a."DeletedAtUtc" IS NULL""";
        (bool Listed, string? Condition)[] walks = filter.Status?.ToLowerInvariant() switch
        {
            "published" => [(true, null)],
            "draft" => [(false, $"""{NotDeleted} AND a."Status" = '{ArticleStatus.Draft}'""")],
            "scheduled" => [(false, $"""{NotDeleted} AND a."Status" = '{ArticleStatus.Scheduled}'""")],
            "unpublished" => [(false, $"""{NotDeleted} AND a."Status" = '{ArticleStatus.Unpublished}'""")],
            "deleted" => [(false, """a."DeletedAtUtc" IS NOT NULL""")],
            _ => [(true, null), (false, NotDeleted)],
        };

        var backward = filter.Back is not null;
        var older = filter.OldestFirst == backward;
        var dialect = StoreDialect.Of(db.Database);
        var rows = new List<AdminRow>();
        foreach (var (listed, condition) in walks)
        {
            var all = string.Join(" AND ", conditions.Append(condition).OfType<string>());
            var sql = listing.Walk(dialect, AdminColumns, filter.Back ?? filter.From, older, filter.Take + 1, out var args, keys: ListingOrder.Between(filter.FromDay, filter.ToDay), listed: listed,
                condition: all.Length > 0 ? all : null);
            if (byWords)
            {
                sql = "-- bounded: the matches of words\n" + sql;
            }

            rows.AddRange(await db.Database.RowsAsync<AdminRow>(sql, args, cancellationToken));
        }

        var ordered = (older ? rows.OrderByDescending(r => r.SortKey).ThenByDescending(r => r.Id) : rows.OrderBy(r => r.SortKey).ThenBy(r => r.Id)).ToList();
        var more = ordered.Count > filter.Take;
        if (more)
        {
            ordered.RemoveRange(filter.Take, ordered.Count - filter.Take);
        }

        if (backward)
        {
            if (!more)
            {
                // Fewer than a page before that: the list's first page.
                return await ListAsync(filter with { Back = null, From = null }, cancellationToken);
            }

            ordered.Reverse();
        }

        var items = ordered.Select(r => new AdminArticleRow(r.Id, r.Title, r.Slug, ArticleVisibility.Effective(Enum.Parse<ArticleStatus>(r.Status), r.PublishAtUtc, now),
            r.PublishAtUtc, r.PublishedOn, r.UpdatedAtUtc, r.DeletedAtUtc != null)
        { Position = new ListingCursor(r.SortKey, r.Id) }).ToList();
        var leftOut = olderMatchesLeftOut ? OlderMatchesLeftOut : null;
        if (items.Count == 0)
        {
            return AdminListPage.Empty with { LeftOut = leftOut };
        }

        return new AdminListPage(items,
            Previous: backward || filter.From is not null ? items[0].Position : null,
            Next: backward || more ? items[^1].Position : null,
            LeftOut: leftOut);
    }

    private sealed record AdminRow(int Id, string Title, string Slug, string Status, DateTime? PublishAtUtc, DateOnly PublishedOn, DateTime UpdatedAtUtc, DateTime? DeletedAtUtc, long SortKey);

    public async Task<(ArticleForm Form, string Slug, bool Deleted)?> GetFormAsync(int id, CancellationToken cancellationToken = default)
    {
        var article = await db.Articles.AsNoTracking().Include(a => a.Categories).Include(a => a.Sources).Include(a => a.Thread).AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return article is null ? null : (ArticleForm.From(article), article.Slug, article.DeletedAtUtc != null);
    }

    /// <summary>The body as the article will show it; a body over the size limit is not rendered (a 4 MB one took 15 s).</summary>
    public string Preview(ArticleForm form)
        => System.Text.Encoding.UTF8.GetByteCount(form.Body ?? "") > limits.Value.MaxBodyBytes
            ? $"<p>The body is over the limit of {limits.Value.MaxBodyBytes:N0} bytes, so it is not shown here: shorten it first.</p>"
            : markdown.ToHtml(form.Body ?? "", form.Dateline);

    /// <summary>How many published stories around a new one's date are compared with it, newest first.</summary>
    public const int MaxDuplicateCandidates = 5_000;

    /// <summary>
    /// Published stories that probably report the same event as the form (see <see cref="NearDuplicates"/>), other
    /// than story <paramref name="id"/>: read from the listing index over the days either side, at most
    /// <see cref="MaxDuplicateCandidates"/> of them, so the check costs the same however large the archive.
    /// </summary>
    public async Task<IReadOnlyList<Headline>> LikelyDuplicatesAsync(ArticleForm form, int? id, CancellationToken cancellationToken = default)
    {
        var document = form.ToDocument();
        var story = new NearDuplicates.Story(document.Title, document.Summary ?? markdown.Lede(document.Body, Article.LedeMaxLength), document.OriginalUrl, document.PublishedOn);
        var day = document.PublishedOn.DayNumber;
        var from = ListingOrder.StartOf(DateOnly.FromDayNumber(Math.Max(0, day - NearDuplicates.WindowDays)));
        var to = day + NearDuplicates.WindowDays + 1 > DateOnly.MaxValue.DayNumber
            ? long.MaxValue
            : ListingOrder.StartOf(DateOnly.FromDayNumber(day + NearDuplicates.WindowDays + 1));
        // Listed compared with a value, not tested as a flag, so the index is walked in order from one end.
        var listed = true;
        var candidates = await db.Articles.AsNoTracking()
            .Where(a => a.Listed == listed && a.SortKey >= from && a.SortKey < to && a.Id != (id ?? 0))
            .OrderByDescending(a => a.SortKey).ThenByDescending(a => a.Id)
            .Take(MaxDuplicateCandidates)
            .Select(a => new { a.Id, a.Title, a.Slug, a.Lede, a.OriginalUrl, a.PublishedOn })
            .ToListAsync(cancellationToken);
        return [.. candidates
            .Where(c => NearDuplicates.AreLikely(story, new NearDuplicates.Story(c.Title, c.Lede, c.OriginalUrl, c.PublishedOn)))
            .Take(5)
            .Select(c => new Headline(c.Id, c.Title, c.Slug, c.PublishedOn))];
    }

    public async Task<SaveResult> CreateAsync(ArticleForm form, string user, CancellationToken cancellationToken = default)
    {
        var document = form.ToDocument();
        for (var attempt = 1; ; attempt++)
        {
            var now = Now;
            var article = new Article
            {
                Title = document.Title,
                Slug = form.ChosenSlug ?? await FreeSlugAsync(document.Title, attempt, cancellationToken),
                Body = document.Body,
                Lede = "",
                Language = document.Language ?? "en",
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
                Version = 1,
            };
            Apply(article, form, document, now);
            db.Articles.Add(article);
            await writer.LinkAsync(article, document.Categories, document.Sources, document.Thread, cancellationToken);
            article.Revisions.Add(Revision(article, 1, user, "created"));
            audit.Add(user, "create", article.Slug, $"{article.Status}: {article.Title}");
            await NotifyAsync(wasPublic: false, article, now, cancellationToken);
            try
            {
                await SaveAsync(article, before: null, cancellationToken);
                return new SaveResult(article.Id, article.Slug);
            }
            catch (Exception ex) when (StoreDialect.IsLostRace(ex) && attempt < MaxSaveAttempts)
            {
                // Another save took the slug or created a category or source this one also names: look again, unless
                // the address the editor chose is the one taken.
                writer.Forget();
                if (await SlugProblemAsync(form, null, cancellationToken) is { } taken)
                {
                    return new SaveResult(0, "", AddressTaken: taken);
                }
            }
        }
    }

    /// <summary>
    /// Saves an edit made from version <see cref="ArticleForm.Version"/>. Exactly one of two saves from the same
    /// version wins; the other is refused and kept as a revision, however the two interleave (unless
    /// <paramref name="keepRefused"/> is false: a change the caller makes again to the newer version, not an editor's text).
    /// </summary>
    public async Task<SaveResult?> UpdateAsync(
        int id, ArticleForm form, string user, string action = "edited", bool keepRefused = true, CancellationToken cancellationToken = default)
    {
        var document = form.ToDocument();
        for (var attempt = 1; ; attempt++)
        {
            var article = await LoadAsync(id, cancellationToken);
            if (article is null)
            {
                return null;
            }

            if (article.Version != form.Version)
            {
                return keepRefused ? await RefuseAsync(article, form, document, user, cancellationToken)
                    : new SaveResult(id, article.Slug, Conflict: "The story was changed meanwhile.");
            }

            var now = Now;
            var wasPublic = IsPublic(article, now);
            var before = ArticleState.Of(article);
            await MoveAsync(article, form.ChosenSlug, cancellationToken);
            Apply(article, form, document, now);
            await writer.LinkAsync(article, document.Categories, document.Sources, document.Thread, cancellationToken);
            article.Version++;
            article.UpdatedAtUtc = now;
            article.Revisions.Add(Revision(article, await NextRevisionAsync(id, cancellationToken), user, action));
            audit.Add(user, AuditAction(action, wasPublic, IsPublic(article, now)), article.Slug, article.Title);
            await NotifyAsync(wasPublic, article, now, cancellationToken);
            try
            {
                await SaveAsync(article, before, cancellationToken);
                return new SaveResult(article.Id, article.Slug);
            }
            catch (Exception ex) when (StoreDialect.IsLostRace(ex) && attempt < MaxSaveAttempts)
            {
                // Someone saved between our read and our write: a new version (refused on the next round), or only
                // a revision number or a new name this save also took (tried again on the next round), or the
                // address this one asked for.
                writer.Forget();
                if (await SlugProblemAsync(form, id, cancellationToken) is { } taken)
                {
                    return new SaveResult(id, "", AddressTaken: taken);
                }
            }
        }
    }

    /// <summary>Publishes now, or takes down, keeping everything else as it is.</summary>
    /// <remarks>
    /// The change applies to the story as it stands: one saved or imported between this read and the write is read
    /// again and changed, not refused as an edit of an older version (a publish carries no text of its own to keep).
    /// </remarks>
    public async Task<SaveResult?> SetStatusAsync(int id, ArticleStatus status, string user, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var article = await LoadAsync(id, cancellationToken);
            if (article is null)
            {
                return null;
            }

            if (article.Status == status && (status != ArticleStatus.Published || article.PublishAtUtc <= Now))
            {
                // Already so: a client retrying a publish (or ten at once) adds no revision, audit entry or webhook.
                db.ChangeTracker.Clear();
                return new SaveResult(id, article.Slug);
            }

            var form = ArticleForm.From(article);
            form.Status = status;
            if (status == ArticleStatus.Published && (article.PublishAtUtc is null || article.PublishAtUtc > Now))
            {
                form.PublishAtUtc = Now;
            }

            db.ChangeTracker.Clear();
            var action = status == ArticleStatus.Published ? "published" : status.ToString().ToLowerInvariant();
            var result = await UpdateAsync(id, form, user, action, keepRefused: attempt == MaxSaveAttempts, cancellationToken);
            if (result is not { Conflict: not null } || attempt == MaxSaveAttempts)
            {
                return result;
            }

            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The most stories one bulk action takes: a page of the list.</summary>
    public const int MaxBulk = PageSize;

    /// <summary>
    /// Applies one action to each story, each as its own save (a revision, the audit log, the cache, webhooks), so a
    /// story someone else is saving at the same moment is refused alone (a thread set) or published or taken down as
    /// it now stands, and the rest go through.
    /// </summary>
    public async Task<BulkResult> BulkAsync(IReadOnlyList<int> ids, BulkAction action, string? thread, string user, CancellationToken cancellationToken = default)
    {
        var changed = 0;
        var problems = new List<string>();
        foreach (var id in ids.Distinct().Take(MaxBulk))
        {
            db.ChangeTracker.Clear();
            var current = await db.Articles.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.Version, a.Title, a.Status, Deleted = a.DeletedAtUtc != null, Thread = a.Thread != null ? a.Thread.Name : null })
                .SingleOrDefaultAsync(cancellationToken);
            if (current is null)
            {
                problems.Add($"Story {id} no longer exists.");
                continue;
            }

            // Deleted since the list was read, from another tab or by another editor.
            if (current.Deleted)
            {
                problems.Add(action == BulkAction.Delete ? $"“{current.Title}” had already been deleted." : $"“{current.Title}” was left as it was: it has been deleted.");
                continue;
            }

            try
            {
                var (made, problem) = await BulkChangeAsync(id, action, thread, user, current.Title, current.Status, current.Thread, cancellationToken);
                changed += made ? 1 : 0;
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
            catch (Exception ex) when (StoreDialect.IsHeldByAnotherWriter(ex))
            {
                // Each story after it would wait as long again, past the request's own time: the rest are left too.
                problems.Add($"“{current.Title}” and the stories after it were left as they were: {StoreHealth.HeldByAnotherWriter}. Try again once it has finished.");
                break;
            }
        }

        return new BulkResult(changed, problems);
    }

    /// <summary>One story's change of a bulk action: whether it was made, and why not when there was a reason to say.</summary>
    private async Task<(bool Made, string? Problem)> BulkChangeAsync(
        int id, BulkAction action, string? thread, string user, string title, ArticleStatus status, string? currentThread, CancellationToken cancellationToken)
    {
        SaveResult? result;
        switch (action)
        {
            case BulkAction.Delete:
                // Deleted meanwhile, from another tab or by another editor: said so.
                return await DeleteAsync(id, user, cancellationToken) is { AlreadyDeleted: false } ? (true, null) : (false, $"“{title}” had already been deleted.");
            case BulkAction.SetThread:
                if (currentThread == thread)
                {
                    return (false, null);
                }

                var form = (await GetFormAsync(id, cancellationToken))!.Value.Form;
                form.Thread = thread;
                db.ChangeTracker.Clear();
                result = await UpdateAsync(id, form, user, "set thread", cancellationToken: cancellationToken);
                break;
            default:
                var wanted = action == BulkAction.Publish ? ArticleStatus.Published : ArticleStatus.Unpublished;
                if (status == wanted)
                {
                    return (false, null);
                }

                result = await SetStatusAsync(id, wanted, user, cancellationToken);
                break;
        }

        return result is { Saved: true } ? (true, null) : (false, $"“{title}” was left as it was: {result?.Conflict ?? "it could not be changed."}");
    }

    public async Task<SaveResult?> RestoreRevisionAsync(int id, int number, int version, string user, CancellationToken cancellationToken = default)
    {
        var snapshot = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id && r.Number == number).Select(r => r.Snapshot).SingleOrDefaultAsync(cancellationToken);
        return snapshot is null ? null : await UpdateAsync(id, ArticleForm.From(ArticleSnapshot.FromJson(snapshot), version), user, $"restored revision {number}", cancellationToken: cancellationToken);
    }

    /// <summary>What a delete found: the story's title, and whether another delete had been there first.</summary>
    public sealed record Deletion(string Title, bool AlreadyDeleted);

    /// <summary>
    /// Soft delete: the article leaves every public page (its URL answers 410) until an admin restores it. Null when
    /// there is no such story; a story deleted already (another tab, another editor, a racing request) is left as it is.
    /// </summary>
    public Task<Deletion?> DeleteAsync(int id, string user, CancellationToken cancellationToken = default)
        => RetriedAsync(async () =>
        {
            var article = await LoadAsync(id, cancellationToken);
            if (article is null)
            {
                var deleted = await db.Articles.Where(a => a.Id == id).Select(a => a.Title).SingleOrDefaultAsync(cancellationToken);
                return deleted is null ? null : new Deletion(deleted, AlreadyDeleted: true);
            }

            var wasPublic = IsPublic(article, Now);
            var before = ArticleState.Of(article);
            article.DeletedAtUtc = Now;
            // A new version, so that of two deletes at once one wins and the other finds the story gone: both
            // succeeded, announcing it twice.
            article.Version++;
            audit.Add(user, "delete", article.Slug, article.Title);
            await NotifyAsync(wasPublic, article, Now, cancellationToken);
            await SaveAsync(article, before, cancellationToken);
            return new Deletion(article.Title, AlreadyDeleted: false);
        });

    /// <summary>
    /// Runs a delete or restore again when a save changed the story between its read and its write (a version the
    /// write no longer matches was a 500); the next round reads the story as it is now.
    /// </summary>
    private async Task<T> RetriedAsync<T>(Func<Task<T>> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change();
            }
            catch (Exception ex) when (StoreDialect.IsLostRace(ex) && attempt < MaxSaveAttempts)
            {
                writer.Forget();
            }
        }
    }

    /// <summary>How long after deleting a story an editor may undo it; after that, only an admin restores it.</summary>
    public static readonly TimeSpan UndoWindow = TimeSpan.FromMinutes(15);

    /// <summary>Restores a deleted story; with <paramref name="withinUndoWindow"/>, only one deleted in the last <see cref="UndoWindow"/>.</summary>
    public Task<bool> UndeleteAsync(int id, string user, bool withinUndoWindow = false, CancellationToken cancellationToken = default)
        => RetriedAsync(async () =>
        {
            var since = withinUndoWindow ? Now - UndoWindow : DateTime.MinValue;
            var article = await db.Articles.Include(a => a.Categories).Include(a => a.Sources).Include(a => a.Thread).AsSplitQuery()
                .SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc != null && a.DeletedAtUtc >= since, cancellationToken);
            if (article is null)
            {
                return false;
            }

            var before = ArticleState.Of(article);
            article.DeletedAtUtc = null;
            article.Version++;
            audit.Add(user, "restore", article.Slug, article.Title);
            await NotifyAsync(wasPublic: false, article, Now, cancellationToken);
            await SaveAsync(article, before, cancellationToken);
            return true;
        });

    /// <summary>What an admin's permanent delete found.</summary>
    public enum PurgeOutcome
    {
        Purged,
        NoSuchStory,

        /// <summary>Not deleted (or restored meanwhile): only a story in the deleted list can be deleted for good.</summary>
        NotDeleted,
    }

    /// <summary>
    /// Deletes a deleted story for good, as a court order or a privacy request may require: its row, and with it (by
    /// the store's keys and triggers) its revisions, old addresses, credits, search entries and counts. The audit log's
    /// lines about it keep who did what and when to "story #id", without its address or headline; one more line says
    /// who deleted it for good. Its import keys are kept (<see cref="PurgedStory"/>), so a feed sending it again does not
    /// bring it back. Only a story already deleted, so that no story readers see is one step from gone.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(int id, string user, CancellationToken cancellationToken = default)
    {
        await using var transaction = await BeginAsync(cancellationToken);
        await StoreDialect.Of(db.Database).LockArticleAsync(db, id, cancellationToken);
        var story = await db.Articles.Where(a => a.Id == id).Select(a => new { a.Slug, a.UrlKey, a.TitleKey, Deleted = a.DeletedAtUtc != null }).SingleOrDefaultAsync(cancellationToken);
        if (story is null || !story.Deleted)
        {
            return story is null ? PurgeOutcome.NoSuchStory : PurgeOutcome.NotDeleted;
        }

        // Every address the story had, each of which its audit lines name; an editor renames a story a few times.
        var addresses = await db.SlugRedirects.Where(r => r.ArticleId == id).Select(r => r.Slug).OrderBy(s => s).Take(MaxPurgedAddresses).ToListAsync(cancellationToken);
        addresses.Add(story.Slug);
        var subject = $"story #{id}";
        await db.AuditLog.Where(e => addresses.Contains(e.Subject) && StoryAuditActions.Contains(e.Action))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Subject, subject).SetProperty(x => x.Details, (string?)null), cancellationToken);
        // Webhook deliveries sent or given up on hold the headline until Webhooks:KeepDays. One still waiting is sent,
        // since its subscriber must still learn the story was taken down, as an unpublish naming only its address.
        await db.WebhookDeliveries.Where(d => d.ArticleId == id && d.State != DeliveryState.Pending).ExecuteDeleteAsync(cancellationToken);
        var takenDown = webhooks.TakenDownPayload(story.Slug, Now);
        await db.WebhookDeliveries.Where(d => d.ArticleId == id)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Event, WebhookEvents.Unpublished).SetProperty(x => x.Payload, takenDown).SetProperty(x => x.ArticleId, (int?)null), cancellationToken);
        await db.Articles.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
        db.PurgedStories.Add(new PurgedStory { UrlKey = story.UrlKey, TitleKey = story.TitleKey, PurgedAtUtc = Now });
        audit.Add(user, "delete permanently", subject);
        string[] tags = [CacheTags.Article(id)];
        cache.Record(tags);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.EvictAsync(tags, cancellationToken);
        return PurgeOutcome.Purged;
    }

    /// <summary>Old addresses of one story whose audit lines a permanent delete rewrites, a bound however many renames.</summary>
    private const int MaxPurgedAddresses = 1000;

    /// <summary>
    /// The actions of the audit lines a story's changes write (<see cref="AuditAction"/>), their subject its address:
    /// a permanent delete rewrites those, and no line of another kind whose subject happens to read the same.
    /// </summary>
    internal static readonly string[] StoryAuditActions =
        ["create", "edit", "publish", "unpublish", "delete", "restore", "restored", "set", .. Enum.GetNames<ArticleStatus>().Select(s => s.ToLowerInvariant())];

    /// <summary>
    /// At most <paramref name="take"/> revisions, newest first, older than <paramref name="before"/> when given: a
    /// story an agency updates every few minutes gathers tens of thousands, read a page at a time from the
    /// (ArticleId, Number) index.
    /// </summary>
    public Task<List<RevisionRow>> RevisionsAsync(int id, int? before, int take, CancellationToken cancellationToken = default)
        => db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id && (before == null || r.Number < before)).OrderByDescending(r => r.Number)
            .Take(take).Select(r => new RevisionRow(r.Number, r.CreatedAtUtc, r.Author, r.Action)).ToListAsync(cancellationToken);

    /// <summary>Line-by-line differences between two revisions, fields first, then the body.</summary>
    public async Task<IReadOnlyList<DiffLine>?> DiffAsync(int id, int from, int to, CancellationToken cancellationToken = default)
    {
        var snapshots = await db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id && (r.Number == from || r.Number == to))
            .ToDictionaryAsync(r => r.Number, r => r.Snapshot, cancellationToken);
        if (!snapshots.TryGetValue(from, out var older) || !snapshots.TryGetValue(to, out var newer))
        {
            return null;
        }

        var diff = InlineDiffBuilder.Diff(ArticleSnapshot.FromJson(older).ToDiffText(), ArticleSnapshot.FromJson(newer).ToDiffText());
        return [.. diff.Lines.Select(l => new DiffLine(l.Type, l.Text))];
    }

    private async Task<SaveResult> RefuseAsync(Article current, ArticleForm form, SnippetDocument document, string user, CancellationToken cancellationToken)
    {
        // Nothing is lost: the refused version is kept as a revision the editor can compare and restore.
        var refused = new ArticleSnapshot(
            document.Title, document.Dateline, document.Body, document.PublishedOn, document.DocumentDate, document.Language ?? current.Language,
            document.Site, document.OriginalUrl, document.Categories, document.Sources, form.Status, form.PublishAtUtc, form.CorrectionNote,
            document.License, document.Thread, document.ImageUrl, document.ImageAlt, document.Summary);
        var (id, slug, version) = (current.Id, current.Slug, current.Version);
        db.ChangeTracker.Clear();
        for (var attempt = 1; ; attempt++)
        {
            // Numbered under the story's row lock, as a save is: numbered outside it, two refusals took the same number,
            // and a refusal and a save each waited on the other's row (the refusal's new revision, the save's lock).
            await using var transaction = await BeginAsync(cancellationToken);
            try
            {
                await StoreDialect.Of(db.Database).LockArticleAsync(db, id, cancellationToken);
                var number = await NextRevisionAsync(id, cancellationToken);
                db.ArticleRevisions.Add(new ArticleRevision
                {
                    ArticleId = id,
                    Number = number,
                    CreatedAtUtc = Now,
                    Author = user,
                    Action = $"refused: edited from version {form.Version}, but version {version} was saved meanwhile",
                    Snapshot = refused.ToJson(),
                });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new SaveResult(id, slug,
                    $"Someone else saved this story while you were editing it. Your version was not applied; it is kept as revision {number}, "
                    + "so you can compare it with the current one and restore or merge what you need.");
            }
            catch (Exception ex) when (StoreDialect.IsLostRace(ex) && attempt < MaxSaveAttempts)
            {
                // Another revision took the number, or PostgreSQL chose this transaction to end a deadlock.
                db.ChangeTracker.Clear();
            }
        }
    }

    private void Apply(Article article, ArticleForm form, SnippetDocument document, DateTime now)
    {
        article.Title = document.Title;
        article.Dateline = document.Dateline;
        article.Body = document.Body;
        article.Summary = document.Summary;
        article.Lede = document.Summary ?? markdown.Lede(document.Body, Article.LedeMaxLength);
        article.BodyText = markdown.PlainText(document.Body);
        article.BodyHtml = markdown.ToHtml(document.Body, document.Dateline);
        article.PublishedOn = document.PublishedOn;
        article.DocumentDate = document.DocumentDate;
        article.Language = document.Language ?? article.Language;
        article.Site = document.Site;
        article.OriginalUrl = document.OriginalUrl;
        article.License = document.License;
        article.ImageUrl = document.ImageUrl;
        article.ImageAlt = document.ImageAlt;
        article.CorrectionNote = string.IsNullOrWhiteSpace(form.CorrectionNote) ? null : form.CorrectionNote.Trim();
        article.Status = form.Status;
        article.PublishAtUtc = form.Status switch
        {
            ArticleStatus.Scheduled => form.PublishAtUtc is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null,
            ArticleStatus.Published => form.PublishAtUtc is { } at && at <= now ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : article.PublishAtUtc is { } was && was <= now ? was : now,
            _ => article.PublishAtUtc,
        };

        // A time already come is simply published: listings show published stories only.
        if (article.Status == ArticleStatus.Scheduled && article.PublishAtUtc <= now)
        {
            article.Status = ArticleStatus.Published;
        }
    }

    /// <summary>
    /// Saves the unit of work with the cache tags of the article's change in the same transaction (so other
    /// processes evict them too), then evicts them here before the request returns.
    /// </summary>
    private async Task SaveAsync(Article article, ArticleState? before, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginAsync(cancellationToken);
        if (before is not null)
        {
            await StoreDialect.Of(db.Database).LockArticleAsync(db, article.Id, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var tags = await cache.TagsForAsync([(before, ArticleState.Of(article))], cancellationToken);
        cache.Record(tags);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.EvictAsync(tags, cancellationToken);
        if (article is { Status: ArticleStatus.Scheduled, PublishAtUtc: { } at, DeletedAtUtc: null })
        {
            schedule.Scheduled(at);
        }
    }

    /// <summary>
    /// Every change here is one someone waits for, so it waits for another writer (an import running) only as long as
    /// <see cref="PortalOptions.WriteWait"/>: the editor gets the form back with their text, not a timeout.
    /// </summary>
    private Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginAsync(CancellationToken cancellationToken)
        => StoreDialect.Of(db.Database).BeginWaitingAtMostAsync(db.Database, portal.Value.WriteWait, cancellationToken);

    private Task<Article?> LoadAsync(int id, CancellationToken cancellationToken)
        => db.Articles.Include(a => a.Categories).Include(a => a.Sources).Include(a => a.Thread).AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == id && a.DeletedAtUtc == null, cancellationToken);

    private async Task<int> NextRevisionAsync(int id, CancellationToken cancellationToken)
        => (await db.ArticleRevisions.Where(r => r.ArticleId == id).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1;

    private ArticleRevision Revision(Article article, int number, string user, string action) => new()
    {
        Number = number,
        CreatedAtUtc = Now,
        Author = user,
        Action = action,
        Snapshot = ArticleSnapshot.Of(article).ToJson(),
    };

    /// <summary>Tells webhook subscribers what readers will now see differently (nothing, for a draft saved as a draft).</summary>
    private async Task NotifyAsync(bool wasPublic, Article article, DateTime now, CancellationToken cancellationToken)
    {
        if (WebhookEvents.For(wasPublic, IsPublic(article, now)) is { } eventName)
        {
            await webhooks.EnqueueAsync(eventName, article, cancellationToken);
        }
    }

    private static bool IsPublic(Article article, DateTime now) => ArticleVisibility.IsPublic(article, now);

    private static string AuditAction(string action, bool wasPublic, bool isPublic)
        => action != "edited" ? action.Split(' ')[0] : !wasPublic && isPublic ? "publish" : wasPublic && !isPublic ? "unpublish" : "edit";

    /// <summary>Why story <paramref name="id"/> (null: a new one) cannot take the address the form asks for; null when it can.</summary>
    public async Task<string?> SlugProblemAsync(ArticleForm form, int? id, CancellationToken cancellationToken = default)
    {
        if (form.ChosenSlug is not { } slug)
        {
            return null;
        }

        if (await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != (id ?? 0), cancellationToken))
        {
            return $"/articles/{slug} is another story's address: choose another.";
        }

        return await db.SlugRedirects.AnyAsync(r => r.Slug == slug && r.ArticleId != (id ?? 0), cancellationToken)
            ? $"/articles/{slug} was another story's address, and links to it still lead there: choose another."
            : null;
    }

    /// <summary>Gives the story its new address, keeping the old one as a redirect so links to it still work.</summary>
    private async Task MoveAsync(Article article, string? slug, CancellationToken cancellationToken)
    {
        if (slug is null || slug == article.Slug)
        {
            return;
        }

        var old = await db.SlugRedirects.FindAsync([article.Slug], cancellationToken);
        if (old is null)
        {
            db.SlugRedirects.Add(new SlugRedirect { Slug = article.Slug, ArticleId = article.Id });
        }
        else if (old.ArticleId != article.Id)
        {
            // The address was another story's before this one took it: it now leads here, where it last pointed.
            db.SlugRedirects.Remove(old);
            db.SlugRedirects.Add(new SlugRedirect { Slug = article.Slug, ArticleId = article.Id });
        }

        if (await db.SlugRedirects.FindAsync([slug], cancellationToken) is { } back && back.ArticleId == article.Id)
        {
            // Back to an address it had before: that is its address again, not a redirect.
            db.SlugRedirects.Remove(back);
        }

        article.Slug = slug;
    }

    /// <summary>
    /// The first free address for a headline; after a lost race, one of the first few free ones at random, as the saves
    /// it raced all want the first.
    /// </summary>
    private Task<string> FreeSlugAsync(string title, int attempt, CancellationToken cancellationToken)
        => writer.FreeSlugAsync(Slug.From(title, "article"), attempt == 1 ? 1 : Math.Min(4 * attempt, SlugBook.Probe), cancellationToken);
}
