namespace Shop.Identity.Data;

public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the user typed it (trimmed); shown back and put in tokens.</summary>
    public required string Email { get; set; }

    /// <summary>Upper-case invariant form of <see cref="Email"/>; unique, so "A@x.io" and "a@X.io" are one account.</summary>
    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>ASP.NET Core Identity <c>PasswordHasher</c> format (PBKDF2, salt and iteration count inside).</summary>
    public required string PasswordHash { get; set; }

    /// <summary><c>customer</c> or <c>admin</c> (<see cref="ShopAuth"/>).</summary>
    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
