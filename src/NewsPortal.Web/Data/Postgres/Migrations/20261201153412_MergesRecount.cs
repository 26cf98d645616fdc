using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MergesRecount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.RecountMerges(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            PostgresSchema.RecountMerges(migrationBuilder, recountable: false);
        }
    }
}
