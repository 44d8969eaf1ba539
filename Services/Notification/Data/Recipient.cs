namespace Shop.Notification.Data;

/// <summary>
/// Where a user's notifications go, as identity last announced it (<c>UserRegistered</c>, <c>UserProfileChanged</c>).
/// A local copy, so sending never has to call identity.
/// </summary>
public sealed class Recipient
{
    public Guid UserId { get; set; }

    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
