using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.ServiceDefaults.Clients;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Stand-in for Aspire.Npgsql.EntityFrameworkCore.PostgreSQL (written while the feed lacked it; 13.6.5 is served now and
/// replaces this in issue 25), with the same call shape,
/// configuration section and connection-string lookup, so switching to the real package changes only references.
/// Tracing and metrics for Npgsql are added by <see cref="Extensions.AddServiceDefaults{TBuilder}"/>.
/// </summary>
public static class NpgsqlEntityFrameworkCoreExtensions
{
    private const string DefaultConfigSectionName = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlEntityFrameworkCoreSettings>? configureSettings = null,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null)
        where TContext : DbContext
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = new NpgsqlEntityFrameworkCoreSettings();
        builder.Configuration.GetSection(DefaultConfigSectionName).Bind(settings);
        builder.Configuration.GetSection($"{DefaultConfigSectionName}:{typeof(TContext).Name}").Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        // Fail start-up here rather than on the first query: a service without its database is misconfigured.
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing for '{typeof(TContext).Name}'. Provide it as 'ConnectionStrings:{connectionName}' " +
                $"(environment variable ConnectionStrings__{connectionName}) or as 'ConnectionString' in the " +
                $"'{DefaultConfigSectionName}' configuration section.");
        }
        var validConnectionString = NpgsqlPoolDefaults.Apply(settings.ConnectionString);

        // Pooled, as Aspire's AddNpgsqlDbContext does: a context is reset and reused instead of built per request or
        // message (building one resolves EF's internal service provider and creates a scope of its services: about a
        // tenth of catalog's CPU on a cached product read). The options are a singleton either way.
        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseNpgsql(validConnectionString, npgsql =>
            {
                if (!settings.DisableRetry)
                {
                    npgsql.EnableRetryOnFailure();
                }
                if (settings.CommandTimeout is int seconds)
                {
                    npgsql.CommandTimeout(seconds);
                }
            });
            configureDbContextOptions?.Invoke(options);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                typeof(TContext).Name,
                _ => new NpgsqlHealthCheck(validConnectionString),
                failureStatus: HealthStatus.Unhealthy,
                tags: null,
                timeout: settings.HealthCheckTimeout));
        }
    }
}
