using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Keys;

public static class LocalTokenValidation
{
    /// <summary>
    /// Identity validates its own tokens against the key store it signs with. <c>AddDefaultAuthentication</c> would have
    /// it fetch its own discovery document through service discovery: a call to itself, which fails while it starts and
    /// adds a hop to every cold validation. Issuer, audience, lifetime and algorithm rules stay those of ServiceDefaults.
    /// </summary>
    public static TBuilder AddLocalTokenValidation<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Post-configure runs after JwtBearer's own post-configure, which has already built a remote ConfigurationManager.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<SigningKeyStore>((options, store) =>
            {
                options.ConfigurationManager = new StoreConfigurationManager(store);

                // A token signed by a key another replica has just created: load it before validation instead of
                // failing this request and only refreshing for the next one.
                options.Events ??= new JwtBearerEvents();
                var previous = options.Events.OnMessageReceived;
                options.Events.OnMessageReceived = async context =>
                {
                    await previous(context);
                    if (ReadKid(context.Token ?? BearerToken(context.Request)) is { } kid)
                    {
                        await store.EnsureKnownAsync(kid, context.HttpContext.RequestAborted);
                    }
                };
            });
        return builder;
    }

    private static string? BearerToken(HttpRequest request)
    {
        const string Scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    private static string? ReadKid(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            // Malformed: the handler rejects it with the usual 401 right after.
            return null;
        }
    }

    /// <summary>Hands JwtBearer the issuer and the public keys straight from <see cref="SigningKeyStore"/>.</summary>
    private sealed class StoreConfigurationManager(SigningKeyStore store) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        private Snapshot? _snapshot;

        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            var keys = await store.GetAsync(cancel);
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is null || !ReferenceEquals(snapshot.Keys, keys))
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = ShopAuth.Issuer };
                foreach (var key in keys.ValidationKeys)
                {
                    configuration.SigningKeys.Add(key);
                }
                snapshot = new Snapshot(keys, configuration);
                Volatile.Write(ref _snapshot, snapshot);
            }
            return snapshot.Configuration;
        }

        // Unknown key ids are handled before validation (OnMessageReceived), and the store expires its own cache.
        public void RequestRefresh()
        {
        }

        private sealed record Snapshot(KeySet Keys, OpenIdConnectConfiguration Configuration);
    }
}
