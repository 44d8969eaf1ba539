using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Tests.Defaults;

/// <summary>
/// A service that validates bearer tokens does not load (or create) a Data Protection key ring at start-up, and
/// Data Protection still works if something asks for it.
/// </summary>
public sealed class DataProtectionStartupTests
{
    [Fact]
    public void The_key_ring_is_not_loaded_at_start_up()
    {
        // The removal finds the hosted service by name: if ASP.NET Core renames it, this fails instead of the removal
        // silently doing nothing.
        Assert.NotNull(typeof(DataProtectionOptions).Assembly.GetType(AuthenticationExtensions.DataProtectionStartupType));

        var builder = WebApplication.CreateBuilder();
        builder.AddDefaultAuthentication();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IDataProtectionProvider));
        Assert.DoesNotContain(builder.Services, d =>
            d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == AuthenticationExtensions.DataProtectionStartupType);
    }

    [Fact]
    public void Data_protection_still_works_when_asked_for()
    {
        var keys = Directory.CreateTempSubdirectory("shop-keys-");
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.AddDefaultAuthentication();
            builder.Services.AddDataProtection().PersistKeysToFileSystem(keys);
            using var app = builder.Build();

            var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

            Assert.Equal("secret", protector.Unprotect(protector.Protect("secret")));
            Assert.Single(keys.GetFiles("key-*.xml"));
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
