using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Identity.Data;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Users;

/// <summary>A user as the API shows it: never the password hash.</summary>
public sealed record UserView(Guid Id, string Email, string DisplayName, string Role)
{
    public const string MeLocation = "/api/v1/users/me";

    public static UserView From(User user) => new(user.Id, user.Email, user.DisplayName, user.Role);

    /// <summary>The signed-in user's id: the token's <c>sub</c> (claims are not remapped, see ServiceDefaults).</summary>
    public static Guid? SignedInUserId(ClaimsPrincipal principal) => principal.UserId();

    public static ProblemHttpResult AccountGone() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "User not found",
            detail: "The account this token was issued for no longer exists.");
}
