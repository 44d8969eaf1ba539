using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Ordering.Migrations
{
    /// <inheritdoc />
    public partial class StepDeadlineIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Orders_StepDeadline",
                table: "Orders",
                column: "StepDeadline",
                filter: "\"StepDeadline\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_StepDeadline",
                table: "Orders");
        }
    }
}
