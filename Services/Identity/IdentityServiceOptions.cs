namespace Shop.Identity;

/// <summary>The <c>Identity</c> configuration section (environment: <c>Identity__AdminEmail</c> and so on).</summary>
public sealed class IdentityServiceOptions
{
    public const string SectionName = "Identity";

    /// <summary>With <see cref="AdminPassword"/>, the admin account ensured at start-up. Both unset: no admin is seeded.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>A secret: never logged, never echoed in an error.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Lifetime of access tokens. Lowered only to test expiry.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of each refresh token; every rotation starts a new one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
}
