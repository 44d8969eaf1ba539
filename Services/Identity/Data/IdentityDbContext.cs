using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Identity.Data;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 100;
    public const string UserEmailIndex = "IX_Users_NormalizedEmail";

    public DbSet<User> Users => Set<User>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable(t => t.HasCheckConstraint("CK_Users_Role", "\"Role\" IN ('customer', 'admin')"));
            user.Property(u => u.Id).ValueGeneratedNever();
            user.Property(u => u.Email).HasMaxLength(EmailMaxLength);
            user.Property(u => u.NormalizedEmail).HasMaxLength(EmailMaxLength);
            user.Property(u => u.DisplayName).HasMaxLength(DisplayNameMaxLength);
            user.Property(u => u.Role).HasMaxLength(20);
            user.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
            user.Property(u => u.UpdatedAt).HasDefaultValueSql("now()");
            // The only guard against two registrations racing for one address (and two replicas seeding the admin).
            user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName(UserEmailIndex);
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.Property(t => t.Id).ValueGeneratedNever();
            token.Property(t => t.TokenHash).HasMaxLength(32);
            token.HasIndex(t => t.TokenHash).IsUnique();
            // Reuse detection revokes a whole family at once.
            token.HasIndex(t => t.FamilyId);
            token.HasOne(t => t.User).WithMany().OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SigningKey>(key =>
        {
            key.HasKey(k => k.Kid);
            key.Property(k => k.Kid).HasMaxLength(64);
        });
    }

    public static bool IsUniqueViolation(DbUpdateException exception, string indexName) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && postgres.ConstraintName == indexName;
}
