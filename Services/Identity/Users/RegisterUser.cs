using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Users;

/// <summary><c>POST /api/v1/users</c>: anyone may register; new accounts are customers.</summary>
public static class RegisterUser
{
    public sealed record Request(string? Email, string? Password, string? DisplayName);

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, IdentityDbContext db, IPasswordHasher<User> hasher, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = request.Email!.Trim();
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = UserRules.NormalizeEmail(email),
            DisplayName = request.DisplayName!.Trim(),
            PasswordHash = "",
            Role = ShopAuth.CustomerRole,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        // The unique index decides, so two registrations racing for one address cannot both succeed.
        catch (DbUpdateException ex) when (IdentityDbContext.IsUniqueViolation(ex, IdentityDbContext.UserEmailIndex))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Email already registered",
                detail: "An account with this email address already exists. Sign in instead.");
        }

        return TypedResults.Created(UserView.MeLocation, UserView.From(user));
    }

    public static Dictionary<string, string[]> Validate(Request request)
    {
        var errors = new Dictionary<string, string[]>();
        UserRules.ValidateEmail(request.Email, errors);
        UserRules.ValidatePassword(request.Password, request.Email, errors);
        UserRules.ValidateDisplayName(request.DisplayName, errors);
        return errors;
    }
}
