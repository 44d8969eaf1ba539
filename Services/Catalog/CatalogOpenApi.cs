using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Shop.Catalog.Products;

namespace Shop.Catalog;

/// <summary>
/// One OpenAPI document per API version, <c>/openapi/v1.json</c> and <c>/openapi/v2.json</c>: each holds only the
/// endpoints whose group name is its own (see <see cref="CatalogApi"/>). Endpoints that require authorization are
/// marked with a bearer-token security requirement, so clients see which calls need the admin's token.
/// </summary>
public static class CatalogOpenApi
{
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddCatalogOpenApi(this IServiceCollection services)
    {
        foreach (var version in (string[])[CatalogApi.V1, CatalogApi.V2])
        {
            services.AddOpenApi(version, options =>
            {
                options.ShouldInclude = description => description.GroupName == version;
                options.AddDocumentTransformer((document, _, _) =>
                {
                    document.Info.Title = "Shop catalog API";
                    document.Info.Version = version;
                    document.Components ??= new OpenApiComponents();
                    document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                    document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An access token from identity (POST /api/v1/auth/token); writes need the admin role.",
                    };
                    return Task.CompletedTask;
                });
                options.AddOperationTransformer((operation, context, _) =>
                {
                    if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                    {
                        operation.Security ??= [];
                        operation.Security.Add(new OpenApiSecurityRequirement
                        {
                            [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                        });
                    }
                    return Task.CompletedTask;
                });
            });
        }
        return services;
    }
}
