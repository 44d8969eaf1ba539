namespace Shop.Shipping.Data;

/// <summary>Shipments come only from orders: there is nothing to seed, the migrations are the whole initialisation.</summary>
public sealed class NoSeed : IDatabaseSeeder<ShippingDbContext>
{
    public Task<string> SeedAsync(ShippingDbContext db, CancellationToken cancellationToken) => Task.FromResult("nothing to seed");
}
