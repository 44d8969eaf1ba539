using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Ordering.Pricing;

namespace Shop.Tests.Catalog;

/// <summary>
/// Ordering's catalog pricing client, composed as in ordering (ServiceDefaults, then AddCatalogPricing) with catalog's
/// grpc endpoint at <paramref name="grpcEndpoint"/>, handed over as the AppHost hands it: services__catalog__grpc__0.
/// </summary>
internal sealed class PricingClientHost(Uri grpcEndpoint) : IDisposable
{
    private readonly IHost _host = Build(grpcEndpoint);

    public CatalogPricingClient Client => _host.Services.GetRequiredService<CatalogPricingClient>();

    private static IHost Build(Uri grpcEndpoint)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ordering" });
        builder.Configuration["services:catalog:grpc:0"] = grpcEndpoint.ToString();
        builder.AddServiceDefaults();
        builder.AddCatalogPricing();
        return builder.Build();
    }

    public void Dispose() => _host.Dispose();
}
