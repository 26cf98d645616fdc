using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UrlKey = table.Column<long>(type: "bigint", nullable: true),
                    TitleKey = table.Column<long>(type: "bigint", nullable: false),
                    PurgedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
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
