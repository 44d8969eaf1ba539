using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Shop.AppHost.Dashboard;

/// <summary>Browser-token login, as Aspire's dashboard: the token printed by the AppHost buys an auth cookie.</summary>
internal static class DashboardAuth
{
    public static bool IsValidToken(DashboardOptions options, string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }
        // Hash both sides first so the comparison takes the same time whatever the candidate's length.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.BrowserToken));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public static Task SignInAsync(HttpContext context)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "browser-token")], CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>Only same-site paths: a crafted ReturnUrl must not send the person elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is ['/', not '/' and not '\\', ..] || returnUrl == "/" ? returnUrl : "/";
}
