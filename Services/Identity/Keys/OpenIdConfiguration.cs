using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Keys;

/// <summary>
/// <c>GET /.well-known/openid-configuration</c>: where every service's JwtBearer finds the issuer and the JWKS.
/// The URLs use the service-discovery name <c>http://identity</c> on purpose: the services fetch them through service
/// discovery (there is no single public host inside the system).
/// </summary>
public static class OpenIdConfiguration
{
    public sealed record Document(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("jwks_uri")] string JwksUri,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms,
        [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypes,
        [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> Claims);

    private static readonly Document Current = new(
        ShopAuth.Issuer,
        $"{ShopAuth.IdentityServiceUrl}{WellKnown.JwksPath}",
        $"{ShopAuth.IdentityServiceUrl}/api/v1/auth/token",
        [SigningKeyStore.Algorithm],
        ["public"],
        ["sub", "email", "name", "role", "iss", "aud", "exp", "iat", "nbf", "jti"]);

    public static Ok<Document> Handle(HttpResponse response)
    {
        response.Headers.CacheControl = WellKnown.CacheControl;
        return TypedResults.Ok(Current);
    }
}

public static class WellKnown
{
    public const string JwksPath = "/.well-known/jwks.json";
    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";
    public const string CacheControl = "public, max-age=300";
}
