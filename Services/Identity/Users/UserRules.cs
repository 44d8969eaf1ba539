using System.Net.Mail;
using Shop.Identity.Data;

namespace Shop.Identity.Users;

/// <summary>Field rules shared by registration, profile updates and the admin seed. Messages never echo the input.</summary>
public static class UserRules
{
    public const int PasswordMinLength = 10;

    // Long enough for any passphrase; bounds the work of hashing what a caller sends.
    public const int PasswordMaxLength = 128;

    /// <summary>The lookup key: "Ann@Example.com " and "ann@example.COM" are one account.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public static void ValidateEmail(string? email, Dictionary<string, string[]> errors)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors["email"] = ["Required."];
        }
        else if (trimmed.Length > IdentityDbContext.EmailMaxLength)
        {
            errors["email"] = [$"Must be at most {IdentityDbContext.EmailMaxLength} characters."];
        }
        // A bare address only: MailAddress also accepts "Ann <ann@example.com>", whose Address then differs.
        else if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !trimmed.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = ["Must be an email address such as name@example.com."];
        }
    }

    public static void ValidateDisplayName(string? displayName, Dictionary<string, string[]> errors)
    {
        var trimmed = displayName?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors["displayName"] = ["Required: 1 to 100 characters."];
        }
        else if (trimmed.Length > IdentityDbContext.DisplayNameMaxLength)
        {
            errors["displayName"] = [$"Must be at most {IdentityDbContext.DisplayNameMaxLength} characters."];
        }
        else if (trimmed.Any(char.IsControl))
        {
            errors["displayName"] = ["Must not contain control characters."];
        }
    }

    /// <summary>Lists every rule the password breaks, so the user can fix them all at once.</summary>
    public static void ValidatePassword(string? password, string? email, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["Required."];
            return;
        }

        var broken = new List<string>();
        if (password.Length < PasswordMinLength)
        {
            broken.Add($"Must be at least {PasswordMinLength} characters.");
        }
        if (password.Length > PasswordMaxLength)
        {
            broken.Add($"Must be at most {PasswordMaxLength} characters.");
        }
        if (!password.Any(char.IsLetter))
        {
            broken.Add("Must contain at least one letter.");
        }
        if (!password.Any(char.IsDigit))
        {
            broken.Add("Must contain at least one digit.");
        }
        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            broken.Add("Must not be the same as the email.");
        }
        if (broken.Count > 0)
        {
            errors["password"] = [.. broken];
        }
    }
}
