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

    /// <summary>The text search configuration: no stemming and no stop words, so both stores find the same stories.</summary>
    public const string SearchConfiguration = "simple";

    public static void Create(MigrationBuilder migrationBuilder)
    {
        foreach (var sql in Statements)
        {
            migrationBuilder.Sql(sql);
        }
    }

    private static IEnumerable<string> Statements =>
    [
        // A trusted extension since PostgreSQL 13: the database's owner may create it.
        "CREATE EXTENSION IF NOT EXISTS unaccent;",
        """
        CREATE FUNCTION newsportal_listing_keys(published date, language text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
        $$ SELECT ARRAY['all', 'month:' || to_char(published, 'YYYY-MM'), 'language:' || lower(language)] $$;
        """,
        """
        CREATE FUNCTION newsportal_add_counts(keys text[], delta integer) RETURNS void LANGUAGE sql AS $$
            INSERT INTO "ListingCounts" ("Key", "ArticleCount") SELECT k, delta FROM unnest(keys) AS k
            ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ListingCounts"."ArticleCount" + excluded."ArticleCount"
        $$;
        """,
        """
        CREATE FUNCTION newsportal_articles_listing() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(OLD."PublishedOn", OLD."Language"), -1); END IF;
                RETURN OLD;
            END IF;
            IF TG_OP = 'INSERT' THEN
                IF NEW."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(NEW."PublishedOn", NEW."Language"), 1); END IF;
                RETURN NEW;
            END IF;
            IF OLD."Listed" <> NEW."Listed" OR OLD."SortKey" <> NEW."SortKey" OR OLD."PublishedOn" <> NEW."PublishedOn" OR OLD."Language" <> NEW."Language" THEN
                IF OLD."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(OLD."PublishedOn", OLD."Language"), -1); END IF;
                IF NEW."Listed" THEN PERFORM newsportal_add_counts(newsportal_listing_keys(NEW."PublishedOn", NEW."Language"), 1); END IF;
                UPDATE "ArticleCategories" SET "Listed" = NEW."Listed", "SortKey" = NEW."SortKey" WHERE "ArticlesId" = NEW."Id";
                UPDATE "ArticleSources" SET "Listed" = NEW."Listed", "SortKey" = NEW."SortKey" WHERE "ArticlesId" = NEW."Id";
            END IF;
            RETURN NEW;
        END $$;
        """,
        """
        CREATE TRIGGER "Articles_Listing" AFTER INSERT OR UPDATE OF "Listed", "SortKey", "PublishedOn", "Language" OR DELETE ON "Articles"
            FOR EACH ROW EXECUTE FUNCTION newsportal_articles_listing();
        """,
        .. LinkStatements("ArticleCategories", "CategoriesId", "Categories"),
        .. LinkStatements("ArticleSources", "SourcesId", "Sources"),
        $"""ALTER TABLE "Articles" ADD COLUMN "{SearchVector}" tsvector;""",
        $"""
        CREATE FUNCTION newsportal_articles_search() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW."{SearchVector}" :=
                setweight(to_tsvector('{SearchConfiguration}', unaccent(NEW."Title")), 'A')
                || setweight(to_tsvector('{SearchConfiguration}', unaccent(NEW."Lede")), 'B')
                || setweight(to_tsvector('{SearchConfiguration}', unaccent(NEW."BodyText")), 'C');
            RETURN NEW;
        END $$;
        """,
        """
        CREATE TRIGGER "Articles_Search" BEFORE INSERT OR UPDATE OF "Title", "Lede", "BodyText" ON "Articles"
            FOR EACH ROW EXECUTE FUNCTION newsportal_articles_search();
        """,
        $"""CREATE INDEX "IX_Articles_{SearchVector}" ON "Articles" USING GIN ("{SearchVector}");""",
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
        $$"""
        CREATE FUNCTION "newsportal_{{table}}_count"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW."Listed" THEN UPDATE "{{nameTable}}" SET "ArticleCount" = "ArticleCount" + 1 WHERE "Id" = NEW."{{nameColumn}}"; END IF;
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
        """,
        $$"""
        CREATE TRIGGER "{{table}}_Count" AFTER INSERT OR UPDATE OF "Listed" OR DELETE ON "{{table}}"
            FOR EACH ROW EXECUTE FUNCTION "newsportal_{{table}}_count"();
        """,
    ];
}
