using Microsoft.EntityFrameworkCore;

namespace Shop.Inventory.Data;

public sealed class InventoryDbContext(DbContextOptions<InventoryDbContext> options) : DbContext(options)
{
    public const int StatusMaxLength = 16;

    public DbSet<StockItem> StockItems => Set<StockItem>();

    public DbSet<OrderReservation> OrderReservations => Set<OrderReservation>();

    public DbSet<Reservation> Reservations => Set<Reservation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The code keeps these invariants; the constraints are the last line of defence against a bug or a hand-written
        // UPDATE, so a broken invariant fails loudly instead of being stored.
        modelBuilder.Entity<StockItem>(stock =>
        {
            stock.HasKey(s => s.ProductId);
            stock.Property(s => s.ProductId).ValueGeneratedNever();
            stock.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
            stock.Property(s => s.Version).IsRowVersion();
            stock.Ignore(s => s.Available);
            stock.ToTable(t =>
            {
                t.HasCheckConstraint("CK_StockItems_OnHand_NonNegative", "\"OnHand\" >= 0");
                t.HasCheckConstraint("CK_StockItems_Reserved_NonNegative", "\"Reserved\" >= 0");
                t.HasCheckConstraint("CK_StockItems_Reserved_AtMostOnHand", "\"Reserved\" <= \"OnHand\"");
            });
        });

        modelBuilder.Entity<OrderReservation>(order =>
        {
            order.HasKey(o => o.OrderId);
            order.Property(o => o.OrderId).ValueGeneratedNever();
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(StatusMaxLength);
            order.HasMany(o => o.Items).WithOne().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Cascade);
            order.ToTable(t => t.HasCheckConstraint("CK_OrderReservations_Status", StatusCheck));
        });

        modelBuilder.Entity<Reservation>(line =>
        {
            // The key is the unique (OrderId, ProductId) index: one line per order and product.
            line.HasKey(r => new { r.OrderId, r.ProductId });
            line.Property(r => r.Status).HasConversion<string>().HasMaxLength(StatusMaxLength);
            line.HasOne<StockItem>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Restrict);
            line.ToTable(t =>
            {
                t.HasCheckConstraint("CK_Reservations_Quantity_Positive", "\"Quantity\" > 0");
                t.HasCheckConstraint("CK_Reservations_Status", StatusCheck);
            });
        });
    }

    private static readonly string StatusCheck =
        $"\"Status\" IN ({string.Join(", ", Enum.GetNames<ReservationStatus>().Select(name => $"'{name}'"))})";
}
