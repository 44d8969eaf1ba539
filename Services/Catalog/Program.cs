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
app.MapOpenApi();
app.MapProductsApi();
app.MapCategoriesApi();
app.MapCatalogPricing();

return await app.RunServiceAsync(args);
