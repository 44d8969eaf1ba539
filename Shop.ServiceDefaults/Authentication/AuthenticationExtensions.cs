using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>The names every service agrees on for tokens issued by identity.</summary>
public static class ShopAuth
{
    /// <summary>The "iss" of every access token, and the issuer in identity's discovery document.</summary>
    public const string Issuer = "shop-identity";

    /// <summary>The "aud" of every access token.</summary>
    public const string Audience = "shop";

    /// <summary>Policy: any signed-in user (a customer or an admin).</summary>
    public const string CustomerPolicy = "customer";

    /// <summary>Policy: users with the admin role.</summary>
    public const string AdminPolicy = "admin";

    public const string AdminRole = "admin";
    public const string CustomerRole = "customer";

    /// <summary>The service-discovery name of identity, whose keys (JWKS) validate every token.</summary>
    public const string IdentityServiceUrl = "http://identity";
}

public static class AuthenticationExtensions
{
    /// <summary>
    /// Validates access tokens in this service itself (defence in depth: a call that bypasses the gateway is still
    /// checked). Keys come from identity's discovery document and JWKS, fetched through service discovery, cached, and
    /// fetched again when a token names an unknown key id (key rotation).
    /// </summary>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var identity = builder.Configuration["Identity:Url"] ?? ShopAuth.IdentityServiceUrl;
        builder.Services.AddHttpClient("identity-keys");
        // The start-up probe asks again itself; retries (and their warnings) would only fill every service's log.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) in the pinned 10.11 package.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(SigningKeysWarmup.ProbeClient).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.RemoveDataProtectionStartup();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, clients) =>
            {
                options.MetadataAddress = $"{identity.TrimEnd('/')}/.well-known/openid-configuration";
                // Inside the system traffic is plain HTTP between loopback processes (TLS ends at the edge).
                options.RequireHttpsMetadata = false;
                options.Backchannel = clients.CreateClient("identity-keys");
                options.MapInboundClaims = false;
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new CachingJsonWebTokenHandler { MapInboundClaims = false });
                // Say "invalid_token", not why: the reason helps an attacker more than a legitimate caller.
                options.IncludeErrorDetails = false;
                // The least time between two key fetches that an unknown key id triggers (the smallest IdentityModel allows).
                options.RefreshInterval = TimeSpan.FromSeconds(1);
                options.Events = new JwtBearerEvents { OnAuthenticationFailed = RetryWithFreshKeysAsync };
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = ShopAuth.Issuer,
                    ValidAudience = ShopAuth.Audience,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
                };
            });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<SigningKeysWarmup>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ShopAuth.CustomerPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(ShopAuth.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(ShopAuth.AdminRole));
        return builder;
    }

    internal const string DataProtectionStartupType = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>
    /// <c>AddAuthentication</c> registers ASP.NET Core Data Protection, which cookie schemes need, and with it a hosted
    /// service that loads the key ring at start-up: it created a key file in the user profile, logged that keys are
    /// not encrypted at rest, and loaded the XML stack (about 3 MB resident) in every service. Bearer tokens never use
    /// Data Protection. Anything that does later still gets its key ring, loaded on first use.
    /// </summary>
    internal static void RemoveDataProtectionStartup(this IServiceCollection services)
    {
        var startup = services.FirstOrDefault(descriptor =>
            descriptor.ServiceType == typeof(IHostedService)
            && descriptor.ImplementationType?.FullName == DataProtectionStartupType);
        if (startup is not null)
        {
            services.Remove(startup);
        }
    }

    /// <summary>
    /// A token signed by a key this service has not seen yet (identity just rotated) fails with "key not found", and
    /// JwtBearer only schedules a key refresh (in the background) for later requests. Fetch identity's keys now —
    /// at most once a second, so a flood of made-up key ids cannot turn into a flood of fetches — and validate again,
    /// so the first caller with a new token is not turned away.
    /// </summary>
    private static async Task RetryWithFreshKeysAsync(AuthenticationFailedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || context.Options.Backchannel is null || context.Options.MetadataAddress is null)
        {
            return;
        }
        var keys = await FreshKeys.GetAsync(context.Options, context.HttpContext.RequestAborted);
        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = keys;
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { MapInboundClaims = false }
            .ValidateTokenAsync(header["Bearer ".Length..].Trim(), parameters);
        if (result.IsValid)
        {
            context.Principal = new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity);
            context.Success();
            context.Options.ConfigurationManager?.RequestRefresh(); // and let JwtBearer's own cache catch up
        }
    }

    private static class FreshKeys
    {
        /// <summary>How long a request waits for its turn to fetch; past that it is refused with the keys it has.</summary>
        private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static (DateTimeOffset At, ICollection<SecurityKey> Keys) _last = (DateTimeOffset.MinValue, []);

        public static async Task<ICollection<SecurityKey>> GetAsync(JwtBearerOptions options, CancellationToken ct)
        {
            // A flood of made-up key ids queues here; each waits at most MaxWait, so none is held for long.
            if (!await Gate.WaitAsync(MaxWait, ct))
            {
                return _last.Keys;
            }
            try
            {
                // At most one fetch a second: a key id we have not seen right after a fetch (identity rotated a moment
                // later) waits out the rest of that second and fetches again, instead of being refused with stale keys.
                var sinceLast = DateTimeOffset.UtcNow - _last.At;
                if (sinceLast < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1) - sinceLast, ct);
                }
                var retriever = new Microsoft.IdentityModel.Protocols.HttpDocumentRetriever(options.Backchannel) { RequireHttps = false };
                var configuration = await Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfigurationRetriever
                    .GetAsync(options.MetadataAddress, retriever, ct);
                _last = (DateTimeOffset.UtcNow, configuration.SigningKeys);
                return _last.Keys;
            }
            finally
            {
                Gate.Release();
            }
        }
    }
}
