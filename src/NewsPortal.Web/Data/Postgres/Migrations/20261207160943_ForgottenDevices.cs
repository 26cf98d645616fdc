using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ForgottenDevices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Device",
                table: "BrowserSessions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ForgottenDevices",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Device = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ForgottenAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForgottenDevices", x => new { x.UserId, x.Device });
                    table.ForeignKey(
                        name: "FK_ForgottenDevices_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ForgottenDevices");

            migrationBuilder.DropColumn(
                name: "Device",
                table: "BrowserSessions");
        }
    }
}
