using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Catalog.Data;
using Shop.Catalog.Pricing.V1;

namespace Shop.Catalog.Pricing;

/// <summary>
/// <c>CatalogPricing.GetPrices</c> (Protos/pricing.proto): the current name and price of products, for ordering.
/// Read from the database, not the Redis cache: an order must be priced with what was committed last.
/// </summary>
public sealed class CatalogPricingService(CatalogDbContext db, IOptions<CatalogOptions> options) : CatalogPricing.CatalogPricingBase
{
    /// <summary>Far above an order's lines; a bound so one call cannot ask for the whole catalogue.</summary>
    public const int MaxProductIds = 1000;

    public override async Task<GetPricesReply> GetPrices(GetPricesRequest request, ServerCallContext context)
    {
        if (request.ProductIds.Count > MaxProductIds)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"At most {MaxProductIds} product ids per call."));
        }

        var reply = new GetPricesReply();
        var ids = request.ProductIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return reply;
        }

        var products = await db.Products.AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.Price })
            .ToListAsync(context.CancellationToken);

        var currency = options.Value.Currency;
        reply.Prices.AddRange(products.Select(p => new ProductPrice
        {
            ProductId = p.Id,
            Name = p.Name,
            Amount = DecimalValue.FromDecimal(p.Price),
            Currency = currency,
        }));
        return reply;
    }
}

/// <summary>Mapped on every endpoint, but only the HTTP/2 <c>grpc</c> endpoint can carry it (see <see cref="GrpcEndpoint"/>).</summary>
public static class CatalogPricingApi
{
    public static IEndpointRouteBuilder MapCatalogPricing(this IEndpointRouteBuilder app)
    {
        // Internal and public data: no token asked (the proto says why).
        app.MapGrpcService<CatalogPricingService>().AllowAnonymous();
        return app;
    }
}
