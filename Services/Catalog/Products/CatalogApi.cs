using Shop.ServiceDefaults.Authentication;

namespace Shop.Catalog.Products;

/// <summary>
/// Routes by API version: <c>/api/v1/...</c> (prices as numbers, plus the admin writes and categories) and
/// <c>/api/v2/products...</c> (prices as money objects). Each version is its own OpenAPI document,
/// <c>/openapi/v1.json</c> and <c>/openapi/v2.json</c>, selected by the endpoints' group name. Any other version
/// matches no route and gets the 404 ProblemDetails of <c>UseStatusCodePages</c>.
/// </summary>
public static class CatalogApi
{
    public const string V1 = "v1";
    public const string V2 = "v2";

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1/products").WithTags("Products").WithGroupName(V1);
        v1.MapGet("", GetProducts.HandleV1Async)
            .WithName("GetProducts")
            .WithSummary("Lists products a page at a time, ordered by name.");
        v1.MapGet("/{id:int}", GetProduct.HandleV1Async)
            .WithName("GetProduct")
            .WithSummary("Gets one product.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = app.MapGroup("/api/v1/products").WithTags("Products").WithGroupName(V1)
            .RequireAuthorization(ShopAuth.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapPost("", CreateProduct.HandleAsync)
            .WithName("CreateProduct")
            .WithSummary("Adds a product; inventory starts its stock at initialStock (admins).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{id:int}", UpdateProduct.HandleAsync)
            .WithName("UpdateProduct")
            .WithSummary("Replaces a product's name, description, price and category (admins).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{id:int}", DeleteProduct.HandleAsync)
            .WithName("DeleteProduct")
            .WithSummary("Removes a product (admins).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var v2 = app.MapGroup("/api/v2/products").WithTags("Products").WithGroupName(V2);
        v2.MapGet("", GetProducts.HandleV2Async)
            .WithName("GetProductsV2")
            .WithSummary("Lists products a page at a time, ordered by name; prices with their currency.");
        v2.MapGet("/{id:int}", GetProduct.HandleV2Async)
            .WithName("GetProductV2")
            .WithSummary("Gets one product; its price with its currency.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var categories = app.MapGroup("/api/v1/categories").WithTags("Categories").WithGroupName(V1);
        categories.MapGet("", GetCategories.HandleAsync)
            .WithName("GetCategories")
            .WithSummary("Lists categories with their product counts.");
        return app;
    }
}
