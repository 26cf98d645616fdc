using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NewsPortal.Web.Articles;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <summary>
    /// Pages that cost the same at any size. Every story gets a sort key and a Listed flag, its category and source
    /// links carry copies of both, and listing counts (per category, source, month and language) are kept as rows
    /// change: SQLite triggers keep the copies and counts, so every write path (EF saves, the importer's bulk inserts,
    /// merges) is covered inside its own transaction, and existing stories are brought in by one UPDATE that the same
    /// triggers see. The importer's match keys replace its indexes on long text. The search index holds each body as
    /// plain text instead of Markdown (link targets no longer count as words, excerpts read as text, and the index is
    /// about a third of the size). Also the cache invalidation log. The match keys and plain text come from functions
    /// the app registers on its connections (see SqliteConnectionSetup), so the app applies this at start-up.
    /// </summary>
    public partial class NewsroomScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ArticleSources_SourcesId",
                table: "ArticleSources");

            migrationBuilder.DropIndex(
                name: "IX_Articles_OriginalUrl",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_PublishedOn_DocumentDate_Id",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Title_DocumentDate",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_ArticleCategories_CategoriesId",
                table: "ArticleCategories");

            migrationBuilder.AddColumn<int>(
                name: "ArticleCount",
                table: "Sources",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ArticleCount",
                table: "Categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Listed",
                table: "ArticleSources",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "SortKey",
                table: "ArticleSources",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BodyHtml",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BodyText",
                table: "Articles",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Listed",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "SortKey",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "TitleKey",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "UrlKey",
                table: "Articles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Listed",
                table: "ArticleCategories",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "SortKey",
                table: "ArticleCategories",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CacheInvalidations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Origin = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CacheInvalidations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ListingCounts",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ArticleCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ListingCounts", x => x.Key);
                });

            if (migrationBuilder.IsSqlite())
            {
                DropSearchIndex(migrationBuilder);
                foreach (var sql in SqliteTriggers)
                {
                    migrationBuilder.Sql(sql);
                }

                // The news sitemap reads published stories by the time they went public.
                migrationBuilder.Sql("""UPDATE "Articles" SET "PublishAtUtc" = "CreatedAtUtc" WHERE "PublishAtUtc" IS NULL AND "Status" = 'Published';""");

                // Julian day 1721425.5 is 0001-01-01, day number 0; see ListingOrder.KeyOf.
                migrationBuilder.Sql($"""
                    UPDATE "Articles" SET
                        "BodyText" = {SqliteConnectionSetup.BodyTextFunction}("Body"),
                        "TitleKey" = {MatchKeys.TitleKeyFunction}("Title", "DocumentDate", "PublishedOn"),
                        "UrlKey" = {MatchKeys.UrlKeyFunction}("Site", "OriginalUrl"),
                        "Listed" = ("DeletedAtUtc" IS NULL AND "Status" = 'Published'),
                        "SortKey" = (CAST(julianday("PublishedOn") - 1721425.5 AS INTEGER) << 39)
                            + CASE WHEN "DocumentDate" IS NULL THEN 0
                                   ELSE CAST((julianday("DocumentDate") - 1721425.5) * 86400 + 0.0005 AS INTEGER) + 1 END;
                    """);
                migrationBuilder.Sql("""CREATE INDEX "IX_Articles_Language_Listing" ON "Articles" (lower("Language"), "Listed", "SortKey" DESC, "Id" DESC);""");
                CreateSearchIndex(migrationBuilder, "BodyText");
            }

            migrationBuilder.CreateIndex(
                name: "IX_ArticleSources_SourcesId_Listed_SortKey_ArticlesId",
                table: "ArticleSources",
                columns: new[] { "SourcesId", "Listed", "SortKey", "ArticlesId" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_BodyHtml_Missing",
                table: "Articles",
                column: "Id",
                filter: "\"BodyHtml\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Id_Listed_SortKey_Language",
                table: "Articles",
                columns: new[] { "Id", "Listed", "SortKey", "Language" });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Listed_SortKey_Id",
                table: "Articles",
                columns: new[] { "Listed", "SortKey", "Id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_TitleKey",
                table: "Articles",
                column: "TitleKey");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_UrlKey",
                table: "Articles",
                column: "UrlKey");

            migrationBuilder.CreateIndex(
                name: "IX_ArticleCategories_CategoriesId_Listed_SortKey_ArticlesId",
                table: "ArticleCategories",
                columns: new[] { "CategoriesId", "Listed", "SortKey", "ArticlesId" },
                descending: new[] { false, false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.IsSqlite())
            {
                migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_Articles_Language_Listing";""");
                DropSearchIndex(migrationBuilder);
                CreateSearchIndex(migrationBuilder, "Body");
                foreach (var name in new[]
                {
                    "Articles_Listing_Insert", "Articles_Listing_Delete", "Articles_Listing_Update",
                    "ArticleCategories_Copy", "ArticleCategories_Count_Insert", "ArticleCategories_Count_Delete", "ArticleCategories_Count_Update",
                    "ArticleSources_Copy", "ArticleSources_Count_Insert", "ArticleSources_Count_Delete", "ArticleSources_Count_Update",
                })
                {
                    migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{name}";""");
                }
            }

            migrationBuilder.DropTable(
                name: "CacheInvalidations");

            migrationBuilder.DropTable(
                name: "ListingCounts");

            migrationBuilder.DropIndex(
                name: "IX_ArticleSources_SourcesId_Listed_SortKey_ArticlesId",
                table: "ArticleSources");

            migrationBuilder.DropIndex(
                name: "IX_Articles_BodyHtml_Missing",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Id_Listed_SortKey_Language",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Listed_SortKey_Id",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_TitleKey",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_UrlKey",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_ArticleCategories_CategoriesId_Listed_SortKey_ArticlesId",
                table: "ArticleCategories");

            migrationBuilder.DropColumn(
                name: "ArticleCount",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "ArticleCount",
                table: "Categories");

            migrationBuilder.DropColumn(
                name: "Listed",
                table: "ArticleSources");

            migrationBuilder.DropColumn(
                name: "SortKey",
                table: "ArticleSources");

            migrationBuilder.DropColumn(
                name: "BodyHtml",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "BodyText",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Listed",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "SortKey",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "TitleKey",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "UrlKey",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Listed",
                table: "ArticleCategories");

            migrationBuilder.DropColumn(
                name: "SortKey",
                table: "ArticleCategories");

            migrationBuilder.CreateIndex(
                name: "IX_ArticleSources_SourcesId",
                table: "ArticleSources",
                column: "SourcesId");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_OriginalUrl",
                table: "Articles",
                column: "OriginalUrl");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_PublishedOn_DocumentDate_Id",
                table: "Articles",
                columns: new[] { "PublishedOn", "DocumentDate", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Title_DocumentDate",
                table: "Articles",
                columns: new[] { "Title", "DocumentDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleCategories_CategoriesId",
                table: "ArticleCategories",
                column: "CategoriesId");
        }

        /// <summary>
        /// False while the importer's bulk inserter writes a batch (the flag the FullTextSearch migration made): it adds
        /// the batch's counts itself, once per name, as it indexes the batch for search.
        /// </summary>
        private const string NotBulk = """(SELECT "Deferred" FROM "SearchIndexing") = 0""";

        /// <summary>The month, language and total counts a listed story adds to (SQL over new. or old.).</summary>
        private static string CountKeys(string row) => $"""
            SELECT 'all' AS "Key" UNION ALL SELECT 'month:' || substr({row}."PublishedOn", 1, 7) UNION ALL SELECT 'language:' || lower({row}."Language")
            """;

        private static IEnumerable<string> SqliteTriggers =>
        [
            $"""
            CREATE TRIGGER "Articles_Listing_Insert" AFTER INSERT ON "Articles" WHEN new."Listed" AND {NotBulk} BEGIN
                INSERT INTO "ListingCounts" ("Key", "ArticleCount") SELECT "Key", 1 FROM ({CountKeys("new")}) WHERE true
                    ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ArticleCount" + 1;
            END;
            """,
            $"""
            CREATE TRIGGER "Articles_Listing_Delete" AFTER DELETE ON "Articles" WHEN old."Listed" BEGIN
                UPDATE "ListingCounts" SET "ArticleCount" = "ArticleCount" - 1 WHERE "Key" IN ({CountKeys("old")});
            END;
            """,
            $"""
            CREATE TRIGGER "Articles_Listing_Update" AFTER UPDATE OF "Listed", "SortKey", "PublishedOn", "Language" ON "Articles"
            WHEN old."Listed" <> new."Listed" OR old."SortKey" <> new."SortKey" OR old."PublishedOn" <> new."PublishedOn" OR old."Language" <> new."Language"
            BEGIN
                UPDATE "ListingCounts" SET "ArticleCount" = "ArticleCount" - 1 WHERE old."Listed" AND "Key" IN ({CountKeys("old")});
                INSERT INTO "ListingCounts" ("Key", "ArticleCount") SELECT "Key", 1 FROM ({CountKeys("new")}) WHERE new."Listed"
                    ON CONFLICT ("Key") DO UPDATE SET "ArticleCount" = "ArticleCount" + 1;
                UPDATE "ArticleCategories" SET "Listed" = new."Listed", "SortKey" = new."SortKey" WHERE "ArticlesId" = new."Id";
                UPDATE "ArticleSources" SET "Listed" = new."Listed", "SortKey" = new."SortKey" WHERE "ArticlesId" = new."Id";
            END;
            """,
            .. LinkTriggers("ArticleCategories", "CategoriesId", "Categories"),
            .. LinkTriggers("ArticleSources", "SourcesId", "Sources"),
        ];

        /// <summary>
        /// A link row written without its story's copies (EF's many-to-many inserts) takes them from the story; the
        /// importer's bulk inserts write them itself. Counts follow the links that are listed (the bulk inserter's a
        /// batch at a time).
        /// </summary>
        private static IEnumerable<string> LinkTriggers(string table, string nameColumn, string nameTable) =>
        [
            $"""
            CREATE TRIGGER "{table}_Copy" AFTER INSERT ON "{table}" WHEN new."SortKey" IS NULL BEGIN
                UPDATE "{table}" SET ("Listed", "SortKey") = (SELECT "Listed", "SortKey" FROM "Articles" WHERE "Id" = new."ArticlesId")
                WHERE "ArticlesId" = new."ArticlesId" AND "{nameColumn}" = new."{nameColumn}";
            END;
            """,
            $"""
            CREATE TRIGGER "{table}_Count_Insert" AFTER INSERT ON "{table}" WHEN new."Listed" AND {NotBulk} BEGIN
                UPDATE "{nameTable}" SET "ArticleCount" = "ArticleCount" + 1 WHERE "Id" = new."{nameColumn}";
            END;
            """,
            $"""
            CREATE TRIGGER "{table}_Count_Delete" AFTER DELETE ON "{table}" WHEN old."Listed" BEGIN
                UPDATE "{nameTable}" SET "ArticleCount" = "ArticleCount" - 1 WHERE "Id" = old."{nameColumn}";
            END;
            """,
            $"""
            CREATE TRIGGER "{table}_Count_Update" AFTER UPDATE OF "Listed" ON "{table}" WHEN old."Listed" <> new."Listed" BEGIN
                UPDATE "{nameTable}" SET "ArticleCount" = "ArticleCount" + (CASE WHEN new."Listed" THEN 1 ELSE -1 END) WHERE "Id" = new."{nameColumn}";
            END;
            """,
        ];

        private static void DropSearchIndex(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "ArticleSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "ArticleSearch";""");
        }

        /// <summary>The index over title, lede and <paramref name="body"/>, kept by triggers, as the FullTextSearch migration made it.</summary>
        private static void CreateSearchIndex(MigrationBuilder migrationBuilder, string body)
        {
            migrationBuilder.Sql($"""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Title", "Lede", "{body}",
                    content='Articles', content_rowid='Id',
                    tokenize='unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch", rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');""");
            migrationBuilder.Sql($"""
                CREATE TRIGGER "ArticleSearch_Insert" AFTER INSERT ON "Articles"
                WHEN (SELECT "Deferred" FROM "SearchIndexing") = 0 BEGIN
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "{body}") VALUES (new."Id", new."Title", new."Lede", new."{body}");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "ArticleSearch_Delete" AFTER DELETE ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Lede", "{body}") VALUES ('delete', old."Id", old."Title", old."Lede", old."{body}");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "ArticleSearch_Update" AFTER UPDATE OF "Title", "Lede", "{body}" ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Lede", "{body}") VALUES ('delete', old."Id", old."Title", old."Lede", old."{body}");
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Lede", "{body}") VALUES (new."Id", new."Title", new."Lede", new."{body}");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
        }
    }
}
