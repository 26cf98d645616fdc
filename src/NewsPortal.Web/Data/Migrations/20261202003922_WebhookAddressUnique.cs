using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WebhookAddressUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Two admins adding one address at once could store it twice (before WebhookService.AddAsync took a lock),
            // and each event went to it twice. The first copy stays, sending while any copy did; the others go, with
            // the events queued for them (the same events the first copy has).
            migrationBuilder.Sql("""
                UPDATE "WebhookSubscriptions" SET "Active" = 1
                WHERE "Id" IN (SELECT min("Id") FROM "WebhookSubscriptions" GROUP BY "Url" HAVING max("Active") = 1);
                DELETE FROM "WebhookDeliveries" WHERE "SubscriptionId" NOT IN (SELECT min("Id") FROM "WebhookSubscriptions" GROUP BY "Url");
                DELETE FROM "WebhookSubscriptions" WHERE "Id" NOT IN (SELECT min("Id") FROM "WebhookSubscriptions" GROUP BY "Url");
                """);
            migrationBuilder.CreateIndex(
                name: "IX_WebhookSubscriptions_Url",
                table: "WebhookSubscriptions",
                column: "Url",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WebhookSubscriptions_Url",
                table: "WebhookSubscriptions");
        }
    }
}
