namespace Shop.Identity.Data;

/// <summary>An ES256 (ECDSA P-256) key that signs access tokens. Deliberately no ToString or record: never printable.</summary>
public sealed class SigningKey
{
    /// <summary>RFC 7638 JWK thumbprint of the public key; the <c>kid</c> header of the tokens it signs.</summary>
    public required string Kid { get; set; }

    /// <summary>PKCS#8 DER of the private key. Never logged, never returned by any endpoint.</summary>
    public required byte[] PrivateKeyPkcs8 { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Published in the JWKS and trusted for validation; the newest active key signs. False means retired.</summary>
    public bool IsActive { get; set; }
}
