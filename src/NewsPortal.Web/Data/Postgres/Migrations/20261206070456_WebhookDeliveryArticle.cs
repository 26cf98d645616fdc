using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveryArticle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ArticleId",
                table: "WebhookDeliveries",
                type: "integer",
                nullable: true);

            // Deliveries queued before this knew their story only by the address in their payload (whose JSON the portal
            // wrote; PostgreSQL 15 has no test for JSON to guard the cast with).
            migrationBuilder.Sql("""
                UPDATE "WebhookDeliveries" SET "ArticleId" = COALESCE(
                    (SELECT "Id" FROM "Articles" WHERE "Slug" = ("Payload"::json -> 'article' ->> 'slug')),
                    (SELECT "ArticleId" FROM "SlugRedirects" WHERE "Slug" = ("Payload"::json -> 'article' ->> 'slug')))
                WHERE "Payload" LIKE '{"event":%'
                """);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ArticleId",
                table: "WebhookDeliveries",
                column: "ArticleId");

            migrationBuilder.AddForeignKey(
                name: "FK_WebhookDeliveries_Articles_ArticleId",
                table: "WebhookDeliveries",
                column: "ArticleId",
                principalTable: "Articles",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
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
