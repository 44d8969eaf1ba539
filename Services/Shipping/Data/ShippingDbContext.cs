using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Data;
using Shop.Shipping.Carrier;

namespace Shop.Shipping.Data;

public sealed class ShippingDbContext(DbContextOptions<ShippingDbContext> options) : DbContext(options)
{
    public const int StatusMaxLength = 16;
    public const int ReasonMaxLength = 200;

    public DbSet<Shipment> Shipments => Set<Shipment>();

    /// <summary>
    /// Serialises everything done for one order until the current transaction ends, so a duplicate command that arrives
    /// while the first is still booking waits, then finds its committed row instead of booking a second parcel.
    /// </summary>
    public Task LockOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        Database.LockAsync(orderId, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The code keeps these invariants; the constraints are the last line of defence against a bug or a hand-written
        // UPDATE, so a broken invariant fails loudly instead of being stored.
        modelBuilder.Entity<Shipment>(shipment =>
        {
            shipment.ToTable(t =>
            {
                t.HasCheckConstraint("CK_Shipments_Status", StatusCheck);
                t.HasCheckConstraint("CK_Shipments_ItemCount_Positive", "\"ItemCount\" > 0");
                t.HasCheckConstraint("CK_Shipments_Country", "\"Country\" ~ '^[A-Z]{2}$'");
                t.HasCheckConstraint("CK_Shipments_TrackingNumber", $"\"TrackingNumber\" ~ '{TrackingNumbers.Pattern}'");
                t.HasCheckConstraint("CK_Shipments_Booked_HasTrackingNumber", "\"Status\" = 'Failed' OR \"TrackingNumber\" IS NOT NULL");
                t.HasCheckConstraint("CK_Shipments_Failed_HasReason", "\"Status\" <> 'Failed' OR \"FailureReason\" IS NOT NULL");
                t.HasCheckConstraint("CK_Shipments_Cancelled_HasTime", "\"Status\" <> 'Cancelled' OR \"CancelledAt\" IS NOT NULL");
            });
            shipment.HasKey(s => s.Id);
            shipment.Property(s => s.Id).ValueGeneratedNever();
            shipment.HasIndex(s => s.OrderId).IsUnique();
            shipment.HasIndex(s => s.TrackingNumber).IsUnique();
            shipment.HasIndex(s => s.CustomerId);
            shipment.Property(s => s.TrackingNumber).HasMaxLength(TrackingNumbers.Length);
            shipment.Property(s => s.Status).HasConversion<string>().HasMaxLength(StatusMaxLength);
            shipment.Property(s => s.FailureReason).HasMaxLength(ReasonMaxLength);
            shipment.Property(s => s.RecipientName).HasMaxLength(ShipmentRules.NameMaxLength);
            shipment.Property(s => s.Street).HasMaxLength(ShipmentRules.StreetMaxLength);
            shipment.Property(s => s.City).HasMaxLength(ShipmentRules.CityMaxLength);
            shipment.Property(s => s.PostalCode).HasMaxLength(ShipmentRules.PostalCodeMaxLength);
            shipment.Property(s => s.Country).HasMaxLength(2).IsFixedLength();
        });
    }

    private static readonly string StatusCheck =
        $"\"Status\" IN ({string.Join(", ", Enum.GetNames<ShipmentStatus>().Select(name => $"'{name}'"))})";
}
