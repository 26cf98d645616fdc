using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class StoryThreads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Threads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    ArticleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LatestSortKey = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Threads", x => x.Id);
                });

            // EF would add the key by rebuilding Articles (dropping its triggers, and copying every story); SQLite can
            // add a column that references another table in place, as long as it starts out null.
            migrationBuilder.Sql("""ALTER TABLE "Articles" ADD COLUMN "ThreadId" INTEGER NULL REFERENCES "Threads" ("Id") ON DELETE SET NULL;""");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_ThreadId_Listed_SortKey_Id",
                table: "Articles",
                columns: new[] { "ThreadId", "Listed", "SortKey", "Id" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_Threads_LatestSortKey_Id",
                table: "Threads",
                columns: new[] { "LatestSortKey", "Id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "IX_Threads_NameKey",
                table: "Threads",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Threads_Slug",
                table: "Threads",
                column: "Slug",
                unique: true);

            foreach (var sql in Triggers)
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Articles_Thread_Insert", "Articles_Thread_Delete", "Articles_Thread_Update" })
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{trigger}";""");
            }

            migrationBuilder.DropIndex(
                name: "IX_Articles_ThreadId_Listed_SortKey_Id",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "ThreadId",
                table: "Articles");

            migrationBuilder.DropTable(
                name: "Threads");
        }

        /// <summary>A thread's count and newest position follow its listed stories (see <see cref="Threads.StoryThread"/>).</summary>
        private static readonly string[] Triggers =
        [
            $"""
            CREATE TRIGGER "Articles_Thread_Insert" AFTER INSERT ON "Articles" WHEN new."Listed" AND new."ThreadId" IS NOT NULL BEGIN
                UPDATE "Threads" SET "ArticleCount" = "ArticleCount" + 1, "LatestSortKey" = max(coalesce("LatestSortKey", new."SortKey"), new."SortKey")
                WHERE "Id" = new."ThreadId";
            END;
            """,
            $"""
            CREATE TRIGGER "Articles_Thread_Delete" AFTER DELETE ON "Articles" WHEN old."Listed" AND old."ThreadId" IS NOT NULL BEGIN
                UPDATE "Threads" SET "ArticleCount" = "ArticleCount" - 1, "LatestSortKey" = ({Latest("old")}) WHERE "Id" = old."ThreadId";
            END;
            """,
            $"""
            CREATE TRIGGER "Articles_Thread_Update" AFTER UPDATE OF "Listed", "SortKey", "ThreadId" ON "Articles"
            WHEN old."Listed" IS NOT new."Listed" OR old."SortKey" IS NOT new."SortKey" OR old."ThreadId" IS NOT new."ThreadId"
            BEGIN
                UPDATE "Threads" SET "ArticleCount" = "ArticleCount" - 1, "LatestSortKey" = ({Latest("old")}) WHERE old."Listed" AND "Id" = old."ThreadId";
                UPDATE "Threads" SET "ArticleCount" = "ArticleCount" + 1, "LatestSortKey" = ({Latest("new")}) WHERE new."Listed" AND "Id" = new."ThreadId";
            END;
            """,
        ];

        /// <summary>The newest listed story's position in the thread of <paramref name="row"/>: one read of the thread's index.</summary>
        private static string Latest(string row)
            => $"""SELECT "SortKey" FROM "Articles" WHERE "ThreadId" = {row}."ThreadId" AND "Listed" ORDER BY "SortKey" DESC LIMIT 1""";
    }
}
