using Shop.Catalog;
using Shop.Catalog.Pricing;
using Shop.Catalog.Products;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();
builder.AddGrpcEndpoint();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Every error leaves as RFC 9457 ProblemDetails: thrown exceptions and empty 4xx/5xx (unknown route, 405, and the
// bodiless 401/403 of the authentication middleware, which is why status code pages come before it).
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapDeadLetterEndpoints();
app.MapOpenApi();
app.MapProductsApi();
app.MapCategoriesApi();
app.MapCatalogPricing();

return await app.RunServiceAsync(args);
