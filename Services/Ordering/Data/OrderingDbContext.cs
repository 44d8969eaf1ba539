using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shop.Contracts;
using Shop.ServiceDefaults.Data;

namespace Shop.Ordering.Data;

public sealed class OrderingDbContext(DbContextOptions<OrderingDbContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderStep> OrderSteps => Set<OrderStep>();

    public DbSet<OrderSummary> OrderSummaries => Set<OrderSummary>();

    /// <summary>
    /// Serialises the read model's handlers for one order until the current transaction ends: a final event that
    /// overtook <c>OrderPlaced</c> would otherwise insert the summary at the same moment and fail on its key.
    /// </summary>
    public Task LockSummaryAsync(Guid orderId, CancellationToken cancellationToken) =>
        Database.LockAsync(orderId, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).ValueGeneratedNever();
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.PendingCompensations).HasConversion<int>();
            order.Property(o => o.Total).HasPrecision(12, 2);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.Property(o => o.IdempotencyKey).HasMaxLength(255);
            order.Property(o => o.RequestFingerprint).HasMaxLength(64);
            // Written once when the order is placed and never queried inside: a JSON column each, not tables.
            order.Property(o => o.Items).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<OrderItem>>(v, Json) ?? new List<OrderItem>(),
                new ValueComparer<List<OrderItem>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
            order.Property(o => o.ShippingAddress).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<ShippingAddress>(v, Json)!);
            order.Ignore(o => o.Lines);
            order.Ignore(o => o.IsTerminal);
            // Two replies for one order handled at once must not overwrite each other's progress.
            order.Property<uint>("Version").IsRowVersion();
            order.HasIndex(o => new { o.CustomerId, o.IdempotencyKey }).IsUnique();
            // The deadline sweeper's query: only orders with a step in flight have a deadline, so the index stays small.
            order.HasIndex(o => o.StepDeadline).HasFilter("\"StepDeadline\" IS NOT NULL");
            order.HasMany(o => o.History).WithOne().HasForeignKey(s => s.OrderId).OnDelete(DeleteBehavior.Cascade);
            order.ToTable(t =>
            {
                t.HasCheckConstraint("CK_Orders_Total_Positive", "\"Total\" > 0");
                t.HasCheckConstraint("CK_Orders_Status", $"\"Status\" IN ({string.Join(", ", Enum.GetNames<OrderStatus>().Select(n => $"'{n}'"))})");
            });
        });

        modelBuilder.Entity<OrderStep>(step =>
        {
            step.HasKey(s => s.Id);
            step.Property(s => s.Name).HasMaxLength(64);
            step.Property(s => s.Outcome).HasMaxLength(32);
            step.HasIndex(s => new { s.OrderId, s.Id });
        });

        modelBuilder.Entity<OrderSummary>(summary =>
        {
            summary.HasKey(s => s.OrderId);
            summary.Property(s => s.OrderId).ValueGeneratedNever();
            summary.Property(s => s.Status).HasMaxLength(16);
            summary.Property(s => s.Total).HasPrecision(12, 2);
            summary.Property(s => s.Currency).HasMaxLength(3);
            summary.HasIndex(s => new { s.CustomerId, s.PlacedAt });
        });
    }
}
