using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Identity.Keys;

/// <summary><c>GET /.well-known/jwks.json</c>: the public halves of every active key (RFC 7517).</summary>
public static class Jwks
{
    public sealed record JsonWebKeyView(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

    public sealed record JsonWebKeySetView(IReadOnlyList<JsonWebKeyView> Keys);

    public static async Task<Ok<JsonWebKeySetView>> HandleAsync(SigningKeyStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var keys = await store.GetAsync(cancellationToken);
        // Validators refetch on an unknown kid anyway, so a few minutes of caching costs nothing at rotation.
        response.Headers.CacheControl = WellKnown.CacheControl;
        return TypedResults.Ok(new JsonWebKeySetView(
            [.. keys.Published.Select(k => new JsonWebKeyView("EC", "P-256", k.X, k.Y, k.Kid, "sig", SigningKeyStore.Algorithm))]));
    }
}
