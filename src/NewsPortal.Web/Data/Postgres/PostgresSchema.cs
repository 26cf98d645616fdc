using Microsoft.EntityFrameworkCore.Migrations;

namespace NewsPortal.Web.Data.Postgres;

/// <summary>
/// What the PostgreSQL store keeps beyond the EF model, in one place: the listing copies and counts (as SQLite's
/// triggers keep them; see the NewsroomScale migration), the search vector with its GIN index, and the language
/// listing index. Every write path (EF saves, the importer's inserts, merges) is covered inside its own transaction.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The search vector: title (weight A), lede (B) and plain-text body (C), accents folded, words not stemmed (as SQLite's index).</summary>
    public const string SearchVector = "SearchVector";

    /// <summary>
    /// The text search configuration: simple's parser and dictionary (no stemming, no stop words, so both stores find
    /// the same stories) with unaccent before it, so ts_headline can mark "Türkiye" in the stored text for <c>turkiye</c>.
    /// </summary>
    public const string SearchConfiguration = "newsportal_search";

    /// <summary>
    /// The function every text goes through before the search configuration, stored text and readers' words alike:
    /// accents folded and ASCII punctuation made space. The parser would otherwise keep example.com, e-mail or 3.14 as
    /// single words, where SQLite's unicode61 (and a reader) sees two; and what it returns can hold no quote or
    /// backslash, so it can be quoted into a tsquery as it is.
    /// </summary>
    public const string SearchText = "newsportal_search_text";

    /// <summary>The headline's words alone, unweighted: what <see cref="HeadlineWords"/> is kept from.</summary>
    public const string TitleVector = "TitleVector";

    /// <summary>
    /// The first paragraph's words alone, unweighted. With <see cref="TitleVector"/>, what ranks a search's matches
    /// (headline, then lede, then the rest): both are small and kept in the row, where asking the whole search vector
    /// for a weight meant reading it out of its compressed, out-of-line store for every match.
    /// </summary>
    public const string LedeVector = "LedeVector";

    /// <summary>
    /// Each headline word (a lexeme of <see cref="TitleVector"/>) with the stories holding it, kept by a trigger: a
    /// word's newest stories are read from its primary key and stop after a few, as FTS5 reads them on SQLite. A GIN
    /// index returns every story holding the word, unordered, so its cost grew with the store.
    /// </summary>
    public const string HeadlineWords = "HeadlineWords";

    private const string AsciiPunctuation = """!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""";

    /// <summary>The same 32 characters as <see cref="AsciiPunctuation"/>, as ranges of code points in a regular expression.</summary>
    private const string AsciiPunctuationClass = "[!-/:-@[-`{-~]";

    /// <summary>
    /// <see cref="SearchText"/> makes punctuation space with one regular expression. translate() compared every character
    /// with each of the 32 in turn: 0.65 s for the 2 MB of the corpus's bodies, 40% of what the search trigger cost an
    /// import, against 0.05 s now. The text that comes out is the same, so no stored vector changes.
    /// </summary>
    public static void FasterSearchText(MigrationBuilder migrationBuilder)
        => migrationBuilder.Sql(SearchTextFunction("CREATE OR REPLACE", $"regexp_replace(unaccent(value), '{AsciiPunctuationClass}', ' ', 'g')"));

    public static void SlowerSearchText(MigrationBuilder migrationBuilder)
        => migrationBuilder.Sql(SearchTextFunction("CREATE OR REPLACE", Translated));

    private static string Translated => $"translate(unaccent(value), '{AsciiPunctuation.Replace("'", "''", StringComparison.Ordinal)}', '{new string(' ', AsciiPunctuation.Length)}')";

    // Names resolve as at creation, so a restore (which empties search_path) still fires the trigger.
    private static string SearchTextFunction(string create, string body) => $"""
        {create} FUNCTION {SearchText}(value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS
        $$ SELECT {body} $$;
        """;

    public static void Create(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in Statements)
        {
            migrationBuilder.Sql(sql);
        }
    }

    /// <summary>A thread's count and newest position follow its listed stories (see <see cref="Threads.StoryThread"/>).</summary>
    public static void CreateThreadCounts(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE FUNCTION newsportal_thread_latest(thread integer) RETURNS bigint LANGUAGE sql STABLE AS $$
                SELECT "SortKey" FROM "Articles" WHERE "ThreadId" = thread AND "Listed" ORDER BY "SortKey" DESC LIMIT 1
            $$;
            """);
        migrationBuilder.Sql(ThreadFunction(deferrable: false));
        migrationBuilder.Sql("""
            CREATE TRIGGER "Articles_Thread" AFTER INSERT OR UPDATE OF "Listed", "SortKey", "ThreadId" OR DELETE ON "Articles"
                FOR EACH ROW EXECUTE FUNCTION newsportal_articles_thread();
            """);
    }

    public static void DropThreadCounts(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""DROP TRIGGER "Articles_Thread" ON "Articles";""");
        migrationBuilder.Sql("DROP FUNCTION newsportal_articles_thread();");
        migrationBuilder.Sql("DROP FUNCTION newsportal_thread_latest(integer);");
    }

    /// <summary>
    /// The function that keeps <see cref="HeadlineWords"/>: a story's words are rewritten only when its headline's
    /// vector changes (the search trigger sets it before). <paramref name="byKey"/> removes the old ones by the key,
    /// word and story, as the old vector names them (the table's rows are that vector's words, from the migration that
    /// filled it on); without it, by story alone, which no index serves: each headline saved read the whole table,
    /// 174 ms at 100,000 stories (2.4 million rows) and ten times that at 1,000,000.
    /// </summary>
    private static string HeadlineWordsFunction(bool byKey) => $"""
        CREATE OR REPLACE FUNCTION newsportal_headline_words() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF OLD."{TitleVector}" IS NOT DISTINCT FROM NEW."{TitleVector}" THEN RETURN NEW; END IF;
                DELETE FROM "{HeadlineWords}" WHERE "ArticleId" = NEW."Id"{(byKey ? $" AND \"Word\" = ANY (tsvector_to_array(OLD.\"{TitleVector}\"))" : "")};
            END IF;
            INSERT INTO "{HeadlineWords}" ("Word", "ArticleId")
                SELECT w, NEW."Id" FROM unnest(tsvector_to_array(NEW."{TitleVector}")) AS w;
            RETURN NEW;
        END $$;
        """;

    /// <summary>Headline words removed by their key when a headline changes (see <see cref="HeadlineWordsFunction"/>).</summary>
    public static void RemoveHeadlineWordsByKey(MigrationBuilder migrationBuilder, bool byKey = true)
        => migrationBuilder.Sql(HeadlineWordsFunction(byKey));

    /// <summary>The headline words table, its trigger, and its rows for the stories already stored.</summary>
    public static void CreateHeadlineWords(MigrationBuilder migrationBuilder)
    {
        // Filled first and keyed after: building the key from the sorted rows at once is many times faster than
        // keeping it row by row (the migration runs in one transaction, so no story is written meanwhile).
        migrationBuilder.Sql($"""CREATE TABLE "{HeadlineWords}" ("Word" text NOT NULL, "ArticleId" integer NOT NULL);""");
        migrationBuilder.Sql($"""
            INSERT INTO "{HeadlineWords}" ("Word", "ArticleId")
                SELECT w, a."Id" FROM "Articles" a CROSS JOIN LATERAL unnest(tsvector_to_array(a."{TitleVector}")) AS w;
            """);
        migrationBuilder.Sql($"""ALTER TABLE "{HeadlineWords}" ADD CONSTRAINT "PK_{HeadlineWords}" PRIMARY KEY ("Word", "ArticleId");""");
        migrationBuilder.Sql($"""
            ALTER TABLE "{HeadlineWords}" ADD CONSTRAINT "FK_{HeadlineWords}_Articles_ArticleId"
                FOREIGN KEY ("ArticleId") REFERENCES "Articles" ("Id") ON DELETE CASCADE;
            """);
        migrationBuilder.Sql(HeadlineWordsFunction(byKey: false));
        migrationBuilder.Sql($"""
            CREATE TRIGGER "Articles_HeadlineWords" AFTER INSERT OR UPDATE OF "Title" ON "Articles"
                FOR EACH ROW EXECUTE FUNCTION newsportal_headline_words();
            """);
        migrationBuilder.Sql($"""ANALYZE "{HeadlineWords}";""");
        // Nothing reads the headline vector through an index any more; keeping one would only slow every save.
        migrationBuilder.Sql($"""DROP INDEX "IX_Articles_{TitleVector}";""");
    }

    /// <summary>
    /// The lede's vector, filled for the stories already stored, and the search trigger that keeps it: each part's
    /// vector worked out once (the headline's was worked out twice), and nothing worked out again when a save leaves
    /// the words as they were. The background renderer sets every imported story's plain headline, usually to what
    /// it was, and each of those saves rebuilt the whole vector.
    /// </summary>
    public static void CreateLedeVector(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""ALTER TABLE "Articles" ADD COLUMN "{LedeVector}" tsvector;""");
        migrationBuilder.Sql(SearchFunction(lede: true));
        migrationBuilder.Sql($"""UPDATE "Articles" SET "{LedeVector}" = to_tsvector('{SearchConfiguration}', {SearchText}("Lede"));""");
    }

    public static void DropLedeVector(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(SearchFunction(lede: false));
        migrationBuilder.Sql($"""ALTER TABLE "Articles" DROP COLUMN "{LedeVector}";""");
    }

    /// <summary>
    /// Lexemes no text can make ('§' is no word character, so no headline, body or reader's word gives one), kept in
    /// every story's search vector: for each of <see cref="IdBlockLevels"/> levels, the block of ids the story's id
    /// lies in, 1,024 ids a block at level 0 and twice as many at each level after. A search asks the GIN index for its
    /// words among the newest blocks first and goes further back, a level at a time, only while it has found too few
    /// (see <see cref="Search.PostgresSearch"/>): the index yields every story holding a word, unordered, and reading
    /// each to find a common word's newest thousand took 140 ms at 1,000,000 stories.
    /// </summary>
    public const int IdBlockLevels = 12;

    /// <summary>A level-0 block is 2 to this power ids; each level's is twice the one before.</summary>
    public const int IdBlockShift = 10;

    /// <summary>The lexeme of a block, from SQL expressions of its level and its number (the id shifted right by the level's shift).</summary>
    public static string IdBlock(string level, string block) => $"'{IdBlockMark}' || ({level}) || ':' || ({block})";

    /// <summary>What every block lexeme starts with, and no word can.</summary>
    private const string IdBlockMark = "§";

    /// <summary>A story's block lexemes, from an SQL expression of its id.</summary>
    private static string IdBlocks(string id)
        => $"array_to_tsvector(ARRAY[{string.Join(", ", Enumerable.Range(0, IdBlockLevels).Select(level => IdBlock($"{level}", $"{id} >> {IdBlockShift + level}")))}])";

    /// <summary>The block lexemes, in the search trigger and for the stories already stored (once, a minute or so a million stories).</summary>
    public static void CreateIdBlocks(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(SearchFunction(lede: true, idBlocks: true));
        migrationBuilder.Sql($"""UPDATE "Articles" SET "{SearchVector}" = "{SearchVector}" || {IdBlocks("\"Id\"")};""");
    }

    public static void DropIdBlocks(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(SearchFunction(lede: true));
        migrationBuilder.Sql($"""
            UPDATE "Articles" SET "{SearchVector}" = ts_delete("{SearchVector}", ARRAY(SELECT w.lexeme FROM unnest("{SearchVector}") w WHERE w.lexeme LIKE '{IdBlockMark}%'));
            """);
    }

    /// <summary>
    /// Set (for the rest of the transaction) by a dry-run import, which is rolled back whatever it finds: the search
    /// trigger leaves its vectors empty, half of what writing the corpus's 10,252 stories cost, for rows no search
    /// will ever read. A real import, and every other write, never sets it.
    /// </summary>
    public const string VectorsSkipped = "newsportal.vectors_skipped";

    /// <summary>
    /// How many kilobytes of new entries the search index keeps in its pending list before merging them in. GIN adds a
    /// write's entries to that list, which every search reads whole, and merges it when it passes the limit or a vacuum
    /// runs; a large table vacuums after a fifth of its rows change. At PostgreSQL's 4 MB, 4,000 stories edited on a
    /// 100,000-story store left 460 pages there and every search 12 to 15 ms slower until then (a newsroom's weeks of
    /// saves). 128 kB keeps it to 16 pages.
    /// </summary>
    public const int SearchPendingListKb = 128;

    /// <summary>Sets <see cref="SearchPendingListKb"/> on the search index, or PostgreSQL's default back.</summary>
    public static void LimitSearchPendingList(MigrationBuilder migrationBuilder, bool limited = true) => migrationBuilder.Sql(limited
        ? $"""ALTER INDEX "IX_Articles_{SearchVector}" SET (gin_pending_list_limit = {SearchPendingListKb});"""
        : $"""ALTER INDEX "IX_Articles_{SearchVector}" RESET (gin_pending_list_limit);""");

    /// <summary>A dry run's search trigger writes no vectors.</summary>
    public static void SkipVectorsInDryRuns(MigrationBuilder migrationBuilder, bool skippable = true)
        => migrationBuilder.Sql(SearchFunction(lede: true, idBlocks: true, skippable));

    private static string SearchFunction(bool lede, bool idBlocks = false, bool skippable = false) => lede
        ? $"""
            CREATE OR REPLACE FUNCTION newsportal_articles_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            DECLARE
                title tsvector;
                lede tsvector;
            BEGIN
                {(skippable ? $"IF coalesce(current_setting('{VectorsSkipped}', true), '') = 'on' THEN RETURN NEW; END IF;" : "")}
                IF TG_OP = 'UPDATE' AND NEW."Title" IS NOT DISTINCT FROM OLD."Title" AND NEW."Lede" IS NOT DISTINCT FROM OLD."Lede"
                    AND NEW."BodyText" IS NOT DISTINCT FROM OLD."BodyText" THEN
                    RETURN NEW;
                END IF;
                title := to_tsvector('{SearchConfiguration}', {SearchText}(NEW."Title"));
                lede := to_tsvector('{SearchConfiguration}', {SearchText}(NEW."Lede"));
                NEW."{SearchVector}" := setweight(title, 'A') || setweight(lede, 'B')
                    || setweight(to_tsvector('{SearchConfiguration}', {SearchText}(NEW."BodyText")), 'C'){(idBlocks ? " || " + IdBlocks("NEW.\"Id\"") : "")};
                NEW."{TitleVector}" := title;
                NEW."{LedeVector}" := lede;
                RETURN NEW;
            END $$;
            """
        : $"""
            CREATE OR REPLACE FUNCTION newsportal_articles_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                NEW."{SearchVector}" :=
                    setweight(to_tsvector('{SearchConfiguration}', {SearchText}(NEW."Title")), 'A')
                    || setweight(to_tsvector('{SearchConfiguration}', {SearchText}(NEW."Lede")), 'B')
                    || setweight(to_tsvector('{SearchConfiguration}', {SearchText}(NEW."BodyText")), 'C');
                NEW."{TitleVector}" := to_tsvector('{SearchConfiguration}', {SearchText}(NEW."Title"));
                RETURN NEW;
            END $$;
            """;

    public static void DropHeadlineWords(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""CREATE INDEX "IX_Articles_{TitleVector}" ON "Articles" USING GIN ("{TitleVector}");""");
        migrationBuilder.Sql("""DROP TRIGGER "Articles_HeadlineWords" ON "Articles";""");
        migrationBuilder.Sql("DROP FUNCTION newsportal_headline_words();");
        migrationBuilder.Sql($"""DROP TABLE "{HeadlineWords}";""");
    }

    /// <summary>
    /// Set (for the rest of the transaction) by the importer, which adds a batch's counts at once: each count kept row
    /// by row rewrites one hot row (all stories, a language, "English") once a story, and PostgreSQL keeps every
    /// version of a row a transaction rewrote, so a large import slowed as it went. As SQLite's importer defers them.
    /// </summary>
    public const string CountsDeferred = "newsportal.counts_deferred";

    private const string Deferred = $"coalesce(current_setting('{CountsDeferred}', true), '') = 'on'";

    private static string Unless(bool deferrable) => deferrable ? $" AND NOT {Deferred}" : "";

    /// <summary>
    /// Set (for the rest of the transaction) by a merge, which moves every link of a name in one statement and then
    /// counts the survivor's once: kept row by row, the survivor's row was rewritten once a link, and PostgreSQL,
    /// which keeps every version of a row a transaction rewrote, took 3 min 23 s to move 31,710 links (6 ms each, and
    /// growing) at 100,000 stories, so a large merge never finished inside a request.
    /// </summary>
    public const string CountsRecounted = "newsportal.counts_recounted";

    /// <summary>The first statement of a count trigger that leaves everything to a statement that recounts afterwards.</summary>
    private static string SkipWhenRecounted(bool recountable) => recountable
        ? $"""IF coalesce(current_setting('{CountsRecounted}', true), '') = 'on' THEN RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END IF;"""
        : "";

    /// <summary>The count triggers of new stories and links leave the counts to the importer while it says so.</summary>
    public static void DeferInsertCounts(MigrationBuilder migrationBuilder, bool deferrable = true)
    {
        migrationBuilder.Sql(ListingFunction(deferrable));
        migrationBuilder.Sql(ThreadFunction(deferrable));
        migrationBuilder.Sql(LinkCountFunction("ArticleCategories", "CategoriesId", "Categories", deferrable));
        migrationBuilder.Sql(LinkCountFunction("ArticleSources", "SourcesId", "Sources", deferrable));
    }

    /// <summary>The count triggers of links and of stories' threads leave everything to a merge while it says so.</summary>
    public static void RecountMerges(MigrationBuilder migrationBuilder, bool recountable = true)
    {
        migrationBuilder.Sql(ThreadFunction(deferrable: true, recountable));
        migrationBuilder.Sql(LinkCountFunction("ArticleCategories", "CategoriesId", "Categories", deferrable: true, recountable));
        migrationBuilder.Sql(LinkCountFunction("ArticleSources", "SourcesId", "Sources", deferrable: true, recountable));
    }

    /// <summary>
    /// The count triggers change only what a story's update changes: a story whose dates moved leaves the count of
    /// every story and of its language as they were, and its thread's latest story, unless it was or now is that
    /// story. Counted as it left and as it came, each moved story rewrote the hottest rows twice, and PostgreSQL keeps
    /// every version of a row a transaction rewrote and walks them all to find the last: re-importing 50,000 stories
    /// with moved dates (two files, a transaction each) took 499 s, against SQLite's 61.5.
    /// </summary>
    public static void CountMovesByDifference(MigrationBuilder migrationBuilder, bool byDifference = true)
    {
        migrationBuilder.Sql(ListingFunction(deferrable: true, byDifference));
        migrationBuilder.Sql(ThreadFunction(deferrable: true, recountable: true, byDifference));
    }

    /// <summary>
    /// Set by the importer for the whole of its transaction: the count triggers note each change its updates make in a
    /// table of the session's own, the importer notes there what its new stories add, and it adds them all up just
    /// before it commits (<see cref="AddCollectedCounts"/>). Counted story by story, a file that unlisted, re-threaded or
    /// re-categorised thousands of stories rewrote the count of all stories, of their language and of their busiest
    /// categories once a story, and PostgreSQL walks every version of a row its transaction rewrote (a file is one
    /// transaction): 25,000 stories taken down in one file took 234 s. And an import that held those rows from its first
    /// batch on deadlocked with an editor publishing a story of one of its later batches (each waited for the other's
    /// row), and the whole file was refused; now it holds none of them until it commits. New stories stay left to the
    /// importer while <see cref="CountsDeferred"/> is on, as before.
    /// </summary>
    public const string CountsCollected = "newsportal.counts_collected";

    private const string PendingCounts = "pg_temp.newsportal_pending_counts";

    private const string Collecting = $"coalesce(current_setting('{CountsCollected}', true), '') = 'on'";

    /// <summary>Starts collecting a transaction's counts (see <see cref="CountsCollected"/>).</summary>
    public const string CollectCounts = $"""
        CREATE TEMP TABLE IF NOT EXISTS newsportal_pending_counts ("Kind" text NOT NULL, "Key" text NOT NULL, "Delta" integer NOT NULL);
        SELECT set_config('{CountsCollected}', 'on', true);
        """;

    /// <summary>What the importer's new stories add to counts, noted as the triggers note its updates: arrays of kinds, keys and numbers.</summary>
    public const string NoteCounts = $"""INSERT INTO {PendingCounts} ("Kind", "Key", "Delta") SELECT * FROM unnest(@kinds, @keys, @deltas)""";

    /// <summary>
    /// Adds what a transaction's writes changed to each count once, and stops collecting (see <see cref="CountsCollected"/>).
    /// The listings' counts are taken 'all' first, as a story's save takes them, so the two wait rather than deadlock.
    /// </summary>
    public static string AddCollectedCounts { get; } = $"""
        INSERT INTO "ListingCounts" ("Key", "ArticleCount")
            SELECT "Key", sum("Delta") FROM {PendingCounts} WHERE "Kind" = 'ListingCounts' GROUP BY "Key" HAVING sum("Delta") <> 0 ORDER BY "Key"
            ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount";
        {AddCollectedNameCounts("Categories")}
        {AddCollectedNameCounts("Sources")}
        UPDATE "Threads" t SET "ArticleCount" = t."ArticleCount" + change.delta, "LatestSortKey" = change.latest
            FROM (SELECT id, delta, newsportal_thread_latest(id) AS latest
                FROM (SELECT "Key"::integer AS id, sum("Delta") AS delta FROM {PendingCounts} WHERE "Kind" = 'Threads' GROUP BY "Key") AS sums) AS change
            WHERE t."Id" = change.id AND (change.delta <> 0 OR t."LatestSortKey" IS DISTINCT FROM change.latest);
        DELETE FROM {PendingCounts};
        SELECT set_config('{CountsCollected}', 'off', true);
        """;

    private static string AddCollectedNameCounts(string nameTable) => $"""
        UPDATE "{nameTable}" n SET "ArticleCount" = n."ArticleCount" + change.delta
            FROM (SELECT "Key"::integer AS id, sum("Delta") AS delta FROM {PendingCounts} WHERE "Kind" = '{nameTable}' GROUP BY "Key" HAVING sum("Delta") <> 0) AS change
            WHERE n."Id" = change.id;
        """;

    /// <summary>The count triggers note an import's changes while it collects them (see <see cref="CountsCollected"/>).</summary>
    public static void CollectImportCounts(MigrationBuilder migrationBuilder, bool collectable = true)
    {
        migrationBuilder.Sql(AddCountsFunction("CREATE OR REPLACE", collectable));
        migrationBuilder.Sql(ThreadFunction(deferrable: true, recountable: true, byDifference: true, collectable));
        migrationBuilder.Sql(LinkCountFunction("ArticleCategories", "CategoriesId", "Categories", deferrable: true, recountable: true, collectable));
        migrationBuilder.Sql(LinkCountFunction("ArticleSources", "SourcesId", "Sources", deferrable: true, recountable: true, collectable));
    }

    private static string AddCountsFunction(string create, bool collectable) => collectable
        ? $"""
            {create} FUNCTION newsportal_add_counts(keys text[], delta integer) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF {Collecting} THEN
                    INSERT INTO {PendingCounts} ("Kind", "Key", "Delta") SELECT 'ListingCounts', k, delta FROM unnest(keys) AS k;
                ELSE
                    INSERT INTO "ListingCounts" ("Key", "ArticleCount") SELECT k, delta FROM unnest(keys) AS k
                    ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount";
                END IF;
            END $$;
            """
        : $"""
            {create} FUNCTION newsportal_add_counts(keys text[], delta integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO "ListingCounts" ("Key", "ArticleCount") SELECT k, delta FROM unnest(keys) AS k
                ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount"
            $$;
            """;

    /// <summary>
    /// The first statement of a count trigger (after <see cref="SkipWhenRecounted"/>) while the importer collects counts:
    /// the story or link's count leaves the name it was counted under and joins the one it now is.
    /// </summary>
    private static string CollectWhenCollecting(bool collectable, string kind, string column) => collectable
        ? $"""
            IF {Collecting} THEN
                IF TG_OP <> 'INSERT' OR NOT {Deferred} THEN
                    INSERT INTO {PendingCounts} ("Kind", "Key", "Delta")
                    SELECT '{kind}', id::text, delta FROM (VALUES
                        (CASE WHEN TG_OP <> 'INSERT' AND OLD."Listed" THEN OLD."{column}" END, -1),
                        (CASE WHEN TG_OP <> 'DELETE' AND NEW."Listed" THEN NEW."{column}" END, 1)) AS change (id, delta)
                    WHERE id IS NOT NULL;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            """
        : "";

    private static string MoveCounts(bool byDifference) => byDifference
        ? """
                PERFORM newsportal_add_counts(ARRAY(SELECT unnest(gone) EXCEPT SELECT unnest(came)), -1),
                    newsportal_add_counts(ARRAY(SELECT unnest(came) EXCEPT SELECT unnest(gone)), 1)
                FROM (SELECT CASE WHEN OLD."Listed" THEN newsportal_listing_keys(OLD."PublishedOn", OLD."Language") ELSE '{}' END AS gone,
                    CASE WHEN NEW."Listed" THEN newsportal_listing_keys(NEW."PublishedOn", NEW."Language") ELSE '{}' END AS came) AS keys;
        """
        : """
                IF OLD."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(OLD."PublishedOn", OLD."Language"), -1); END IF;
                IF NEW."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(NEW."PublishedOn", NEW."Language"), 1); END IF;
        """;

    private static string MoveWithinThread(bool byDifference) => byDifference
        ? """
                IF TG_OP = 'UPDATE' AND OLD."Listed" AND NEW."Listed" AND OLD."ThreadId" = NEW."ThreadId" THEN
                    IF OLD."SortKey" <> NEW."SortKey" THEN
                        UPDATE "Threads" SET "LatestSortKey" = newsportal_thread_latest(NEW."ThreadId")
                        WHERE "Id" = NEW."ThreadId" AND ("LatestSortKey" IS NULL OR "LatestSortKey" < NEW."SortKey" OR "LatestSortKey" = OLD."SortKey");
                    END IF;
                    RETURN NEW;
                END IF;
        """
        : "";

    private static string ListingFunction(bool deferrable, bool byDifference = false) => $"""
        CREATE OR REPLACE FUNCTION newsportal_articles_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(OLD."PublishedOn", OLD."Language"), -1); END IF;
                RETURN OLD;
            END IF;
            IF TG_OP = 'INSERT' THEN
                IF NEW."Listed"{Unless(deferrable)} THEN PERFORM newsportal_add_counts(newsportal_listing_keys(NEW."PublishedOn", NEW."Language"), 1); END IF;
                RETURN NEW;
            END IF;
            IF OLD."Listed" <> NEW."Listed" OR OLD."SortKey" <> NEW."SortKey" OR OLD."PublishedOn" <> NEW."PublishedOn" OR OLD."Language" <> NEW."Language" THEN
                {MoveCounts(byDifference)}
                UPDATE "ArticleCategories" SET "Listed" = NEW."Listed", "SortKey" = NEW."SortKey" WHERE "ArticlesId" = NEW."Id";
                UPDATE "ArticleSources" SET "Listed" = NEW."Listed", "SortKey" = NEW."SortKey" WHERE "ArticlesId" = NEW."Id";
            END IF;
            RETURN NEW;
        END $$;
        """;

    private static string ThreadFunction(bool deferrable, bool recountable = false, bool byDifference = false, bool collectable = false) => $"""
            CREATE OR REPLACE FUNCTION newsportal_articles_thread() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {SkipWhenRecounted(recountable)}
                {CollectWhenCollecting(collectable, "Threads", "ThreadId")}
                IF TG_OP = 'INSERT' THEN
                    IF NEW."Listed" AND NEW."ThreadId" IS NOT NULL{Unless(deferrable)} THEN
                        UPDATE "Threads" SET "ArticleCount" = "ArticleCount" + 1, "LatestSortKey" = GREATEST("LatestSortKey", NEW."SortKey")
                        WHERE "Id" = NEW."ThreadId";
                    END IF;
                    RETURN NEW;
                END IF;
                {MoveWithinThread(byDifference)}
                IF TG_OP = 'DELETE' OR OLD."Listed" IS DISTINCT FROM NEW."Listed" OR OLD."SortKey" IS DISTINCT FROM NEW."SortKey"
                    OR OLD."ThreadId" IS DISTINCT FROM NEW."ThreadId" THEN
                    IF OLD."Listed" AND OLD."ThreadId" IS NOT NULL THEN
                        UPDATE "Threads" SET "ArticleCount" = "ArticleCount" - 1, "LatestSortKey" = newsportal_thread_latest(OLD."ThreadId")
                        WHERE "Id" = OLD."ThreadId";
                    END IF;
                    IF TG_OP = 'UPDATE' AND NEW."Listed" AND NEW."ThreadId" IS NOT NULL THEN
                        UPDATE "Threads" SET "ArticleCount" = "ArticleCount" + 1, "LatestSortKey" = newsportal_thread_latest(NEW."ThreadId")
                        WHERE "Id" = NEW."ThreadId";
                    END IF;
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$;
        """;

    private static string LinkCountFunction(string table, string nameColumn, string nameTable, bool deferrable, bool recountable = false, bool collectable = false) => $$"""
        CREATE OR REPLACE FUNCTION "newsportal_{{table}}_count"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {{SkipWhenRecounted(recountable)}}
            {{CollectWhenCollecting(collectable, nameTable, nameColumn)}}
            IF TG_OP = 'INSERT' THEN
                IF NEW."Listed"{{Unless(deferrable)}} THEN UPDATE "{{nameTable}}" SET "ArticleCount" = "ArticleCount" + 1 WHERE "Id" = NEW."{{nameColumn}}"; END IF;
                RETURN NEW;
            ELSIF TG_OP = 'DELETE' THEN
                IF OLD."Listed" THEN UPDATE "{{nameTable}}" SET "ArticleCount" = "ArticleCount" - 1 WHERE "Id" = OLD."{{nameColumn}}"; END IF;
                RETURN OLD;
            END IF;
            IF OLD."Listed" <> NEW."Listed" THEN
                UPDATE "{{nameTable}}" SET "ArticleCount" = "ArticleCount" + (CASE WHEN NEW."Listed" THEN 1 ELSE -1 END) WHERE "Id" = NEW."{{nameColumn}}";
            END IF;
            RETURN NEW;
        END $$;
        """;

    private static IEnumerable<string> Statements =>
    [
        // A trusted extension since PostgreSQL 13: the database's owner may create it.
        "CREATE EXTENSION IF NOT EXISTS unaccent;",
        """
        CREATE FUNCTION newsportal_listing_keys(published date, language text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
        $$ SELECT ARRAY['all', 'month:' || to_char(published, 'YYYY-MM'), 'language:' || lower(language)] $$;
        """,
        AddCountsFunction("CREATE", collectable: false),
        ListingFunction(deferrable: false),
        """
        CREATE TRIGGER "Articles_Listing" AFTER INSERT OR UPDATE OF "Listed", "SortKey", "PublishedOn", "Language" OR DELETE ON "Articles"
            FOR EACH ROW EXECUTE FUNCTION newsportal_articles_listing();
        """,
        .. LinkStatements("ArticleCategories", "CategoriesId", "Categories"),
        .. LinkStatements("ArticleSources", "SourcesId", "Sources"),
        // Every kind of word simple reads, accents folded first: the stored text is folded before it is read too (see
        // SearchText), but ts_headline reads the text as it is shown.
        $"CREATE TEXT SEARCH CONFIGURATION {SearchConfiguration} (COPY = pg_catalog.simple);",
        $"""
        ALTER TEXT SEARCH CONFIGURATION {SearchConfiguration} ALTER MAPPING FOR
            asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart,
            email, url, url_path, host, file, int, uint, float, sfloat, version
            WITH unaccent, simple;
        """,
        SearchTextFunction("CREATE", Translated),
        $"""ALTER TABLE "Articles" ADD COLUMN "{SearchVector}" tsvector;""",
        // The headline's words alone, for related stories: a weight in a query (word:A) makes PostgreSQL re-read the
        // whole vector of every story holding the word anywhere, which grows with the store; this small one does not.
        $"""ALTER TABLE "Articles" ADD COLUMN "{TitleVector}" tsvector;""",
        SearchFunction(lede: false),
        """
        CREATE TRIGGER "Articles_Search" BEFORE INSERT OR UPDATE OF "Title", "Lede", "BodyText" ON "Articles"
            FOR EACH ROW EXECUTE FUNCTION newsportal_articles_search();
        """,
        $"""CREATE INDEX "IX_Articles_{SearchVector}" ON "Articles" USING GIN ("{SearchVector}");""",
        $"""CREATE INDEX "IX_Articles_{TitleVector}" ON "Articles" USING GIN ("{TitleVector}");""",
        """CREATE INDEX "IX_Articles_Language_Listing" ON "Articles" (lower("Language"), "Listed", "SortKey" DESC, "Id" DESC);""",
    ];

    /// <summary>
    /// A link row written without its story's copies (EF's many-to-many inserts) takes them from the story; the
    /// importer writes them itself. The name's count follows the links that are listed.
    /// </summary>
    private static IEnumerable<string> LinkStatements(string table, string nameColumn, string nameTable) =>
    [
        $$"""
        CREATE FUNCTION "newsportal_{{table}}_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."SortKey" IS NULL THEN
                SELECT "Listed", "SortKey" INTO NEW."Listed", NEW."SortKey" FROM "Articles" WHERE "Id" = NEW."ArticlesId";
            END IF;
            RETURN NEW;
        END $$;
        """,
        $$"""CREATE TRIGGER "{{table}}_Copy" BEFORE INSERT ON "{{table}}" FOR EACH ROW EXECUTE FUNCTION "newsportal_{{table}}_copy"();""",
        LinkCountFunction(table, nameColumn, nameTable, deferrable: false),
        $$"""
        CREATE TRIGGER "{{table}}_Count" AFTER INSERT OR UPDATE OF "Listed" OR DELETE ON "{{table}}"
            FOR EACH ROW EXECUTE FUNCTION "newsportal_{{table}}_count"();
        """,
    ];
}
