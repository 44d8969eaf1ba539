using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Identity.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Identity.Users;

/// <summary>
/// <c>PUT /api/v1/users/me</c>: changes the display name. Tokens already issued keep the old <c>name</c> claim until
/// they are refreshed; the profile itself is the source of truth. A real change commits with its
/// <see cref="UserProfileChanged"/> event (outbox); a PUT that changes nothing writes and announces nothing.
/// </summary>
public static class UpdateMe
{
    public sealed record Request(string? DisplayName);

    public static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal principal, IdentityDbContext db, IDbContextOutbox<IdentityDbContext> outbox, TimeProvider time,
        BackgroundSends sends,
        CancellationToken cancellationToken)
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

        var displayName = request.DisplayName!.Trim();
        if (displayName == user.DisplayName)
        {
            return TypedResults.Ok(UserView.From(user));
        }

        await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
        user.DisplayName = displayName;
        user.UpdatedAt = time.GetUtcNow();
        await outbox.PublishAsync(new UserProfileChanged(user.Id, user.Email, user.DisplayName));
        await outbox.CommitAsync(transaction, sends, cancellationToken);
        return TypedResults.Ok(UserView.From(user));
    }
}
