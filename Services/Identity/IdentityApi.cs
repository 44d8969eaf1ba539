using Shop.Identity.Auth;
using Shop.Identity.Keys;
using Shop.Identity.Users;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity;

public static class IdentityApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users");
        users.MapPost("", RegisterUser.HandleAsync)
            .WithName("RegisterUser")
            .WithSummary("Registers a customer account.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var me = users.MapGroup("/me").RequireAuthorization(ShopAuth.CustomerPolicy);
        me.MapGet("", GetMe.HandleAsync)
            .WithName("GetMe")
            .WithSummary("Gets the signed-in user's profile.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapPut("", UpdateMe.HandleAsync)
            .WithName("UpdateMe")
            .WithSummary("Changes the signed-in user's display name.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapPost("/token", IssueToken.HandleAsync)
            .WithName("IssueToken")
            .WithSummary("Signs in with email and password: an access token (15 min) and a refresh token.");
        auth.MapPost("/refresh", RefreshAccessToken.HandleAsync)
            .WithName("RefreshAccessToken")
            .WithSummary("Trades a refresh token (once) for a new access token and refresh token.");
        return app;
    }

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("").WithTags("Keys");
        wellKnown.MapGet(WellKnown.JwksPath, Jwks.HandleAsync)
            .WithName("GetJwks")
            .WithSummary("The public keys that validate access tokens.");
        wellKnown.MapGet(WellKnown.OpenIdConfigurationPath, OpenIdConfiguration.Handle)
            .WithName("GetOpenIdConfiguration")
            .WithSummary("Discovery document: issuer and JWKS location.");

        var admin = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(ShopAuth.AdminPolicy);
        admin.MapPost("/signing-keys", RotateSigningKey.HandleAsync)
            .WithName("RotateSigningKey")
            .WithSummary("Creates a signing key that signs from now on; the previous keys stay published.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
