using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StoryThreads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ThreadId",
                table: "Articles",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Threads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    ArticleCount = table.Column<int>(type: "integer", nullable: false),
                    LatestSortKey = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Threads", x => x.Id);
                });

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

            migrationBuilder.AddForeignKey(
                name: "FK_Articles_Threads_ThreadId",
                table: "Articles",
                column: "ThreadId",
                principalTable: "Threads",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            PostgresSchema.CreateThreadCounts(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.DropThreadCounts(migrationBuilder);

            migrationBuilder.DropForeignKey(
                name: "FK_Articles_Threads_ThreadId",
                table: "Articles");

            migrationBuilder.DropTable(
                name: "Threads");

            migrationBuilder.DropIndex(
                name: "IX_Articles_ThreadId_Listed_SortKey_Id",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "ThreadId",
                table: "Articles");
        }
    }
}
