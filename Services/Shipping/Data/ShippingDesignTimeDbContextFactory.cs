using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Shipping.Data;

/// <summary>
/// Used only by <c>dotnet ef migrations add</c>: the model is built without running Program, so neither a connection
/// string nor a database is needed (and none is made up here).
/// </summary>
public sealed class ShippingDesignTimeDbContextFactory : IDesignTimeDbContextFactory<ShippingDbContext>
{
    public ShippingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ShippingDbContext>().UseNpgsql().Options);
}
