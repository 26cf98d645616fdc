using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CountMovesByDifference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.CountMovesByDifference(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.CountMovesByDifference(migrationBuilder, byDifference: false);
        }
    }
}
