using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <summary>
    /// Listings that cost the same at any size: every story gets a sort key and a Listed flag, its category and source
    /// links carry copies of both, and listing counts (per category, source, month and language) are kept as rows
    /// change. SQLite triggers keep the copies and the counts, so every write path (EF saves, the importer's bulk
    /// inserts, merges) is covered inside its own transaction. Existing stories are brought in by one UPDATE that the
    /// same triggers see.
    /// </summary>
    public partial class ListingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ArticleSources_SourcesId",
                table: "ArticleSources");

            migrationBuilder.DropIndex(
                name: "IX_Articles_PublishedOn_DocumentDate_Id",
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
                foreach (var sql in SqliteTriggers)
                {
                    migrationBuilder.Sql(sql);
                }

                // The news sitemap reads published stories by the time they went public.
                migrationBuilder.Sql("""UPDATE "Articles" SET "PublishAtUtc" = "CreatedAtUtc" WHERE "PublishAtUtc" IS NULL AND "Status" = 'Published';""");

                // Julian day 1721425.5 is 0001-01-01, day number 0; see ListingOrder.KeyOf.
                migrationBuilder.Sql("""
                    UPDATE "Articles" SET
                        "Listed" = ("DeletedAtUtc" IS NULL AND "Status" = 'Published'),
                        "SortKey" = (CAST(julianday("PublishedOn") - 1721425.5 AS INTEGER) << 39)
                            + CASE WHEN "DocumentDate" IS NULL THEN 0
                                   ELSE CAST((julianday("DocumentDate") - 1721425.5) * 86400 + 0.0005 AS INTEGER) + 1 END;
                    """);
                migrationBuilder.Sql("""CREATE INDEX "IX_Articles_Language_Listing" ON "Articles" (lower("Language"), "Listed", "SortKey" DESC, "Id" DESC);""");
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
                name: "IX_Articles_Listed_SortKey_Id",
                table: "Articles",
                columns: new[] { "Listed", "SortKey", "Id" },
                descending: new[] { false, true, true });

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
                name: "ListingCounts");

            migrationBuilder.DropIndex(
                name: "IX_ArticleSources_SourcesId_Listed_SortKey_ArticlesId",
                table: "ArticleSources");

            migrationBuilder.DropIndex(
                name: "IX_Articles_BodyHtml_Missing",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Listed_SortKey_Id",
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
                name: "Listed",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "SortKey",
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
                name: "IX_Articles_PublishedOn_DocumentDate_Id",
                table: "Articles",
                columns: new[] { "PublishedOn", "DocumentDate", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleCategories_CategoriesId",
                table: "ArticleCategories",
                column: "CategoriesId");
        }
    
        /// <summary>The month, language and total counts a listed story adds to (SQL over new. or old.).</summary>
        private static string CountKeys(string row) => $"""
            SELECT 'all' AS "Key" UNION ALL SELECT 'month:' || substr({row}."PublishedOn", 1, 7) UNION ALL SELECT 'language:' || lower({row}."Language")
            """;

        private static IEnumerable<string> SqliteTriggers =>
        [
            $"""
            CREATE TRIGGER "Articles_Listing_Insert" AFTER INSERT ON "Articles" WHEN new."Listed" BEGIN
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
        /// importer's bulk inserts write them itself. Counts follow the links that are listed.
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
            CREATE TRIGGER "{table}_Count_Insert" AFTER INSERT ON "{table}" WHEN new."Listed" BEGIN
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
    }
}
