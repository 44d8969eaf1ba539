using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;

namespace Shop.AppHost.Runtime;

/// <summary>
/// Generated secrets (server passwords), created on first use and kept in the state directory, readable by the owner
/// only, so a second run reuses the data directories they protect. Values are never logged.
/// </summary>
internal sealed class SecretStore(string stateDirectory)
{
    private readonly Lock _gate = new();
    private string FilePath => Path.Combine(stateDirectory, "secrets.json");

    public string GetOrCreate(string name)
    {
        lock (_gate)
        {
            var secrets = Load();
            if (!secrets.TryGetValue(name, out var value))
            {
                value = Generate();
                secrets[name] = value;
                Save(secrets);
            }
            return value;
        }
    }

    // Letters and digits only: the value goes into URIs, Npgsql strings and config files unescaped. At least one
    // of each, so it also passes password policies that ask for a letter and a digit (identity's admin).
    internal static string Generate()
    {
        while (true)
        {
            var value = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 24);
            if (value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter))
            {
                return value;
            }
        }
    }

    private Dictionary<string, string> Load()
        => File.Exists(FilePath)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(FilePath)) ?? []
            : [];

    private void Save(Dictionary<string, string> secrets)
    {
        StateDirectory.Ensure(stateDirectory);
        var tmp = FilePath + ".tmp";
        File.WriteAllText(tmp, "");
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(tmp, JsonSerializer.Serialize(secrets, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, FilePath, overwrite: true);
    }
}

internal static class SecretStoreAccessor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDistributedApplicationBuilder, Lazy<SecretStore>> Stores = [];

    /// <summary>The builder's store, created lazily: the state directory is only touched when a secret is needed.</summary>
    public static Lazy<SecretStore> For(IDistributedApplicationBuilder builder)
        => Stores.GetValue(builder, b => new Lazy<SecretStore>(() =>
        {
            var options = ((IDistributedApplicationOptionsAccessor)b).Options;
            var dir = options.StateDirectory ?? b.Configuration["AppHost:StateDirectory"] ?? RuntimeOptions.DefaultStateDirectory(b.AppHostDirectory);
            return new SecretStore(Path.GetFullPath(dir));
        }));
}

internal static class StateDirectory
{
    /// <summary>Creates the directory as traversable but not listable by others (0711), so the postgres user can reach its own subfolder.</summary>
    public static void Ensure(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        var parent = Path.GetDirectoryName(path);
        if (parent is not null)
        {
            Ensure(parent);
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
