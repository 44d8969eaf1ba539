using Shop.AppHost.Runtime;

namespace Shop.Tests.Runtime;

public sealed class SecretStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"shop-secrets-{Guid.NewGuid():N}");

    [Fact]
    public void a_generated_secret_is_kept_owner_only_and_reused()
    {
        var first = new SecretStore(_dir).GetOrCreate("postgres-password");
        var again = new SecretStore(_dir).GetOrCreate("postgres-password");
        var other = new SecretStore(_dir).GetOrCreate("cache-password");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Matches("^[A-Za-z0-9]{24}$", first);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "secrets.json")));
    }

    [Fact]
    public void a_configured_parameter_wins_and_a_missing_one_names_its_key()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Configuration["Parameters:api-key"] = "from-config";
        var configured = builder.AddParameter("api-key", secret: true);
        var missing = builder.AddParameter("not-set", secret: true);

        Assert.Equal("from-config", configured.Resource.Value);
        Assert.True(configured.Resource.Secret);
        var ex = Assert.Throws<DistributedApplicationException>(() => missing.Resource.Value);
        Assert.Contains("Parameters:not-set", ex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
