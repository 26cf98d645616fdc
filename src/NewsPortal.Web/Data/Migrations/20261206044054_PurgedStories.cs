using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PurgedStories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PurgedStories",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UrlKey = table.Column<long>(type: "INTEGER", nullable: true),
                    TitleKey = table.Column<long>(type: "INTEGER", nullable: false),
                    PurgedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurgedStories", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PurgedStories_TitleKey",
                table: "PurgedStories",
                column: "TitleKey");

            migrationBuilder.CreateIndex(
                name: "IX_PurgedStories_UrlKey",
                table: "PurgedStories",
                column: "UrlKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PurgedStories");
        }
    }
}
