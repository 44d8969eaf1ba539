using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Shipping.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Shipments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    TrackingNumber = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FailureReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RecipientName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    City = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PostalCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    ItemCount = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Shipments", x => x.Id);
                    table.CheckConstraint("CK_Shipments_Booked_HasTrackingNumber", "\"Status\" = 'Failed' OR \"TrackingNumber\" IS NOT NULL");
                    table.CheckConstraint("CK_Shipments_Cancelled_HasTime", "\"Status\" <> 'Cancelled' OR \"CancelledAt\" IS NOT NULL");
                    table.CheckConstraint("CK_Shipments_Country", "\"Country\" ~ '^[A-Z]{2}$'");
                    table.CheckConstraint("CK_Shipments_Failed_HasReason", "\"Status\" <> 'Failed' OR \"FailureReason\" IS NOT NULL");
                    table.CheckConstraint("CK_Shipments_ItemCount_Positive", "\"ItemCount\" > 0");
                    table.CheckConstraint("CK_Shipments_Status", "\"Status\" IN ('Created', 'Cancelled', 'Failed')");
                    table.CheckConstraint("CK_Shipments_TrackingNumber", "\"TrackingNumber\" ~ '^SHP-[A-Z0-9]{10}$'");
                });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_CustomerId",
                table: "Shipments",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_OrderId",
                table: "Shipments",
                column: "OrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_TrackingNumber",
                table: "Shipments",
                column: "TrackingNumber",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Shipments");
        }
    }
}
