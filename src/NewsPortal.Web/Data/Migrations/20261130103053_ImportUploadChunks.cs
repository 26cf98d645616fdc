using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Migrations
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
                    UploadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Chunk = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Bytes = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Stories = table.Column<long>(type: "INTEGER", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
