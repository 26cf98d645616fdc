using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FasterSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => PostgresSchema.FasterSearchText(migrationBuilder);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => PostgresSchema.SlowerSearchText(migrationBuilder);
    }
}
