using JasperFx.CodeGeneration;
using JasperFx.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine;
using Wolverine.EntityFrameworkCore;
using Wolverine.ErrorHandling;
using Wolverine.Persistence;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Wolverine over RabbitMQ with a PostgreSQL inbox and outbox in the service's own database: the one way every Shop
/// service does messaging.
/// </summary>
public static class MessagingExtensions
{
    /// <summary>Wolverine's tables live in their own schema of the service's database, next to the EF Core tables.</summary>
    public const string EnvelopeSchema = "wolverine";

    /// <summary>Deliveries a service handles at once from its queue (Wolverine's durable listener default was 5).</summary>
    public const int ListenerConcurrency = 5;

    /// <summary>How old a stored outgoing message must be before the durability agent sends it instead of its owner.</summary>
    public static readonly TimeSpan OutboxStaleTime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds Wolverine: the broker from <c>ConnectionStrings:messaging</c> (an <c>amqp://</c> URI, as Aspire hands it),
    /// durable envelopes in <paramref name="databaseName"/>'s database, this service's queue
    /// <paramref name="queue"/>, and every handler that uses the service's DbContext in WolverineFx.EntityFrameworkCore's
    /// transaction: its database changes, the messages it returns or sends and the inbox record of the message it
    /// handles commit together, and the messages leave for the broker only after that commit.
    /// </summary>
    /// <remarks>
    /// The service's DbContext must be registered without EF's retrying execution strategy (Wolverine refuses it:
    /// it opens the transaction itself); a failed handler is retried as a whole by Wolverine instead, which is the right
    /// unit anyway. Outside a handler (an HTTP endpoint, a background sweep) the same transaction is an
    /// <see cref="Wolverine.EntityFrameworkCore.IDbContextOutbox{T}"/>: see <see cref="OutboxExtensions"/>.
    /// </remarks>
    /// <param name="handlesMessages">
    /// False for a service that only publishes (catalog, identity): Wolverine warns at every start-up that it found no
    /// handlers, which is then what was meant, so that one logger (handler discovery's) reports errors only.
    /// </param>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder, string databaseName, string queue, Action<ShopRoutes> routes, bool handlesMessages = true)
        where TDbContext : DbContext
    {
        if (!handlesMessages)
        {
            builder.Logging.AddFilter("Wolverine.Configuration.HandlerDiscovery", LogLevel.Error);
        }
        var broker = RequiredConnectionString(builder.Configuration, "messaging");
        var database = ServiceDatabase.WithPoolLimits(RequiredConnectionString(builder.Configuration, databaseName));

        // Extensions are configured below, by name (PostgreSQL, RabbitMQ); automatic discovery would load every
        // assembly in the output directory at start-up to look for more.
        builder.Services.AddWolverine(ExtensionDiscovery.ManualOnly, options =>
        {
            options.ServiceName = builder.Environment.ApplicationName;
            // Handlers and their generated code live in the service, not in this shared library that calls AddWolverine.
            options.ApplicationAssembly = typeof(TDbContext).Assembly;

            // No Roslyn at run time: handlers are compiled from Internal/Generated, written by `codegen write`.
            // A stale or missing file fails start-up loudly instead of dead-lettering the first message.
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            // The DbContext comes from EF's pool through a factory, which generated code cannot inline: resolve it from
            // the message's service scope (which returns it to the pool when the message is done).
            options.CodeGeneration.AlwaysUseServiceLocationFor<TDbContext>();

            options.PersistMessagesWithPostgresql(database, EnvelopeSchema);
            // The node agent's health check runs every 10 s in every service; traced, each run is a trace of its
            // own ("wolverine_node_assignments", seven database spans) that buries the requests and messages on the
            // dashboard. Its failures are still logged.
            options.Durability.NodeAssignmentHealthCheckTracingEnabled = false;

            var rabbit = options.UseRabbitMq(new Uri(broker))
                .AutoProvision()
                // A send completes only when the broker has confirmed it (persisted), so the outbox never deletes
                // an envelope the broker might still lose. Wolverine leaves confirms off by default.
                .ConfigureChannelCreation(channel =>
                {
                    channel.PublisherConfirmationsEnabled = true;
                    channel.PublisherConfirmationTrackingEnabled = true;
                })
                // Poison messages land in the database's dead-letter table, where an admin can list and replay them.
                .DisableDeadLetterQueueing();
            options.ListenToRabbitQueue(queue)
                // The inbox is written in the handler's own transaction (EF Core transaction, below): a delivery is
                // handled inline and acknowledged to the broker only after that transaction has committed, so a crash
                // before the commit leaves it with the broker, which delivers it again, and a copy that arrives after
                // the commit fails on the inbox row's key and is discarded (Wolverine's PostgreSQL rule for that key).
                // Wolverine's durable listener would store each delivery first, in a transaction and a round trip of
                // its own, on every hop of the order saga.
                .ProcessInline()
                // Inline means one delivery at a time per channel unless the client hands out more at once.
                .ConsumerDispatchConcurrency(ListenerConcurrency)
                // Unacknowledged deliveries a replica holds: enough to keep every slot busy, few enough that a second
                // replica of the service gets its share (the client's default for inline listeners is 100).
                .PreFetchCount(2 * ListenerConcurrency);

            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
            options.Policies.UseDurableLocalQueues();

            // Every handler that uses the DbContext runs in one transaction: BEGIN, the handler, SaveChanges, the
            // outgoing messages and the inbox record of this one, COMMIT, then the send. Eager is the mode that writes
            // the inbox record; the idempotency check stays the default (none before the handler): Wolverine's eager
            // check treats any error of its insert as a duplicate and drops the message, so a transient database
            // fault would lose it. A duplicate is caught by the inbox row's key at commit instead.
            options.UseEntityFrameworkCoreTransactions(TransactionMiddlewareMode.Eager);
            options.Policies.AutoApplyTransactions();
            // A handler's consumer span is named after its message (see ReceiveSpanName).
            options.Policies.AddMiddleware(typeof(ReceiveSpanName),
                chain => chain.HandlerCalls().Any(call => call.HandlerType.Assembly == options.ApplicationAssembly));
            // An endpoint hands its committed messages to the broker in the background (BackgroundSends); should that
            // send never happen (the process killed in between), another node, or this one, sends them after a minute.
            options.Durability.OutboxStaleTime = OutboxStaleTime;

            // Transient faults (a dropped connection, a deadlock, a concurrent duplicate losing a unique key) clear
            // on a second try; anything still failing after the last one is a poison message.
            options.Policies.OnAnyException()
                .RetryWithCooldown(50.Milliseconds(), 250.Milliseconds(), 1.Seconds())
                .Then.MoveToErrorQueue();

            routes(new ShopRoutes(options, rabbit, queue));
        });
        // Registered after Wolverine, so it stops first: sends an HTTP request started finish before the senders close.
        builder.Services.AddSingleton<BackgroundSends>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackgroundSends>());
        return builder;
    }

    private static string RequiredConnectionString(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings:{name} is missing (environment variable ConnectionStrings__{name}). " +
                "The AppHost sets it; run the service through `dotnet run --project Shop.AppHost`.");
}
