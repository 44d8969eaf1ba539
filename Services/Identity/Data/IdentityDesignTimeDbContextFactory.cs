using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Identity.Data;

/// <summary>
/// Used only by <c>dotnet ef migrations add</c>: builds the model without running Program, so no connection
/// string and no database are needed (and none is invented here).
/// </summary>
public sealed class IdentityDesignTimeDbContextFactory : IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityDbContext>().UseNpgsql().Options);
}
