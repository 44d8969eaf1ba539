using System.Security.Claims;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>Who is calling, read from the validated token the same way in every service.</summary>
public static class CallerExtensions
{
    /// <summary>
    /// The caller's user id: the token's <c>sub</c> (claims are not remapped, see AddDefaultAuthentication); null for a
    /// token without a usable subject, which owns nothing.
    /// </summary>
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(ShopAuth.AdminRole);
}
