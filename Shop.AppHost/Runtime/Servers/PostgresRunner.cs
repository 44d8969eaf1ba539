using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.AppHost.Runtime.Servers;

/// <summary>A private PostgreSQL server: initdb on first run, data kept in the state directory, bound to 127.0.0.1.</summary>
internal sealed class PostgresRunner(PostgresServerResource resource, RunnerContext context) : ResourceRunner(resource, context)
{
    private const string SystemUser = "postgres";
    private ManagedProcess? _process;

    public override IEnumerable<int> ProcessIds => _process is { } p ? [p.ProcessId] : [];

    public override void AllocateEndpoints()
    {
        var ep = resource.PrimaryEndpoint.Endpoint;
        ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", AllocatePort(ep, Context.Options.RandomizePorts));
    }

    private static string? FindBinDirectory()
        => Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public override async Task StartAsync(CancellationToken ct)
    {
        await Context.Installer.EnsureAsync("postgresql", () => FindBinDirectory() is not null, Progress, ct).ConfigureAwait(false);
        var bin = FindBinDirectory()!;
        var dir = StateDirectoryFor(Name);
        var data = Path.Combine(dir, "data");
        var run = Path.Combine(dir, "run");
        var user = Environment.IsPrivilegedProcess ? SystemUser : null;

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await InitializeAsync(bin, dir, data, run, user, ct).ConfigureAwait(false);
        }
        else if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            var first = File.ReadLines(Path.Combine(data, "postmaster.pid")).FirstOrDefault();
            await ServerProcess.StopStaleAsync(int.TryParse(first, out var pid) ? pid : null, data, Progress).ConfigureAwait(false);
        }

        var port = resource.PrimaryEndpoint.Port;
        var (file, args) = ServerProcess.AsUser(user, Path.Combine(bin, "postgres"),
        [
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={run}",
            "-c", "max_connections=300", "-c", "logging_collector=off",
        ]);
        _process = StartProcess(file, args, new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" }, dir);
        WatchForExit(_process, "postgres");
        Context.Logs.Write(Name, $"postgres started (pid {_process.ProcessId}) on 127.0.0.1:{port}, data in {data}");
    }

    private async Task InitializeAsync(string bin, string dir, string data, string run, string? user, CancellationToken ct)
    {
        Progress("initializing a new database cluster (initdb)");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(run);
        var pwfile = Path.Combine(dir, ".pwfile");
        await File.WriteAllTextAsync(pwfile, resource.PasswordParameter.Value, ct).ConfigureAwait(false);
        File.SetUnixFileMode(pwfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (user is not null)
        {
            ServerProcess.ChownRecursive(dir, user);
        }
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var (file, args) = ServerProcess.AsUser(user, Path.Combine(bin, "initdb"),
                ["-D", data, "-U", resource.UserName, $"--pwfile={pwfile}", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]);
            var (code, output) = await ServerProcess.RunAsync(file, args, ct).ConfigureAwait(false);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Log(line);
            }
            if (code != 0)
            {
                throw new InvalidOperationException($"initdb failed with exit code {code}: {output.Trim()}");
            }
        }
        finally
        {
            File.Delete(pwfile);
        }
    }

    public override Func<CancellationToken, Task<HealthCheckResult>> HealthCheck => async ct =>
    {
        var cs = await resource.GetConnectionStringAsync(ct).ConfigureAwait(false);
        return await PostgresHealth.CheckAsync($"{cs};Database=postgres", database: null, ct).ConfigureAwait(false);
    };

    public override async Task StopAsync()
    {
        if (_process is { } p)
        {
            // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
            await p.StopAsync(ManagedProcess.SIGINT, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The AppHost's check of a PostgreSQL server or one of its databases, over one kept connection to the server's
/// <c>postgres</c> database: <c>SELECT 1</c>, or whether the database exists and accepts connections. A new connection
/// for every check (every 5 s for each of eight resources) cost PostgreSQL a forked backend, a SCRAM exchange and a
/// cold catalogue cache each time: two thirds of its idle CPU. A kept connection that fails (the server restarted) is
/// dropped and the check asks once more on a fresh one, so a restart does not show as a false "unhealthy".
/// </summary>
internal static class PostgresHealth
{
    public static async Task<HealthCheckResult> CheckAsync(string connectionString, string? database, CancellationToken ct)
    {
        // One pooled connection, kept between checks and shared by the server's and every database's check (Npgsql
        // pools by connection string, and all of them name the server's postgres database).
        var csb = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 3, Pooling = true, MaxPoolSize = 1, ConnectionIdleLifetime = 60, ApplicationName = "apphost-health",
        };
        if (await TryAskAsync(csb.ConnectionString, database, ct).ConfigureAwait(false) is null)
        {
            return HealthCheckResult.Healthy();
        }
        NpgsqlConnection.ClearPool(new NpgsqlConnection(csb.ConnectionString));
        return await TryAskAsync(csb.ConnectionString, database, ct).ConfigureAwait(false) is { } again
            ? HealthCheckResult.Unhealthy(again)
            : HealthCheckResult.Healthy();
    }

    /// <summary>Null when the server answered and the database (if any) accepts connections; otherwise why not.</summary>
    private static async Task<string?> TryAskAsync(string connectionString, string? database, CancellationToken ct)
    {
        try
        {
            // A hard 3 s: a command that times out on a stalled server first waits for its cancellation request too.
            return await AskAsync(connectionString, database, ct).WaitAsync(TimeSpan.FromSeconds(3), ct).ConfigureAwait(false)
                ? null
                : $"database {database} does not exist or does not accept connections";
        }
        catch (TimeoutException)
        {
            return "no answer within 3 s";
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return ex.Message;
        }
    }

    private static async Task<bool> AskAsync(string connectionString, string? database, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = database is null
            ? new NpgsqlCommand("SELECT true", conn)
            : new NpgsqlCommand("SELECT datallowconn FROM pg_database WHERE datname = @n", conn) { Parameters = { new("n", database) } };
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
    }
}
