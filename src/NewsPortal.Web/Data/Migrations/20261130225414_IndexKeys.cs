using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IndexKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IndexKey",
                table: "Sources",
                type: "TEXT",
                maxLength: 401,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "IndexKey",
                table: "Categories",
                type: "TEXT",
                maxLength: 201,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Sources_IndexKey",
                table: "Sources",
                column: "IndexKey");

            migrationBuilder.CreateIndex(
                name: "IX_Categories_IndexKey",
                table: "Categories",
                column: "IndexKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sources_IndexKey",
                table: "Sources");

            migrationBuilder.DropIndex(
                name: "IX_Categories_IndexKey",
                table: "Categories");

            migrationBuilder.DropColumn(
                name: "IndexKey",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "IndexKey",
                table: "Categories");
        }
    }
}
