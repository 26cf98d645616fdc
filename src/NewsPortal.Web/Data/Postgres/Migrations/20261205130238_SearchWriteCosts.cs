using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SearchWriteCosts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.LimitSearchPendingList(migrationBuilder);
            PostgresSchema.RemoveHeadlineWordsByKey(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.RemoveHeadlineWordsByKey(migrationBuilder, byKey: false);
            PostgresSchema.LimitSearchPendingList(migrationBuilder, limited: false);
        }
    }
}
