using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportLookups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Articles_OriginalUrl",
                table: "Articles",
                column: "OriginalUrl");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Title_DocumentDate",
                table: "Articles",
                columns: new[] { "Title", "DocumentDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Articles_OriginalUrl",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Title_DocumentDate",
                table: "Articles");
        }
    }
}
