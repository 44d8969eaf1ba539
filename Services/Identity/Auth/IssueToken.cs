using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Identity.Data;

namespace Shop.Identity.Auth;

/// <summary><c>POST /api/v1/auth/token</c>: email and password in, an access token and a refresh token out.</summary>
public static class IssueToken
{
    public sealed record Request(string? Email, string? Password);

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, IdentityDbContext db, CredentialVerifier credentials, TokenIssuer issuer, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors["email"] = ["Required."];
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Required."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = await credentials.VerifyAsync(db, request.Email!, request.Password!, cancellationToken);
        if (user is null)
        {
            return TokenIssuer.Rejected("Invalid credentials", "The email or password is incorrect.");
        }

        var tokens = await issuer.IssueForLoginAsync(db, user, cancellationToken);
        // RFC 6749 §5.1: responses carrying tokens must not be stored by any cache.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(tokens);
    }
}
