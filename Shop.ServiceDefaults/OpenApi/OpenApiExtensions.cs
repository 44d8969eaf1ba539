using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Shop.ServiceDefaults.Authentication;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// The OpenAPI documents every Shop service publishes (Microsoft.AspNetCore.OpenApi, <c>/openapi/{document}.json</c>),
/// written for a client of the gateway, which serves them all under <c>/openapi/{service}/{document}.json</c>:
/// <list type="bullet">
/// <item>no <c>servers</c>: paths are the gateway's, so a client resolves them against wherever it read the document;</item>
/// <item>a bearer security scheme, required by every operation whose endpoint requires authorization, which then also
/// documents its 401 (and its 403 when it needs the admin role) as ProblemDetails;</item>
/// <item>the gateway's 429 (rate limit, with <c>Retry-After</c>) on every operation, and a required
/// <c>Idempotency-Key</c> header where the endpoint reads one.</item>
/// </list>
/// What an operation answers otherwise comes from the endpoint itself: its typed results and <c>ProducesProblem</c>.
/// </summary>
public static class OpenApiExtensions
{
    public const string BearerScheme = "Bearer";

    /// <summary>The header that makes a write safe to retry (ordering's POST /api/v1/orders).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Adds the service's documents, by name (<c>v1</c> unless it serves more versions): each holds the endpoints whose
    /// group name is the document's name or that have none.
    /// </summary>
    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder, string title, params string[] documents)
    {
        foreach (var document in documents is [] ? ["v1"] : documents)
        {
            builder.Services.AddOpenApi(document, options =>
            {
                // A use case's nested types (RegisterUser.Request, IssueToken.Request) are schemas of their own,
                // named after it: by default every one of them would be "Request", and all but one body would point
                // at the wrong schema.
                options.CreateSchemaReferenceId = type => type.Type.DeclaringType is { } outer
                    && OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id
                    && (id.StartsWith("Request", StringComparison.Ordinal) || id.StartsWith("Response", StringComparison.Ordinal) || id == "Document")
                        ? outer.Name + id
                        : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
                // Strings are read by a converter of ours (NoNulStrings), and the schema exporter describes a type with
                // its own converter as "any value": say what it is, a string, null where the property is nullable.
                options.AddSchemaTransformer((schema, context, _) =>
                {
                    if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
                    {
                        schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true }
                            ? JsonSchemaType.String | JsonSchemaType.Null
                            : JsonSchemaType.String;
                    }
                    return Task.CompletedTask;
                });
                options.AddDocumentTransformer((doc, _, _) =>
                {
                    doc.Info.Title = title;
                    doc.Info.Version = document;
                    doc.Servers = [];
                    doc.Components ??= new OpenApiComponents();
                    doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                    doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An access token from POST /api/v1/auth/token (15 minutes). Admin operations need the admin role.",
                    };
                    return Task.CompletedTask;
                });
                options.AddOperationTransformer(DescribeCommonResponsesAsync);
            });
        }
        return builder;
    }

    private static async Task DescribeCommonResponsesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var problem = new Lazy<Task<OpenApiSchema>>(() => context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken));
        operation.Responses ??= [];

        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
            await AddProblemAsync(StatusCodes.Status401Unauthorized, "No access token, or one that is not valid (signature, issuer, audience, expiry).");
            if (authorize.Any(a => a.Policy == ShopAuth.AdminPolicy || a.Roles is { Length: > 0 }))
            {
                await AddProblemAsync(StatusCodes.Status403Forbidden, "The caller is signed in but is not an admin.");
            }
        }
        await AddProblemAsync(StatusCodes.Status429TooManyRequests, "Too many requests from this caller (the gateway's rate limit); retry after Retry-After seconds.");

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { In: ParameterLocation.Header } header
                && string.Equals(header.Name, IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase))
            {
                header.Required = true;
                header.Description = "A key of the client's choosing (1 to 255 visible ASCII characters, e.g. a UUID), new for each distinct " +
                    "request: the same key with the same body gets the first answer again (Idempotent-Replayed: true), with " +
                    "another body a 422.";
            }
        }

        async Task AddProblemAsync(int status, string description)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                return;
            }
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = await problem.Value },
                },
            };
        }
    }
}
