using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ImportUploadChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ImportUploadChunks",
                columns: table => new
                {
                    UploadId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileIndex = table.Column<int>(type: "integer", nullable: false),
                    Chunk = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Bytes = table.Column<byte[]>(type: "bytea", nullable: false),
                    Stories = table.Column<long>(type: "bigint", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportUploadChunks", x => new { x.UploadId, x.FileIndex, x.Chunk });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportUploadChunks_SavedAtUtc",
                table: "ImportUploadChunks",
                column: "SavedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportUploadChunks");
        }
    }
}
