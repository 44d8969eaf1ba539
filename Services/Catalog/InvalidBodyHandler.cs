using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Catalog;

/// <summary>
/// Turns a request body the endpoints cannot read into a 4xx ProblemDetails the caller can act on: malformed JSON or a
/// value of the wrong type becomes a 400 ValidationProblem naming the field (<c>price</c> for <c>"price": "abc"</c>);
/// a missing body a 400 that says so. Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>, otherwise the
/// framework answers an empty 400 that only says "Bad Request".
/// </summary>
internal sealed class InvalidBodyHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem = bad.InnerException is JsonException json
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [FieldName(json.Path)] = ["Not valid JSON, or not a value of the expected type."],
            })
            {
                Detail = "The request body could not be read as JSON " +
                    $"(line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).",
            }
            : new ProblemDetails { Detail = "The request is missing a body or part of it could not be read." };
        problem.Status = bad.StatusCode;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    // "$.price" → "price", "$.items[2].name" → "items[2].name"; the root or an unknown position → "body".
    private static string FieldName(string? path) =>
        path is null || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
