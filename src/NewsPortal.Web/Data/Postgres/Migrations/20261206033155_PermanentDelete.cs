using Microsoft.EntityFrameworkCore.Migrations;
using NewsPortal.Web.Data.Postgres;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PermanentDelete : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_Subject",
                table: "AuditLog",
                column: "Subject");

            // Deleting a story for good deletes its headline words by their key's second column: without an index
            // leading with it, PostgreSQL would read every story's words to find one story's.
            migrationBuilder.Sql($"""CREATE INDEX "IX_{PostgresSchema.HeadlineWords}_ArticleId" ON "{PostgresSchema.HeadlineWords}" ("ArticleId");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""DROP INDEX "IX_{PostgresSchema.HeadlineWords}_ArticleId";""");
            migrationBuilder.DropIndex(
                name: "IX_AuditLog_Subject",
                table: "AuditLog");
        }
    }
}
