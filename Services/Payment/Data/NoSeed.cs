namespace Shop.Payment.Data;

/// <summary>Payments come only from orders: there is nothing to seed, the migrations are the whole initialisation.</summary>
public sealed class NoSeed : IDatabaseSeeder<PaymentDbContext>
{
    public Task<string> SeedAsync(PaymentDbContext db, CancellationToken cancellationToken) => Task.FromResult("nothing to seed");
}
