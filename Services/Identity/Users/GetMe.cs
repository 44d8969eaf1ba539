using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Users;

/// <summary><c>GET /api/v1/users/me</c>: the signed-in user's profile.</summary>
public static class GetMe
{
    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal principal, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var userId = UserView.SignedInUserId(principal);
        var user = userId is null ? null : await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new UserView(u.Id, u.Email, u.DisplayName, u.Role))
            .FirstOrDefaultAsync(cancellationToken);
        return user is null ? UserView.AccountGone() : TypedResults.Ok(user);
    }
}
