using Microsoft.EntityFrameworkCore;

namespace Shop.Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int CategoryNameMaxLength = 100;

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
