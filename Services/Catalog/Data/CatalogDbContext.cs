using Microsoft.EntityFrameworkCore;

namespace Shop.Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int CategoryNameMaxLength = 100;

    /// <summary>
    /// Shadow column <c>lower("Name")</c>, computed by PostgreSQL, so that product names are unique regardless of case.
    /// A stored generated column rather than a nondeterministic collation: ILIKE search does not work on the latter.
    /// </summary>
    public const string NormalizedNameColumn = "NormalizedName";

    /// <summary>The unique index behind "409 duplicate product name"; writers recognise its violation by this name.</summary>
    public const string ProductNameUniqueIndex = "IX_Products_NormalizedName";

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Category> Categories => Set<Category>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Category>(category =>
        {
            category.Property(c => c.Name).HasMaxLength(CategoryNameMaxLength);
            // Also the seed's last line of defence against duplicates.
            category.HasIndex(c => c.Name).IsUnique();
        });

        modelBuilder.Entity<Product>(product =>
        {
            product.ToTable(t => t.HasCheckConstraint("CK_Products_Price_NonNegative", "\"Price\" >= 0"));
            product.Property(p => p.Name).HasMaxLength(NameMaxLength);
            product.Property<string>(NormalizedNameColumn)
                .IsRequired()
                .HasMaxLength(NameMaxLength)
                .HasComputedColumnSql("lower(\"Name\")", stored: true);
            product.HasIndex(NormalizedNameColumn).IsUnique().HasDatabaseName(ProductNameUniqueIndex);
            product.Property(p => p.Description).HasMaxLength(DescriptionMaxLength);
            product.Property(p => p.Price).HasPrecision(18, 2);
            product.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
            product.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
            // The list endpoint pages in (Name, Id) order.
            product.HasIndex(p => new { p.Name, p.Id });
            product.HasOne(p => p.Category).WithMany(c => c.Products).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
