using Shop.Catalog.Pricing;
using Shop.Catalog.Products;
using Shop.Catalog;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();
builder.AddGrpcEndpoint();

var app = builder.Build();

app.UseServiceDefaults();
// One document per API version, as Asp.Versioning's analyzer asks: AddServiceOpenApi registers "v1" and "v2", and the
// library's API explorer puts each endpoint in its version's group. (Its own WithDocumentPerVersion is in
// Asp.Versioning.OpenApi, which the package feed does not serve.)
#pragma warning disable AV0030
app.MapOpenApi();
#pragma warning restore AV0030
app.MapProductsApi();
app.MapCategoriesApi();
app.MapCatalogPricing();

return await app.RunServiceAsync(args);
