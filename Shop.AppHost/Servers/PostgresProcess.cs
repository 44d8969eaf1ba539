using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.AppHost.Servers;

/// <summary>PostgreSQL run as a process of this machine (Debian's package), in Aspire's connection-string format.</summary>
public sealed class PostgresProcessResource(string name, ParameterResource password, string directory)
    : ExecutableResource(name, "setpriv", directory), IResourceWithConnectionString
{
    public const string UserName = "postgres";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    /// <summary>Resource name → database name, created once the server is ready.</summary>
    public Dictionary<string, string> Databases { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}

public sealed class PostgresProcessDatabaseResource(string name, string databaseName, PostgresProcessResource parent)
    : Resource(name), IResourceWithParent<PostgresProcessResource>, IResourceWithConnectionString
{
    public PostgresProcessResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class PostgresProcessExtensions
{
    /// <summary>
    /// A private PostgreSQL server: acquired with apt-get on first run, initdb'd into the state directory (kept across
    /// runs), bound to localhost on a port of its own, healthy once it answers a query.
    /// </summary>
    public static IResourceBuilder<PostgresProcessResource> AddPostgresProcess(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var password = builder.AddServerPassword(name);
        var dir = Path.Combine(stateDirectory, name);
        var server = new PostgresProcessResource(name, password.Resource, stateDirectory);
        var healthKey = builder.AddServerHealthCheck(name, _ => new PostgresHealthCheck(server, database: null));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            var console = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.AppHost");
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await DebianPackages.EnsureAsync("postgresql", () => FindBinDirectory() is not null, console, log, ct).ConfigureAwait(false);
            await PrepareDataDirectoryAsync(server, dir, log, ct).ConfigureAwait(false);
        });
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, (e, ct) => CreateDatabasesAsync(server, e.Services, ct));
        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            var lifetime = e.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.ApplicationStopping.Register(PostgresHealthCheck.Release);
            _ = MirrorStateOntoDatabasesAsync(server, e.Services.GetRequiredService<ResourceNotificationService>(), builder.Resources, lifetime.ApplicationStopping);
            return Task.CompletedTask;
        });

        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false).OnLoopback("tcp")
            .WithIconName("DatabaseMultiple")
            .WithEnvironment("LC_ALL", "C.UTF-8")
            .WithArgs(context =>
            {
                var bin = FindBinDirectory() ?? throw new InvalidOperationException("PostgreSQL's binaries are missing.");
                // PostgreSQL refuses to run as root: as root, setpriv runs it as Debian's postgres user (it execs, so the
                // process DCP watches is the postmaster itself).
                if (Environment.IsPrivilegedProcess)
                {
                    context.Args.Add($"--reuid={PostgresProcessResource.UserName}");
                    context.Args.Add($"--regid={PostgresProcessResource.UserName}");
                    context.Args.Add("--init-groups");
                }
                context.Args.Add("--");
                context.Args.Add(Path.Combine(bin, "postgres"));
                foreach (var arg in new[] { "-D", Path.Combine(dir, "data"), "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={Path.Combine(dir, "run")}",
                             "-c", "max_connections=300", "-c", "logging_collector=off", "-p" })
                {
                    context.Args.Add(arg);
                }
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthKey).WithReadinessPolling();
    }

    public static IResourceBuilder<PostgresProcessDatabaseResource> AddDatabase(this IResourceBuilder<PostgresProcessResource> server, string name)
    {
        var database = new PostgresProcessDatabaseResource(name, name, server.Resource);
        server.Resource.Databases[name] = name;
        var healthKey = server.ApplicationBuilder.AddServerHealthCheck(name, _ => new PostgresHealthCheck(server.Resource, database.DatabaseName));
        return server.ApplicationBuilder.AddResource(database).WithIconName("Database").WithHealthCheck(healthKey).WithReadinessPolling();
    }

    private static string? FindBinDirectory()
        => Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static async Task PrepareDataDirectoryAsync(PostgresProcessResource server, string dir, ILogger log, CancellationToken ct)
    {
        var data = Path.Combine(dir, "data");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            log.LogInformation("Initializing a new database cluster in {Directory}", data);
            Directory.CreateDirectory(Path.Combine(dir, "run"));
            var pwfile = Path.Combine(dir, ".pwfile");
            ServerState.WritePrivateFile(pwfile, await server.PasswordParameter.GetValueAsync(ct).ConfigureAwait(false) ?? "");
            try
            {
                if (Environment.IsPrivilegedProcess)
                {
                    await RunAsync("chown", ["-R", $"{PostgresProcessResource.UserName}:{PostgresProcessResource.UserName}", dir], log, ct).ConfigureAwait(false);
                }
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                List<string> initdb = [Path.Combine(FindBinDirectory()!, "initdb"), "-D", data, "-U", PostgresProcessResource.UserName, $"--pwfile={pwfile}",
                    "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"];
                await RunAsync("setpriv", Environment.IsPrivilegedProcess ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. initdb] : ["--", .. initdb], log, ct).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(pwfile);
            }
        }
        else if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            // A server left running by an AppHost that was killed (no Ctrl+C) holds the data directory: stop it, but
            // only if that pid really is a postgres of this directory.
            var first = File.ReadLines(Path.Combine(data, "postmaster.pid")).FirstOrDefault();
            if (int.TryParse(first, out var pid) && File.Exists($"/proc/{pid}/cmdline")
                && (await File.ReadAllTextAsync($"/proc/{pid}/cmdline", ct).ConfigureAwait(false)).Contains(data, StringComparison.Ordinal))
            {
                log.LogWarning("Stopping a PostgreSQL left over from an earlier run (pid {Pid})", pid);
                using var stale = Process.GetProcessById(pid);
                stale.Kill(entireProcessTree: true);
                await stale.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A database lives and dies with its server: Aspire passes a container's state on to its databases, but not an
    /// executable's, so without this they would stay "not started" and every service waiting for one would wait forever.
    /// </summary>
    private static async Task MirrorStateOntoDatabasesAsync(PostgresProcessResource server, ResourceNotificationService notifications, IResourceCollection resources, CancellationToken ct)
    {
        var databases = resources.OfType<PostgresProcessDatabaseResource>().Where(d => d.Parent == server).ToList();
        try
        {
            await foreach (var e in notifications.WatchAsync(ct).ConfigureAwait(false))
            {
                if (e.Resource != server || e.Snapshot.State is null)
                {
                    continue;
                }
                foreach (var database in databases)
                {
                    await notifications.PublishUpdateAsync(database, s => s with
                    {
                        State = e.Snapshot.State,
                        StartTimeStamp = e.Snapshot.StartTimeStamp,
                        StopTimeStamp = e.Snapshot.StopTimeStamp,
                    }).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task CreateDatabasesAsync(PostgresProcessResource server, IServiceProvider services, CancellationToken ct)
    {
        var log = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false);
        await using var conn = new NpgsqlConnection($"{connectionString};Database=postgres;Pooling=false");
        await conn.OpenAsync(ct).ConfigureAwait(false);
        foreach (var database in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
            exists.Parameters.AddWithValue("n", database);
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
            {
                // Identifiers cannot be parameters; quote it (doubling any quote) instead.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                log.LogInformation("Created database {Database}", database);
            }
        }
    }

    private static async Task RunAsync(string file, IEnumerable<string> args, ILogger log, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            log.LogInformation("{Line}", line);
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed with exit code {p.ExitCode.ToString(CultureInfo.InvariantCulture)}: {output.Trim()}");
        }
    }
}
