using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Shop.Identity;

/// <summary>
/// An unreachable database becomes 503 with <c>Retry-After</c> instead of a 500: the caller did nothing wrong and
/// may simply try again. Everything else falls through to the default ProblemDetails 500.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // No exception attached: its message names hosts and ports, which callers have no business seeing.
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable",
                Detail = "The identity database cannot be reached. Try again shortly.",
            },
        });
    }

    // EF does not retry here (the outbox needs transactions EF did not open), so an outage surfaces at once: as the
    // NpgsqlException itself, or wrapped by EF (DbUpdateException, or the InvalidOperationException that a
    // non-retrying strategy throws for a transient fault). RetryLimitExceededException stays for a context with retries.
    private static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        RetryLimitExceededException => true,
        NpgsqlException { IsTransient: true } => true,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };
}
