using Shop.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Identity;
using Shop.Contracts;
using Shop.Identity.Auth;
using Shop.Identity.Data;
using Shop.Identity.Keys;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Identity;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<IdentityDbContext>("identitydb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        // Identity only publishes.
        builder.AddMessaging<IdentityDbContext>("identitydb", Queues.Identity, routes => routes
            .Publish<UserRegistered>()
            .Publish<UserProfileChanged>(), handlesMessages: false);

        builder.Services.AddOptions<IdentityServiceOptions>()
            .BindConfiguration(IdentityServiceOptions.SectionName)
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > TimeSpan.Zero,
                "Identity:AccessTokenLifetime and Identity:RefreshTokenLifetime must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<CredentialVerifier>();

        // The same JwtBearer rules as every service, but keys from our own store instead of from ourselves over HTTP.
        builder.AddDefaultAuthentication();
        builder.AddLocalTokenValidation();

        builder.AddMigrations<IdentityDbContext, IdentitySeed>();

        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.AddServiceOpenApi("Shop identity API");
    }
}
