using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Data;

namespace Shop.Payment.Data;

public sealed class PaymentDbContext(DbContextOptions<PaymentDbContext> options) : DbContext(options)
{
    public const int CurrencyLength = 3;
    public const int StatusMaxLength = 16;
    public const int ReasonMaxLength = 200;
    public const int ReferenceMaxLength = 64;

    private List<Action>? _afterCommit;

    public DbSet<OrderPayment> Payments => Set<OrderPayment>();

    /// <summary>
    /// Runs <paramref name="action"/> once the current transaction (the message handler's) has committed, and never if
    /// it does not: metrics then count what was stored, not attempts that a retry will repeat. EF Core tells the
    /// context how its transactions start and end (<see cref="TransactionOutcomes"/>); a new one starts with an empty
    /// list, also for the next message that gets this context from the pool.
    /// </summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal void TransactionEnded(bool committed)
    {
        var actions = _afterCommit;
        _afterCommit = null;
        if (committed && actions is not null)
        {
            foreach (var action in actions)
            {
                action();
            }
        }
    }

    /// <summary>
    /// Serialises everything done for one order until the current transaction ends, so a duplicate command that arrives
    /// while the first is still talking to the provider waits, then finds its committed row instead of charging again.
    /// </summary>
    public Task LockOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        Database.LockAsync(orderId, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The code keeps these invariants; the constraints are the last line of defence against a bug or a hand-written
        // UPDATE, so a broken invariant fails loudly instead of being stored.
        modelBuilder.Entity<OrderPayment>(payment =>
        {
            payment.ToTable("Payments", t =>
            {
                t.HasCheckConstraint("CK_Payments_Amount_Positive", "\"Amount\" > 0");
                t.HasCheckConstraint("CK_Payments_Currency", "\"Currency\" ~ '^[A-Z]{3}$'");
                t.HasCheckConstraint("CK_Payments_Status", StatusCheck);
                t.HasCheckConstraint("CK_Payments_RefundedAmount", "\"RefundedAmount\" >= 0 AND \"RefundedAmount\" <= \"Amount\"");
                t.HasCheckConstraint("CK_Payments_Declined_HasReason", "\"Status\" <> 'Declined' OR \"DeclineReason\" IS NOT NULL");
                t.HasCheckConstraint("CK_Payments_Charged_HasReference",
                    "\"Status\" = 'Declined' OR (\"ProviderReference\" IS NOT NULL AND \"ChargedAt\" IS NOT NULL)");
                t.HasCheckConstraint("CK_Payments_Refunded_HasTime", "\"Status\" <> 'Refunded' OR \"RefundedAt\" IS NOT NULL");
            });
            payment.HasKey(p => p.Id);
            payment.Property(p => p.Id).ValueGeneratedNever();
            payment.HasIndex(p => p.OrderId).IsUnique();
            payment.HasIndex(p => p.CustomerId);
            payment.Property(p => p.Amount).HasPrecision(12, 2);
            payment.Property(p => p.RefundedAmount).HasPrecision(12, 2);
            payment.Property(p => p.Currency).HasMaxLength(CurrencyLength).IsFixedLength();
            payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(StatusMaxLength);
            payment.Property(p => p.DeclineReason).HasMaxLength(ReasonMaxLength);
            payment.Property(p => p.ProviderReference).HasMaxLength(ReferenceMaxLength);
        });
    }

    private static readonly string StatusCheck =
        $"\"Status\" IN ({string.Join(", ", Enum.GetNames<PaymentStatus>().Select(name => $"'{name}'"))})";
}
