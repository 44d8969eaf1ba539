using Scalar.AspNetCore;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.Gateway.ApiReference;

/// <summary>
/// The public API's contract in one place. Every service publishes its OpenAPI documents on its own endpoint
/// (<c>/openapi/{document}.json</c>); the gateway serves each under <c>/openapi/{service}/{document}.json</c> (the
/// <c>openapi-*</c> routes in configuration forward them) beside its own (<c>/openapi/gateway/v1.json</c>), lists them
/// all at <c>/openapi</c> and renders them as one API reference at <c>/api-reference</c> (Scalar, served from the
/// gateway itself: the page needs no CDN).
/// </summary>
public static class ApiDocuments
{
    public const string ReferencePath = "/api-reference";
    public const string IndexPath = "/openapi";

    public sealed record ApiDocument(string Service, string Document, string Title)
    {
        public string Url => $"{IndexPath}/{Service}/{Document}.json";
    }

    /// <summary>Every public document, in the order the reference lists them.</summary>
    public static readonly IReadOnlyList<ApiDocument> All =
    [
        new("identity", "v1", "Identity: accounts, tokens, signing keys"),
        new("catalog", "v1", "Catalog v1: products, categories"),
        new("catalog", "v2", "Catalog v2: products with money objects"),
        new("inventory", "v1", "Inventory: stock, reservations"),
        new("ordering", "v1", "Ordering: orders"),
        new("payment", "v1", "Payment: payments"),
        new("shipping", "v1", "Shipping: shipments"),
        new("notification", "v1", "Notification: the caller's inbox"),
        new("gateway", "v1", "Gateway: summary, dead letters"),
    ];

    public static IEndpointRouteBuilder MapApiDocuments(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi($"{IndexPath}/gateway/{{documentName}}.json").AllowAnonymous();
        app.MapGet(IndexPath, () => TypedResults.Ok(All.Select(d => new { d.Service, d.Document, d.Title, d.Url })))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapScalarApiReference(ReferencePath, options =>
        {
            // The page talks to nothing but this gateway: no usage telemetry, no hosted AI chat or MCP, no toolbar or
            // client button that links to Scalar's own services.
            options.WithTitle("Shop API")
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .HideClientButton()
                // Each document has a handful of operations: show them all in the sidebar at once.
                .ExpandAllTags();
            foreach (var document in All)
            {
                options.AddDocument($"{document.Service}-{document.Document}", document.Title, document.Url,
                    isDefault: document == All[0]);
            }
            // Operations that need a token show it as a bearer header; paste one from POST /api/v1/auth/token.
            options.AddPreferredSecuritySchemes([OpenApiExtensions.BearerScheme]);
        }).AllowAnonymous();
        return app;
    }
}
