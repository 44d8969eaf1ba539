using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Ordering.Data;

/// <summary>Used only by <c>dotnet ef migrations add</c>: builds the model without a connection string or a database.</summary>
public sealed class OrderingDesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrderingDbContext>
{
    public OrderingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrderingDbContext>().UseNpgsql().Options);
}
