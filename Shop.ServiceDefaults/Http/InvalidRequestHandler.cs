using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// Turns a request the endpoints cannot bind into a 400 ProblemDetails the caller can act on: malformed JSON or a value
/// of the wrong type becomes a ValidationProblem naming the field (<c>price</c> for <c>"price": "abc"</c>), a missing
/// body a 400 that says so, a query or route value of the wrong type a 400 naming the parameter. Needs
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> (set by <c>AddServiceDefaults</c>): otherwise the framework answers an
/// empty 400 that only says "Bad Request". A handled exception is not logged as an error: the caller's mistake is not
/// the service's fault.
/// </summary>
internal sealed class InvalidRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem = bad.InnerException switch
        {
            JsonException json => new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [FieldName(json.Path)] = [json is NulCharacterException ? NulCharacterException.Text : "Not valid JSON, or not a value of the expected type."],
            })
            {
                Detail = "The request body could not be read as JSON " +
                    $"(line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).",
            },
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                => new ProblemDetails { Detail = "The request is missing its body, or the body could not be read." },
            _ => new ProblemDetails { Detail = bad.Message },
        };
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
