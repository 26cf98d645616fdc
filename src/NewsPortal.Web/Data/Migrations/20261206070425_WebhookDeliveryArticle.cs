using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveryArticle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // With its reference in the ALTER TABLE, SQLite adds the column in place: EF Core's AddForeignKey would rebuild
            // the table with foreign keys off, outside the migration's transaction.
            migrationBuilder.Sql("""
                ALTER TABLE "WebhookDeliveries" ADD COLUMN "ArticleId" INTEGER NULL
                    CONSTRAINT "FK_WebhookDeliveries_Articles_ArticleId" REFERENCES "Articles" ("Id") ON DELETE SET NULL
                """);

            // Deliveries queued before this knew their story only by the address in their payload.
            migrationBuilder.Sql("""
                UPDATE "WebhookDeliveries" SET "ArticleId" = COALESCE(
                    (SELECT "Id" FROM "Articles" WHERE "Slug" = json_extract("Payload", '$.article.slug')),
                    (SELECT "ArticleId" FROM "SlugRedirects" WHERE "Slug" = json_extract("Payload", '$.article.slug')))
                WHERE json_valid("Payload")
                """);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ArticleId",
                table: "WebhookDeliveries",
                column: "ArticleId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_WebhookDeliveries_Articles_ArticleId",
                table: "WebhookDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_ArticleId",
                table: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "ArticleId",
                table: "WebhookDeliveries");
        }
    }
}
