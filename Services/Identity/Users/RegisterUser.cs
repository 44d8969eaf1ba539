using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Identity.Data;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Identity.Users;

/// <summary>
/// <c>POST /api/v1/users</c>: anyone may register; new accounts are customers. The account and its
/// <see cref="UserRegistered"/> event commit together (outbox), so no account goes unannounced and no event announces
/// an account that was never stored.
/// </summary>
public static class RegisterUser
{
    public sealed record Request(string? Email, string? Password, string? DisplayName);

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, IdentityDbContext db, IDbContextOutbox<IdentityDbContext> outbox, IPasswordHasher<User> hasher, TimeProvider time,
        BackgroundSends sends,
        CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = request.Email!.Trim();
        var now = time.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = UserRules.NormalizeEmail(email),
            DisplayName = request.DisplayName!.Trim(),
            PasswordHash = "",
            Role = ShopAuth.CustomerRole,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);

        await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
        db.Users.Add(user);
        await outbox.PublishAsync(new UserRegistered(user.Id, user.Email, user.DisplayName, now));
        try
        {
            await outbox.CommitAsync(transaction, sends, cancellationToken);
        }
        // The unique index decides, so two registrations racing for one address cannot both succeed.
        catch (DbUpdateException ex) when (IdentityDbContext.IsUniqueViolation(ex, IdentityDbContext.UserEmailIndex))
        {
            // Disposing the transaction rolls back the user and the event: nothing is announced for the address taken.
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
