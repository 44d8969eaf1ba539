using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.Clients;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Stand-in for Aspire.StackExchange.Redis (written while the feed lacked it; 13.6.5 is served now and replaces this in
/// issue 25): same call shape, configuration section
/// and connection-string lookup. Registers a singleton <see cref="IConnectionMultiplexer"/>.
/// </summary>
public static class RedisClientExtensions
{
    private const string DefaultConfigSectionName = "Aspire:StackExchange:Redis";
    private const string HealthCheckName = "StackExchange.Redis";

    public static void AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<RedisClientSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = new RedisClientSettings();
        builder.Configuration.GetSection(DefaultConfigSectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing for Redis client '{connectionName}'. Provide it as 'ConnectionStrings:{connectionName}' " +
                $"(environment variable ConnectionStrings__{connectionName}) or as 'ConnectionString' in the " +
                $"'{DefaultConfigSectionName}' configuration section.");
        }

        // Parse now so a malformed string fails start-up, not the first cache call.
        var options = ConfigurationOptions.Parse(settings.ConnectionString);
        // Start even while Redis is down and keep reconnecting in the background; the health check reports the outage.
        options.AbortOnConnectFail = false;
        configureOptions?.Invoke(options);

        // Created on first resolution, so the service starts without waiting for Redis.
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var configured = options.Clone();
            configured.LoggerFactory ??= services.GetService<ILoggerFactory>();
            return ConnectionMultiplexer.Connect(configured);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                HealthCheckName,
                services => new RedisHealthCheck(services.GetRequiredService<IConnectionMultiplexer>()),
                failureStatus: HealthStatus.Unhealthy,
                tags: null,
                timeout: settings.HealthCheckTimeout));
        }
    }
}
