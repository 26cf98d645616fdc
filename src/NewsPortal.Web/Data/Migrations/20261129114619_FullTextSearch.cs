using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <summary>
    /// SQLite FTS5 index over article titles, ledes and bodies, kept in step with Articles by triggers (so the
    /// EF saves and the importer's bulk inserts are both covered inside their own transactions). Diacritics are
    /// folded: "turkiye" finds "Türkiye". Other providers get their own search index in their own migration.
    /// </summary>
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (!migrationBuilder.IsSqlite())
            {
                return;
            }

            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Title", "Lede", "Body",
                    content='Articles', content_rowid='Id',
                    tokenize='unicode61 remove_diacritics 2');
                """);
            // Rank title matches highest, then the lede, then the body; "ORDER BY rank" lets FTS5 sort before the join.
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch", rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');""");
            // The importer's bulk inserter indexes a whole batch with one statement (several times quicker than a
            // trigger per row) and sets this flag, inside its own transaction, while it does.
            migrationBuilder.Sql("""CREATE TABLE "SearchIndexing" ("Deferred" INTEGER NOT NULL);""");
            migrationBuilder.Sql("""INSERT INTO "SearchIndexing" ("Deferred") VALUES (0);""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "ArticleSearch_Insert" AFTER INSERT ON "Articles"
                WHEN (SELECT "Deferred" FROM "SearchIndexing") = 0 BEGIN
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "Body") VALUES (new."Id", new."Title", new."Lede", new."Body");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "ArticleSearch_Delete" AFTER DELETE ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Lede", "Body") VALUES ('delete', old."Id", old."Title", old."Lede", old."Body");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "ArticleSearch_Update" AFTER UPDATE OF "Title", "Lede", "Body" ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Lede", "Body") VALUES ('delete', old."Id", old."Title", old."Lede", old."Body");
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "Body") VALUES (new."Id", new."Title", new."Lede", new."Body");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (!migrationBuilder.IsSqlite())
            {
                return;
            }

            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "ArticleSearch";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "SearchIndexing";""");
        }
    }
}
