using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Servers;

/// <summary>
/// Where the servers keep their data between runs: <c>Shop:StateDirectory</c> if configured (the tests give each run
/// its own), else one directory per checkout. As root that is under /var/lib/shop, not in the clone: PostgreSQL runs
/// as user postgres and could not reach a data directory below a 0700 home such as /root.
/// </summary>
public static class ServerState
{
    public const string ConfigurationKey = "Shop:StateDirectory";

    public static string Directory(IConfiguration configuration, string appHostDirectory)
        => Path.GetFullPath(configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : Default(appHostDirectory));

    private static string Default(string appHostDirectory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..10];
        var leaf = $"{Path.GetFileName(Path.GetDirectoryName(appHostDirectory.TrimEnd('/')) ?? "shop")}-{hash}";
        if (Environment.IsPrivilegedProcess)
        {
            return Path.Combine("/var/lib/shop", leaf);
        }
        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "shop", leaf);
    }

    /// <summary>
    /// The servers listen on 127.0.0.1 only, and their connection strings say so: "localhost" first resolves to ::1,
    /// where the RabbitMQ client then fails instead of trying the IPv4 address.
    /// </summary>
    public static IResourceBuilder<T> OnLoopback<T>(this IResourceBuilder<T> builder, string endpoint) where T : IResourceWithEndpoints
        => builder.WithEndpoint(endpoint, e => e.TargetHost = "127.0.0.1");

    /// <summary>A server's own directory, readable by nobody else (it holds a password in a config file).</summary>
    public static string PrivateDirectory(string stateDirectory, string name)
    {
        var dir = Path.Combine(stateDirectory, name);
        System.IO.Directory.CreateDirectory(stateDirectory);
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    /// <summary>Writes a file only its owner can read, without a moment in which it is readable by others.</summary>
    public static void WritePrivateFile(string path, string text)
    {
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, text);
    }

    /// <summary>A server's password: generated on first run, kept in the AppHost's user secrets, never logged.</summary>
    internal static IResourceBuilder<ParameterResource> AddServerPassword(this IDistributedApplicationBuilder builder, string name)
        => builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22, Special = false }, secret: true, persist: true);

    /// <summary>Registers a server's health check (5 s to answer) under "{name}_check" and returns that key.</summary>
    internal static string AddServerHealthCheck(this IDistributedApplicationBuilder builder, string name, Func<IServiceProvider, IHealthCheck> check)
    {
        var key = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        return key;
    }
}
