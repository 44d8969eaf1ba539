namespace Shop.Identity.Data;

/// <summary>
/// One opaque refresh token. Only its SHA-256 is stored, so a leaked table cannot be replayed. Tokens descend from one
/// login in a family: each use replaces the token with a new one, and presenting a replaced token again revokes the family.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }

    /// <summary>SHA-256 of the 32 random bytes handed to the client.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>Shared by every token that descends from the same login.</summary>
    public Guid FamilyId { get; set; }

    public Guid UserId { get; set; }

    public User User { get; set; } = null!;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set when the token was used (rotated): the id of its successor. A used token is never valid again.</summary>
    public Guid? ReplacedBy { get; set; }

    /// <summary>Set when the family was revoked (reuse detected, or the admin account was reset).</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
