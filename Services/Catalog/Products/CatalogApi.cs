namespace Shop.Catalog.Products;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/v1/products").WithTags("Products");
        products.MapGet("", GetProducts.HandleAsync)
            .WithName("GetProducts")
            .WithSummary("Lists products a page at a time, ordered by name.");
        products.MapGet("/{id:int}", GetProduct.HandleAsync)
            .WithName("GetProduct")
            .WithSummary("Gets one product.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var categories = app.MapGroup("/api/v1/categories").WithTags("Categories");
        categories.MapGet("", GetCategories.HandleAsync)
            .WithName("GetCategories")
            .WithSummary("Lists categories with their product counts.");
        return app;
    }
}
