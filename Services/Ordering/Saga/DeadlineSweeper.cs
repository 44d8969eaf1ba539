using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Shop.Ordering.Data;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Ordering.Saga;

/// <summary>
/// Times out the saga's steps: every <see cref="SagaOptions.SweepInterval"/> it takes the orders whose
/// <see cref="Order.StepDeadline"/> has passed, applies <see cref="OrderSaga.Handle(Order, OrderStepTimedOut, DateTimeOffset)"/>
/// to each and commits the compensations with the orders (outbox), in batches.
/// </summary>
/// <remarks>
/// The deadline lives in the order's row, written in the same transaction as the step it guards. A scheduled message
/// per step did the same job at the price of an extra insert on every hop and a locked update plus commit for every
/// step 30 s later, finished or not; the sweep costs one indexed query a second when nothing is late.
/// <c>FOR UPDATE SKIP LOCKED</c> lets several replicas sweep without taking the same order, and skips an order whose
/// reply is being handled right now (the next sweep sees it again if it is still late).
/// </remarks>
public sealed partial class DeadlineSweeper(
    IServiceScopeFactory scopes, IDatabaseReadiness database, TimeProvider clock, IOptions<SagaOptions> options,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    /// <summary>Named after the service, the source ServiceDefaults traces.</summary>
    private static readonly ActivitySource ActivitySource = new(typeof(DeadlineSweeper).Assembly.GetName().Name!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            if (!database.IsReady)
            {
                continue; // Still migrating at start-up.
            }
            try
            {
                // A full batch means more may be waiting: sweep again at once.
                while (await SweepAsync(stoppingToken) == options.Value.SweepBatchSize)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away or starting (503 gate): the next tick tries again; nothing is lost.
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>Times out the orders now past their deadline (at most one batch); returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IDbContextOutbox<OrderingDbContext>>();
        var db = outbox.DbContext;
        var now = clock.GetUtcNow();

        // The look that finds nothing, once a second, is left out of the traces: it would bury the real ones on the
        // dashboard. A sweep that times orders out is a trace of its own, parent of the compensations it sends.
        using (SuppressInstrumentationScope.Begin())
        {
            if (!await db.Orders.AnyAsync(o => o.StepDeadline != null && o.StepDeadline <= now, cancellationToken))
            {
                return 0;
            }
        }
        using var activity = ActivitySource.StartActivity("Sweep saga deadlines");

        await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
        var late = await db.Orders
            .FromSql($"""
                SELECT *, xmin FROM "Orders"
                WHERE "StepDeadline" IS NOT NULL AND "StepDeadline" <= {now}
                ORDER BY "StepDeadline"
                LIMIT {options.Value.SweepBatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        if (late.Count == 0)
        {
            return 0;
        }
        foreach (var order in late)
        {
            var step = order.Step;
            await SagaStore.SendAsync(outbox, OrderSaga.Handle(order, new OrderStepTimedOut(order.Id, step), now));
            // A deadline in a state that has none (an old row) is cleared, so the sweep does not find it again.
            order.StepDeadline = null;
            LogTimedOut(logger, order.Id, step, order.Status);
        }
        // Saves, commits, then sends: a background sweep can wait for the broker.
        await outbox.SaveChangesAndFlushMessagesAsync(cancellationToken);
        activity?.SetTag("shop.orders.timed_out", late.Count);
        return late.Count;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} passed the deadline of step {Step}; now {Status}")]
    private static partial void LogTimedOut(ILogger logger, Guid orderId, int step, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping the saga's deadlines failed; trying again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
