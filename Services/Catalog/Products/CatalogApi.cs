using Asp.Versioning;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Catalog.Products;

/// <summary>
/// The catalog's API versions, by Asp.Versioning: v1 (prices as numbers, plus the admin writes and categories) and v2
/// (products with prices as money objects). A client names the version in the path, <c>/api/v2/products</c>, or on
/// the unversioned path <c>/api/products</c> in a header (<c>api-version: 2</c>) or the media type it accepts
/// (<c>Accept: application/json; v=2</c> or <c>application/vnd.shop.v2+json</c>); without one it gets v1. A version
/// the catalog does not serve is the library's 400 ProblemDetails (<c>UnsupportedApiVersion</c>). Every answer says
/// which versions there are (<c>api-supported-versions</c>). Each version is its own OpenAPI document,
/// <c>/openapi/v1.json</c> and <c>/openapi/v2.json</c>, grouped by the library's API explorer.
/// </summary>
public static class CatalogApi
{
    public const string V1 = "v1";
    public const string V2 = "v2";

    /// <summary>The path that carries the version (today's form).</summary>
    private const string Versioned = "/api/v{version:apiVersion}";

    /// <summary>The path whose version comes from a header or the media type.</summary>
    private const string Unversioned = "/api";

    public static void AddCatalogApiVersioning(this IServiceCollection services) => services
        .AddApiVersioning(options =>
        {
            options.DefaultApiVersion = new ApiVersion(1);
            options.AssumeDefaultVersionWhenUnspecified = true;
            options.ReportApiVersions = true;
            options.ApiVersionReader = ApiVersionReader.Combine(
                new UrlSegmentApiVersionReader(),
                new HeaderApiVersionReader("api-version"),
                new MediaTypeApiVersionReaderBuilder().Parameter("v").Template("application/vnd.shop.v{version}+json").Build());
        })
        .AddApiExplorer(options =>
        {
            options.GroupNameFormat = "'v'V";
            options.SubstituteApiVersionInUrl = true;
        });

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Products");
        foreach (var (prefix, suffix) in (ReadOnlySpan<(string, string)>)[(Versioned, ""), (Unversioned, "ByHeader")])
        {
            // The two forms of one operation are told apart in the documents by their tag (and operation id).
            var tag = suffix.Length == 0 ? "Products" : "Products, version in a header";
            var v1 = api.MapGroup($"{prefix}/products").HasApiVersion(1).WithTags(tag);
            v1.MapGet("", GetProducts.HandleV1Async)
                .WithName("GetProducts" + suffix)
                .WithSummary("Lists products a page at a time, ordered by name.");
            v1.MapGet("/{id:int}", GetProduct.HandleV1Async)
                .WithName("GetProduct" + suffix)
                .WithSummary("Gets one product.")
                .ProducesProblem(StatusCodes.Status404NotFound);

            var admin = api.MapGroup($"{prefix}/products").HasApiVersion(1).WithTags(tag)
                .RequireAuthorization(ShopAuth.AdminPolicy)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden);
            admin.MapPost("", CreateProduct.HandleAsync)
                .WithName("CreateProduct" + suffix)
                .WithSummary("Adds a product; inventory starts its stock at initialStock (admins).")
                .ProducesProblem(StatusCodes.Status409Conflict);
            admin.MapPut("/{id:int}", UpdateProduct.HandleAsync)
                .WithName("UpdateProduct" + suffix)
                .WithSummary("Replaces a product's name, description, price and category (admins).")
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
            admin.MapDelete("/{id:int}", DeleteProduct.HandleAsync)
                .WithName("DeleteProduct" + suffix)
                .WithSummary("Removes a product (admins).")
                .ProducesProblem(StatusCodes.Status404NotFound);

            var v2 = api.MapGroup($"{prefix}/products").HasApiVersion(2).WithTags(tag);
            v2.MapGet("", GetProducts.HandleV2Async)
                .WithName("GetProductsV2" + suffix)
                .WithSummary("Lists products a page at a time, ordered by name; prices with their currency.");
            v2.MapGet("/{id:int}", GetProduct.HandleV2Async)
                .WithName("GetProductV2" + suffix)
                .WithSummary("Gets one product; its price with its currency.")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
        return app;
    }

    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Categories");
        foreach (var (prefix, suffix) in (ReadOnlySpan<(string, string)>)[(Versioned, ""), (Unversioned, "ByHeader")])
        {
            api.MapGroup($"{prefix}/categories").HasApiVersion(1).WithTags(suffix.Length == 0 ? "Categories" : "Categories, version in a header")
                .MapGet("", GetCategories.HandleAsync)
                .WithName("GetCategories" + suffix)
                .WithSummary("Lists categories with their product counts.");
        }
        return app;
    }
}
