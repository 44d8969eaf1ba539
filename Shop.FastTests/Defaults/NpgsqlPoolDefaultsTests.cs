using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.ServiceDefaults.Data;

namespace Shop.Tests.Defaults;

public sealed class ServiceDatabaseTests
{
    private const string AspireShaped = "Host=localhost;Port=5432;Username=postgres;Password=secret;Database=orderingdb";

    [Fact]
    public void An_aspire_connection_string_gets_the_pool_limits()
    {
        var result = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithPoolLimits(AspireShaped));

        Assert.Equal(ServiceDatabase.MaxPoolSize, result.MaxPoolSize);
        Assert.Equal(ServiceDatabase.ConnectionIdleLifetime, result.ConnectionIdleLifetime);
        Assert.Equal("orderingdb", result.Database);
        Assert.Equal("secret", result.Password);
    }

    [Theory]
    [InlineData("Maximum Pool Size=40;Connection Idle Lifetime=120")]
    [InlineData("MaxPoolSize=40;ConnectionIdleLifetime=120")]
    [InlineData("maximum pool size = 40; connectionidlelifetime = 120")]
    public void Limits_given_in_the_connection_string_win_whatever_their_spelling(string limits)
    {
        var result = new NpgsqlConnectionStringBuilder(ServiceDatabase.WithPoolLimits($"{AspireShaped};{limits}"));

        Assert.Equal(40, result.MaxPoolSize);
        Assert.Equal(120, result.ConnectionIdleLifetime);
    }

    [Fact]
    public void A_services_context_turns_savepoints_off_and_leaves_failed_commands_to_whoever_handles_them()
    {
        var options = new DbContextOptionsBuilder();
        ServiceDatabase.ConfigureContext(options);

        var core = options.Options.FindExtension<CoreOptionsExtension>()!;
        Assert.Contains(NoSavepoints.Instance, core.Interceptors!);
        Assert.Equal(LogLevel.Debug, core.WarningsConfiguration.GetLevel(RelationalEventId.CommandError));
        Assert.Equal(LogLevel.Debug, core.WarningsConfiguration.GetLevel(CoreEventId.SaveChangesFailed));
        Assert.Equal(LogLevel.Debug, core.WarningsConfiguration.GetLevel(CoreEventId.QueryIterationFailed));
        // Only those three: EF Core's other reports keep their levels.
        Assert.Null(core.WarningsConfiguration.GetLevel(RelationalEventId.CommandExecuted));
    }
}
