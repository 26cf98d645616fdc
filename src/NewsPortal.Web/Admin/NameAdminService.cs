using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Caching.Memory;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Admin;

public enum NameKind
{
    Category,
    Source,
    Thread,
}

public sealed record NameRow(int Id, string Name, string Slug, int ArticleCount, IReadOnlyList<string> Aliases);

/// <summary>
/// A former or other name of a category, source or thread as an export carries it to another store (<c>aliases.json</c>
/// beside <c>articles.jsonl</c>): <see cref="Kind"/> is category, source or thread; <see cref="Slug"/> the old address, if any.
/// </summary>
public sealed record NameAliasRecord(string Kind, string Name, string? Slug, string Target);

/// <summary>Renames and merges categories, sources and developing stories, and gives them aliases the importer will map to them.</summary>
public sealed class NameAdminService(
    NewsDbContext db, AuditLog audit, PageCache cache, IMemoryCache kept, Microsoft.Extensions.Options.IOptions<PortalOptions> portal)
{
    private const int MaxAttempts = 8;

    /// <summary>
    /// Up to <paramref name="take"/> stored names that start as <paramref name="typed"/> does (case and spacing aside), in
    /// name order: what the editor's name fields suggest, one read of the name index.
    /// </summary>
    public async Task<List<string>> StartingWithAsync(NameKind kind, string? typed, int take, CancellationToken cancellationToken = default)
    {
        var key = NameKey.For(Text.Line(typed));
        if (key.Length == 0)
        {
            return [];
        }

        return await StartingWith(Names(kind), key).OrderBy(n => n.NameKey).Take(take).Select(n => n.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Names whose key starts with <paramref name="key"/>: one range of the unique key index.</summary>
    private static IQueryable<NameKeyRow> StartingWith(IQueryable<NameKeyRow> names, string key)
    {
        var end = key + char.MaxValue;
        return names.Where(n => n.NameKey.CompareTo(key) >= 0 && n.NameKey.CompareTo(end) < 0);
    }

    /// <summary>Names a page at a time, in order of their key from <paramref name="after"/>, or those starting with <paramref name="find"/>.</summary>
    public async Task<(List<NameRow> Rows, string? NextAfter)> PageAsync(NameKind kind, string? find, string? after, int pageSize, CancellationToken cancellationToken = default)
    {
        var names = Names(kind);
        var key = NameKey.For(Text.Line(find));
        if (key.Length > 0)
        {
            names = StartingWith(names, key);
        }

        if (!string.IsNullOrEmpty(after))
        {
            names = names.Where(n => n.NameKey.CompareTo(after) > 0);
        }

        var keys = await names.OrderBy(n => n.NameKey).Select(n => new { n.Id, n.NameKey }).Take(pageSize + 1).ToListAsync(cancellationToken);
        var ids = keys.Take(pageSize).Select(k => k.Id).ToList();
        var rows = await Rows(kind, ids).ToListAsync(cancellationToken);
        return (rows, keys.Count > pageSize ? keys[pageSize - 1].NameKey : null);
    }

    /// <summary>The id of the name (or alias) an editor typed; null when there is none.</summary>
    public async Task<int?> FindAsync(NameKind kind, string name, CancellationToken cancellationToken = default)
    {
        var key = NameKey.For(Text.Line(name));
        if (key.Length == 0)
        {
            return null;
        }

        return await Names(kind).Where(n => n.NameKey == key).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await Aliases(kind).Where(a => a.NameKey == key).Select(a => (int?)a.TargetId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// For each of <paramref name="typed"/> that names nothing stored (nor an alias) but looks like a stored name (see
    /// <see cref="LikelyDuplicates.SameOrClose"/>), that stored name: the editor probably meant it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LookalikesAsync(NameKind kind, IReadOnlyCollection<string> typed, CancellationToken cancellationToken = default)
    {
        if (typed.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        // Names already stored (or aliases) are found by their keys' unique indexes; only a new name costs a read of them all.
        var keys = typed.Select(NameKey.For).Distinct().ToList();
        var known = (await Names(kind).Where(n => keys.Contains(n.NameKey)).Select(n => n.NameKey).ToListAsync(cancellationToken))
            .Concat(await Aliases(kind).Where(a => keys.Contains(a.NameKey)).Select(a => a.NameKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var unknown = typed.Where(n => !known.Contains(NameKey.For(n))).ToList();
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (unknown.Count == 0)
        {
            return found;
        }

        var lookup = await FromEveryNameAsync(kind, "lookalikes", all => new LikelyDuplicates.Lookup(all.Select(n => n.Name)), cancellationToken);
        foreach (var name in unknown)
        {
            // "AFP via RFI" credits AFP, which is the source to name when AFP is stored.
            var credited = LikelyDuplicates.CreditedVia(name);
            // Another editor's save may have made the name since it was looked up: it is stored now, not a lookalike.
            if ((lookup.Find(name) ?? (credited is null ? null : lookup.Find(credited))) is { } match && NameKey.For(match) != NameKey.For(name))
            {
                found[name] = match;
            }
        }

        return found;
    }

    /// <summary>
    /// Pairs of names that are probably one (see <see cref="LikelyDuplicates"/>), the one with fewer stories first, so
    /// that merging it into the other moves the fewest. Reads every name's key once: thousands, not the stories.
    /// </summary>
    /// <remarks>
    /// The pairs are kept (see <see cref="FromEveryNameAsync"/>); each showing reads its pairs' names again by id, so
    /// their counts (which way a merge goes) are the store's now, and a name merged or renamed on another node shows as
    /// it is now, or not at all.
    /// </remarks>
    public async Task<IReadOnlyList<DuplicatePair>> LikelyDuplicatesAsync(NameKind kind, int take, CancellationToken cancellationToken = default)
    {
        // More pairs than shown are kept, standing in for any merged away on another node meanwhile.
        var pairs = await FromEveryNameAsync(kind, "duplicates",
            all => LikelyDuplicates.Find([.. all.Select(n => new LikelyDuplicates.Name(n.Id, n.Name, n.ArticleCount))], DuplicatesKept), cancellationToken);
        var ids = pairs.SelectMany(p => new[] { p.From.Id, p.Into.Id }).Distinct().ToList();
        var now = await Names(kind).Where(n => ids.Contains(n.Id))
            .Select(n => new LikelyDuplicates.Name(n.Id, n.Name, n.ArticleCount)).ToDictionaryAsync(n => n.Id, cancellationToken);
        return [.. pairs.Where(p => now.ContainsKey(p.From.Id) && now.ContainsKey(p.Into.Id))
            .Select(p => LikelyDuplicates.Pair(now[p.From.Id], now[p.Into.Id], p.Reason)).Take(take)];
    }

    private const int DuplicatesKept = 100;

    /// <summary>
    /// How long a node keeps what it worked out from every name of a kind while none is added, renamed or merged: the
    /// bound on a stale entry should a rename's eviction miss it (one worked out from the names read just before).
    /// </summary>
    public static readonly TimeSpan NamesKeptFor = TimeSpan.FromMinutes(10);

    private static readonly string[] KeptFromNames = ["duplicates", "lookalikes"];

    private sealed record KeptFromEveryName<T>(int Newest, T Value);

    private static string KeptKey(NameKind kind, string purpose) => $"names:{purpose}:{kind}";

    /// <summary>
    /// What <paramref name="build"/> works out from every name of a kind (likely duplicates, the lookup of lookalikes),
    /// which costs in proportion to the names (a fifth of a second at 21,000 sources): kept on each node until a name
    /// is added (the newest id changes), renamed or merged on any node (see <see cref="KeptTags"/>), or
    /// <see cref="NamesKeptFor"/> passes, so an editor's page or save reads the newest id, not every name.
    /// </summary>
    private async Task<T> FromEveryNameAsync<T>(NameKind kind, string purpose, Func<List<NameKeyRow>, T> build, CancellationToken cancellationToken)
    {
        var newest = await Names(kind).MaxAsync(n => (int?)n.Id, cancellationToken) ?? 0;
        if (kept.TryGetValue(KeptKey(kind, purpose), out KeptFromEveryName<T>? found) && found is not null && found.Newest == newest)
        {
            return found.Value;
        }

        var value = build(await Names(kind).ToListAsync(cancellationToken));
        kept.Set(KeptKey(kind, purpose), new KeptFromEveryName<T>(newest, value), NamesKeptFor);
        return value;
    }

    /// <summary>
    /// A rename or merge changes which names look alike: what every node kept from them is worked out again when next
    /// asked, on this node at once, on the others as they read the invalidation log.
    /// </summary>
    private static IEnumerable<string> KeptTags(NameKind kind) => KeptFromNames.Select(purpose => CacheTags.Kept(KeptKey(kind, purpose)));

    private IQueryable<NameKeyRow> Names(NameKind kind) => kind switch
    {
        NameKind.Category => db.Categories.AsNoTracking().Select(c => new NameKeyRow { Id = c.Id, Name = c.Name, NameKey = c.NameKey, Slug = c.Slug, ArticleCount = c.ArticleCount }),
        NameKind.Source => db.Sources.AsNoTracking().Select(s => new NameKeyRow { Id = s.Id, Name = s.Name, NameKey = s.NameKey, Slug = s.Slug, ArticleCount = s.ArticleCount }),
        _ => db.Threads.AsNoTracking().Select(t => new NameKeyRow { Id = t.Id, Name = t.Name, NameKey = t.NameKey, Slug = t.Slug, ArticleCount = t.ArticleCount }),
    };

    /// <summary>Every alias of every kind with its target's name, for an export: one a rename or merge, thousands at most.</summary>
    public async Task<List<NameAliasRecord>> AllAliasesAsync(CancellationToken cancellationToken = default)
    {
        var all = await db.CategoryAliases.AsNoTracking().OrderBy(a => a.Id).Select(a => new NameAliasRecord("category", a.Name, a.Slug, a.Target!.Name)).ToListAsync(cancellationToken);
        all.AddRange(await db.SourceAliases.AsNoTracking().OrderBy(a => a.Id).Select(a => new NameAliasRecord("source", a.Name, a.Slug, a.Target!.Name)).ToListAsync(cancellationToken));
        all.AddRange(await db.ThreadAliases.AsNoTracking().OrderBy(a => a.Id).Select(a => new NameAliasRecord("thread", a.Name, a.Slug, a.Target!.Name)).ToListAsync(cancellationToken));
        return all;
    }

    /// <summary>
    /// Keeps the aliases an export carried, after its stories are imported: each leads to its target by name, and
    /// keeps its old address where no name or alias has it. One already stored (a second import) is left as it is;
    /// one whose target the store lacks is a problem, by its place in the list (from 1).
    /// </summary>
    public async Task<(int Kept, List<(int Entry, string Problem)> Problems)> RestoreAliasesAsync(
        IReadOnlyList<NameAliasRecord> records, CancellationToken cancellationToken = default)
    {
        var (problems, kept) = (new List<(int, string)>(), 0);
        // Each kind's names and aliases are read once (thousands at most) and grow with the aliases kept here.
        var stored = new Dictionary<NameKind, (Dictionary<string, int> Ids, HashSet<string> Keys, HashSet<string> Slugs)>();
        async Task<(Dictionary<string, int> Ids, HashSet<string> Keys, HashSet<string> Slugs)> StoredAsync(NameKind kind)
        {
            if (!stored.TryGetValue(kind, out var known))
            {
                var names = await Names(kind).Select(n => new { n.Id, n.NameKey, n.Slug }).ToListAsync(cancellationToken);
                var aliases = await Aliases(kind).Select(a => new { a.NameKey, a.Slug }).ToListAsync(cancellationToken);
                stored[kind] = known = (names.ToDictionary(n => n.NameKey, n => n.Id, StringComparer.Ordinal),
                    [.. names.Select(n => n.NameKey), .. aliases.Select(a => a.NameKey)],
                    [.. names.Select(n => n.Slug), .. aliases.Select(a => a.Slug).OfType<string>()]);
            }

            return known;
        }

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!EnumName.TryParse<NameKind>(record.Kind, out var kind))
            {
                problems.Add((i + 1, $"the kind is '{Text.Line(record.Kind)}', not category, source or thread"));
                continue;
            }

            var (name, target) = (Text.Line(record.Name), Text.Line(record.Target));
            var key = NameKey.For(name);
            if (key.Length == 0 || TooLong(name, kind) is not null)
            {
                problems.Add((i + 1, TooLong(name, kind) ?? $"the {Noun(kind)} alias has no name"));
                continue;
            }

            var known = await StoredAsync(kind);
            if (!known.Ids.TryGetValue(NameKey.For(target), out var targetId))
            {
                problems.Add((i + 1, $"the {Noun(kind)} '{target}' is not in the store, so its other name '{name}' was not kept"));
                continue;
            }

            if (!known.Keys.Add(key))
            {
                continue;
            }

            // The old address is kept unless a name or alias of the new store answers there already.
            var slug = record.Slug is { Length: > 0 and <= Shared.Slug.MaxLength } s && Shared.Slug.From(s, "") == s && known.Slugs.Add(s) ? s : null;
            db.Add(NewAlias(kind, name, key, slug, targetId));
            kept++;
        }

        if (kept > 0)
        {
            await SaveAsync([CacheTags.Names, CacheTags.Search], cancellationToken);
        }

        return (kept, problems);
    }

    private IQueryable<NameAlias> Aliases(NameKind kind) => kind switch
    {
        NameKind.Category => db.CategoryAliases.AsNoTracking(),
        NameKind.Source => db.SourceAliases.AsNoTracking(),
        _ => db.ThreadAliases.AsNoTracking(),
    };

    /// <summary>The admin rows of the names with these ids (every name when null), in order of their keys.</summary>
    /// <remarks>
    /// The count is the one the store keeps on write (public stories): counting a name's stories here read every one
    /// of them, 317,410 for one category of a 1,000,000-story store, seconds a page. Aliases come in the order they
    /// were made, as their index holds them.
    /// </remarks>
    private IQueryable<NameRow> Rows(NameKind kind, List<int>? ids) => kind switch
    {
        NameKind.Category => db.Categories.AsNoTracking().Where(c => ids == null || ids.Contains(c.Id)).OrderBy(c => c.NameKey)
            .Select(c => new NameRow(c.Id, c.Name, c.Slug, c.ArticleCount,
                db.CategoryAliases.Where(a => a.TargetId == c.Id).OrderBy(a => a.Id).Select(a => a.Name).ToList())),
        NameKind.Source => db.Sources.AsNoTracking().Where(s => ids == null || ids.Contains(s.Id)).OrderBy(s => s.NameKey)
            .Select(s => new NameRow(s.Id, s.Name, s.Slug, s.ArticleCount,
                db.SourceAliases.Where(a => a.TargetId == s.Id).OrderBy(a => a.Id).Select(a => a.Name).ToList())),
        _ => db.Threads.AsNoTracking().Where(t => ids == null || ids.Contains(t.Id)).OrderBy(t => t.NameKey)
            .Select(t => new NameRow(t.Id, t.Name, t.Slug, t.ArticleCount,
                db.ThreadAliases.Where(a => a.TargetId == t.Id).OrderBy(a => a.Id).Select(a => a.Name).ToList())),
    };

    /// <summary>A name as the admin pages page and search them.</summary>
    private sealed class NameKeyRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string NameKey { get; init; } = "";
        public string Slug { get; init; } = "";
        public int ArticleCount { get; init; }
    }

    /// <summary>Renames; the old name becomes an alias and the old slug answers 301 to the new one. Returns an error or null.</summary>
    public Task<string?> RenameAsync(NameKind kind, int id, string newName, string user, CancellationToken cancellationToken = default)
        => LostRaceSaidAsync(kind, () => kind switch
        {
            NameKind.Category => RenameAsync(db.Categories, db.CategoryAliases, id, newName, user, kind, cancellationToken),
            NameKind.Source => RenameAsync(db.Sources, db.SourceAliases, id, newName, user, kind, cancellationToken),
            _ => RenameAsync(db.Threads, db.ThreadAliases, id, newName, user, kind, cancellationToken),
        });

    /// <summary>
    /// A rename or alias that lost a race for its name or address (another editor gave it to another name between the
    /// check and the save, which the unique indexes refuse), or whose name a merge removed meanwhile, is said as a
    /// problem, not a 500; nothing was saved. One that PostgreSQL chose to end a deadlock with a merge or a story's
    /// save is tried again.
    /// </summary>
    private Task<string?> LostRaceSaidAsync(NameKind kind, Func<Task<string?>> change) => TriedAgainAsync(change, ex =>
        StoreDialect.IsDuplicateKey(ex)
            ? $"Another editor has just given that name, or its address, to another {Noun(kind)}. Nothing was changed: look again and choose another."
            : StoreDialect.IsMissingKey(ex) ? $"That {Noun(kind)} was merged into another or removed a moment ago. Nothing was changed: look again." : null);

    /// <summary>
    /// Runs a change to names, which rolls back whole when it fails, again when it lost a race (on PostgreSQL, a
    /// deadlock with a merge or a story's save), up to <see cref="MaxAttempts"/> times; a failure
    /// <paramref name="told"/> words is said instead, and nothing was saved.
    /// </summary>
    private async Task<string?> TriedAgainAsync(Func<Task<string?>> change, Func<Exception, string?>? told = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change();
            }
            catch (Exception ex) when (told?.Invoke(ex) is { } problem)
            {
                db.ChangeTracker.Clear();
                return problem;
            }
            catch (Exception ex) when (StoreDialect.IsHeldByAnotherWriter(ex))
            {
                db.ChangeTracker.Clear();
                return $"Nothing was changed: {StoreHealth.HeldByAnotherWriter}. Try again once it has finished.";
            }
            catch (Exception ex) when (StoreDialect.IsLostRace(ex))
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxAttempts)
                {
                    return Busy;
                }

                await AfterLostRaceAsync(attempt);
            }
        }
    }

    /// <summary>What an editor is told when other changes to the same names kept winning every try: nothing was saved.</summary>
    private const string Busy = "Other editors are changing these names at this moment. Nothing was changed: try again in a moment.";

    /// <summary>
    /// A pause of a random few tens of milliseconds, longer each try, before trying again: writers that deadlocked
    /// and started again at the same instant met again in the same cycle.
    /// </summary>
    private static Task AfterLostRaceAsync(int attempt) => Task.Delay(Random.Shared.Next(10, 50) * attempt);

    /// <summary>Moves every article of <paramref name="fromId"/> to <paramref name="intoId"/> and removes it, keeping its name and slug as aliases.</summary>
    public Task<string?> MergeAsync(NameKind kind, int fromId, int intoId, string user, CancellationToken cancellationToken = default) => kind switch
    {
        NameKind.Category => MergeAsync(db.Categories, db.CategoryAliases, fromId, intoId, user, kind, MoveLinks("ArticleCategories", "CategoriesId", "Categories"), cancellationToken),
        NameKind.Source => MergeAsync(db.Sources, db.SourceAliases, fromId, intoId, user, kind, MoveLinks("ArticleSources", "SourcesId", "Sources"), cancellationToken),
        // A story follows one thread: its own column moves, then the survivor's count and newest story are read again.
        _ => MergeAsync(db.Threads, db.ThreadAliases, fromId, intoId, user, kind,
        [
            """UPDATE "Articles" SET "ThreadId" = {1} WHERE "ThreadId" = {0}""",
            """
            UPDATE "Threads" SET
                "ArticleCount" = (SELECT count(*) FROM "Articles" a WHERE a."ThreadId" = {1} AND a."Listed" = {2}),
                "LatestSortKey" = (SELECT max(a."SortKey") FROM "Articles" a WHERE a."ThreadId" = {1} AND a."Listed" = {2})
            WHERE "Id" = {1}
            """,
        ], cancellationToken),
    };

    /// <summary>
    /// The statements (over {0}, the name merged, {1}, the one it is merged into, and {2}, true) that move a name's
    /// links: each keeps its copy of the story's listing position, and a story that had both names keeps the
    /// survivor's link once. The survivor's stories are then counted once, from its links' index, rather than by a
    /// trigger per link moved (see <see cref="StoreDialect.RecountAfterwardsAsync"/>). The table and column are this
    /// class's own names.
    /// </summary>
    private static string[] MoveLinks(string table, string column, string names) =>
    [
        $$"""
        INSERT INTO "{{table}}" ("ArticlesId", "{{column}}", "Listed", "SortKey")
        SELECT f."ArticlesId", {1}, f."Listed", f."SortKey" FROM "{{table}}" f
        WHERE f."{{column}}" = {0} AND NOT EXISTS (SELECT 1 FROM "{{table}}" i WHERE i."ArticlesId" = f."ArticlesId" AND i."{{column}}" = {1})
        """,
        $$"""DELETE FROM "{{table}}" WHERE "{{column}}" = {0}""",
        $$"""UPDATE "{{names}}" SET "ArticleCount" = (SELECT count(*) FROM "{{table}}" l WHERE l."{{column}}" = {1} AND l."Listed" = {2}) WHERE "Id" = {1}""",
    ];

    /// <summary>Adds another name that imports should file under this category or source.</summary>
    public Task<string?> AddAliasAsync(NameKind kind, int id, string alias, string user, CancellationToken cancellationToken = default) => LostRaceSaidAsync(kind, () => kind switch
    {
        NameKind.Category => AddAliasAsync(db.Categories, db.CategoryAliases, id, alias, user, kind, cancellationToken),
        NameKind.Source => AddAliasAsync(db.Sources, db.SourceAliases, id, alias, user, kind, cancellationToken),
        _ => AddAliasAsync(db.Threads, db.ThreadAliases, id, alias, user, kind, cancellationToken),
    });

    private async Task<string?> RenameAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliases, int id, string newName, string user, NameKind kind,
        CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var noun = Noun(kind);
        var name = Text.Line(newName);
        var target = await set.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (target is null)
        {
            return $"That {noun} no longer exists.";
        }

        if (name.Length == 0)
        {
            return "Give the new name.";
        }

        if (TooLong(name, kind) is { } tooLong)
        {
            return tooLong;
        }

        var key = NameKey.For(name);
        if (await NameTakenAsync(set, aliases, key, id, cancellationToken))
        {
            return $"Another {noun} is already called '{name}' (or has it as an alias); merge them instead.";
        }

        var (oldName, oldKey, oldSlug) = (target.Name, target.NameKey, target.Slug);
        var newSlug = Slug.From(name, noun);
        if (newSlug != oldSlug)
        {
            for (var n = 2; await SlugTakenAsync(set, aliases, newSlug, id, cancellationToken); n++)
            {
                newSlug = Slug.WithNumber(Slug.From(name, noun), n);
            }
        }

        // One transaction with the save: a rename that fails keeps every alias it would have removed.
        await using var transaction = await BeginAsync(cancellationToken);
        // A former alias equal to the new name is now simply the name, and an address the name had before is its own
        // again rather than a redirect to itself.
        await aliases.Where(a => a.TargetId == id && a.NameKey == key).ExecuteDeleteAsync(cancellationToken);
        await aliases.Where(a => a.TargetId == id && a.Slug == newSlug)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Slug, (string?)null), cancellationToken);
        target.Rename(name, key, newSlug);
        if (oldKey != key || oldSlug != newSlug)
        {
            db.Add(NewAlias(kind, oldName, oldKey, oldSlug != newSlug ? oldSlug : null, id));
        }

        audit.Add(user, "rename", $"{noun} {oldSlug}", $"'{oldName}' → '{name}'");
        await SaveAsync(NameTags(kind, id), cancellationToken, transaction);
        return null;
    }

    private async Task<string?> MergeAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliases, int fromId, int intoId, string user, NameKind kind,
        string[] moves, CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var noun = Noun(kind);
        if (fromId == intoId)
        {
            return $"Choose two different {noun} names to merge.";
        }

        // An editor's save of one of the name's stories can meet the merge (on PostgreSQL, a deadlock between the
        // story's row and the name's): the merge is rolled back whole, and starts again.
        return await TriedAgainAsync(() => MergeOnceAsync(set, aliases, fromId, intoId, user, kind, moves, cancellationToken));
    }

    private async Task<string?> MergeOnceAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliases, int fromId, int intoId, string user, NameKind kind,
        string[] moves, CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var noun = Noun(kind);
        // A name may hold most of the archive ("English"): its stories move in the store, a statement or two, not by
        // loading each one. Removing the name then takes what links it has left; all of it is one transaction. The
        // name's row is locked first: a save linking a story to it meanwhile waits, then finds it merged and links
        // the survivor, instead of linking a name about to be removed with its links.
        // Both rows, the lower id first: merges of A into B and of B into A at once took them in opposite orders and
        // deadlocked until they ran out of tries. Now the second waits, then finds its name gone.
        await using var transaction = await BeginAsync(cancellationToken);
        foreach (var locked in new[] { fromId, intoId }.Order())
        {
            await StoreDialect.Of(db.Database).LockRowAsync(db, set.EntityType.GetTableName()!, locked, cancellationToken);
        }

        var from = await set.SingleOrDefaultAsync(e => e.Id == fromId, cancellationToken);
        var into = await set.SingleOrDefaultAsync(e => e.Id == intoId, cancellationToken);
        if (from is null || into is null)
        {
            return $"Both {noun} names must exist.";
        }

        await StoreDialect.Of(db.Database).RecountAfterwardsAsync(db, cancellationToken);
        foreach (var move in moves)
        {
            await db.Database.ExecuteSqlRawAsync(move, [fromId, intoId, true], cancellationToken);
        }

        await aliases.Where(a => a.TargetId == fromId).ExecuteUpdateAsync(u => u.SetProperty(a => a.TargetId, intoId), cancellationToken);
        db.Add(NewAlias(kind, from.Name, from.NameKey, from.Slug, intoId));
        set.Remove(from);
        audit.Add(user, "merge", $"{noun} {from.Slug}", $"'{from.Name}' merged into '{into.Name}'");
        await SaveAsync([.. NameTags(kind, fromId), .. NameTags(kind, intoId)], cancellationToken, transaction);
        return null;
    }

    private async Task<string?> AddAliasAsync<T, TAlias>(
        DbSet<T> set, DbSet<TAlias> aliases, int id, string aliasName, string user, NameKind kind,
        CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var noun = Noun(kind);
        var name = Text.Line(aliasName);
        if (name.Length == 0)
        {
            return "Give the alias.";
        }

        if (TooLong(name, kind) is { } tooLong)
        {
            return tooLong;
        }

        if (!await set.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return $"That {noun} no longer exists.";
        }

        var key = NameKey.For(name);
        if (await NameTakenAsync(set, aliases, key, exceptId: null, cancellationToken))
        {
            return $"'{name}' already names a {noun} or an alias; merge instead.";
        }

        db.Add(NewAlias(kind, name, key, null, id));
        audit.Add(user, "alias", $"{noun} #{id}", name);
        // Searches may name it by the alias now.
        await SaveAsync([CacheTags.Search], cancellationToken);
        return null;
    }

    /// <summary>
    /// What shows a name: its listing and feed, every page showing it on a story (a thread's: its stories' pages and the
    /// front page's rail), the indexes with counts, search and the sitemap; and what nodes keep worked out from the names.
    /// </summary>
    private static string[] NameTags(NameKind kind, int id) =>
    [
        .. kind switch
        {
            NameKind.Category => new[] { CacheTags.Category(id), Listing.InCategory(id).CacheTag },
            NameKind.Source => [CacheTags.Source(id), Listing.FromSource(id).CacheTag],
            _ => [CacheTags.Thread(id), Listing.InThread(id).CacheTag],
        },
        CacheTags.Names, CacheTags.Search, CacheTags.SitemapPages, .. KeptTags(kind),
    ];

    /// <summary>A new alias of a name of <paramref name="kind"/>, for the context to add.</summary>
    private static NameAlias NewAlias(NameKind kind, string name, string key, string? slug, int targetId) => kind switch
    {
        NameKind.Category => new CategoryAlias { Name = name, NameKey = key, Slug = slug, TargetId = targetId },
        NameKind.Source => new SourceAlias { Name = name, NameKey = key, Slug = slug, TargetId = targetId },
        _ => new ThreadAlias { Name = name, NameKey = key, Slug = slug, TargetId = targetId },
    };

    /// <summary>How messages, the audit log and new slugs name a kind.</summary>
    public static string Noun(NameKind kind) => kind switch
    {
        NameKind.Category => "category",
        NameKind.Source => "source",
        _ => "thread",
    };

    /// <summary>
    /// A rename or merge waits for another writer (an import running holds the links of the stories it wrote) only as
    /// long as <see cref="PortalOptions.WriteWait"/>, and the editor is told, rather than the request timing out.
    /// </summary>
    private Task<IDbContextTransaction> BeginAsync(CancellationToken cancellationToken)
        => StoreDialect.Of(db.Database).BeginWaitingAtMostAsync(db.Database, portal.Value.WriteWait, cancellationToken);

    private async Task SaveAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken, IDbContextTransaction? transaction = null)
    {
        cache.Record(tags);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        await cache.EvictAsync(tags, cancellationToken);
    }

    private static async Task<bool> NameTakenAsync<T, TAlias>(DbSet<T> set, DbSet<TAlias> aliases, string key, int? exceptId, CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
        => await set.AnyAsync(e => e.NameKey == key && e.Id != exceptId, cancellationToken)
            || await aliases.AnyAsync(a => a.NameKey == key && a.TargetId != exceptId, cancellationToken);

    private static async Task<bool> SlugTakenAsync<T, TAlias>(DbSet<T> set, DbSet<TAlias> aliases, string slug, int exceptId, CancellationToken cancellationToken)
        where T : class, INamedEntity, INamedRow
        where TAlias : NameAlias
        => await set.AnyAsync(e => e.Slug == slug && e.Id != exceptId, cancellationToken)
            || await aliases.AnyAsync(a => a.Slug == slug && a.TargetId != exceptId, cancellationToken);

    private static string? TooLong(string name, NameKind kind)
        => kind switch { NameKind.Category => Categories.Category.NameMaxLength, NameKind.Source => Sources.Source.NameMaxLength, _ => Threads.StoryThread.NameMaxLength }
            is var max && name.Length > max
            ? $"A {Noun(kind)} name can be at most {max} characters long."
            : null;
}
