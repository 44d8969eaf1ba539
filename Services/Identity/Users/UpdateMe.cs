using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Users;

/// <summary>
/// <c>PUT /api/v1/users/me</c>: changes the display name. Tokens already issued keep the old <c>name</c> claim until
/// they are refreshed; the profile itself is the source of truth.
/// </summary>
public static class UpdateMe
{
    public sealed record Request(string? DisplayName);

    public static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal principal, IdentityDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UserRules.ValidateDisplayName(request.DisplayName, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = UserView.SignedInUserId(principal);
        var user = userId is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return UserView.AccountGone();
        }

        user.DisplayName = request.DisplayName!.Trim();
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserView.From(user));
    }
}
