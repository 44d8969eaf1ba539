using System.Data.Common;
using Aspire.Npgsql.EntityFrameworkCore.PostgreSQL;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// How every service connects to its own database, given to Aspire's integration:
/// <c>builder.AddNpgsqlDbContext&lt;PaymentDbContext&gt;("paymentdb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext)</c>.
/// </summary>
public static class ServiceDatabase
{
    /// <summary>
    /// Connections per pool. A service has two pools: EF Core's and Wolverine's envelope storage.
    /// Npgsql's defaults (100 connections per pool, idle ones kept 5 minutes) let one burst leave 130 backends running
    /// across the services here, about 30 MB each; on two cores more concurrent transactions than that only queue
    /// inside PostgreSQL instead of in the pool, and each new backend costs a fork, page faults and a cold catalogue
    /// cache (a tenth of PostgreSQL's CPU under order load). bench/Orders, 16 customers, one run each: 10 per pool
    /// 15–16 orders/s and 2.2–2.4 GB of backends after the load; 5 per pool 16–22/s and 1.6–1.9 GB; 3 per pool 17/s
    /// and 1.2 GB.
    /// </summary>
    public const int MaxPoolSize = 5;

    /// <summary>Seconds an idle connection above the minimum is kept before the pool closes it.</summary>
    public const int ConnectionIdleLifetime = 30;

    /// <summary>
    /// No EF retries: handlers run in one transaction with the outbox and Wolverine retries them whole (EF's retrying
    /// strategy refuses a transaction it did not open). The pool limits above, where the connection string says
    /// nothing (Aspire's connection strings carry host, port, credentials and database only).
    /// </summary>
    public static void Configure(NpgsqlEntityFrameworkCorePostgreSQLSettings settings)
    {
        settings.DisableRetry = true;
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            settings.ConnectionString = WithPoolLimits(settings.ConnectionString);
        }
    }

    /// <summary>
    /// What every service's DbContext gets on top of Aspire's options: <see cref="NoSavepoints"/>, and EF Core's own
    /// reports of a failed command, a failed query and a failed save at Debug instead of Error. The exception carries the failure to
    /// whoever handles it, who knows whether it is an error: a unique key that answers 409 (an e-mail already
    /// registered) is the client's mistake, and logged twice at Error with stack traces it lit the dashboard's error
    /// badge; a failure nobody handles is still logged at Error, by ASP.NET Core's exception handler or by Wolverine.
    /// </summary>
    public static void ConfigureContext(DbContextOptionsBuilder options) => options
        .AddInterceptors(NoSavepoints.Instance)
        .ConfigureWarnings(warnings => warnings.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug)));

    /// <summary>The connection string with <see cref="MaxPoolSize"/> and <see cref="ConnectionIdleLifetime"/> where it sets neither.</summary>
    public static string WithPoolLimits(string connectionString)
    {
        // Npgsql's builder answers ContainsKey for every keyword it knows, set or not: look at the keys as written.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxpoolsize") && !given.Contains("maximumpoolsize"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }
        if (!given.Contains("connectionidlelifetime"))
        {
            builder.ConnectionIdleLifetime = ConnectionIdleLifetime;
        }
        return builder.ConnectionString;
    }
}
