using Shop.Catalog;
using Shop.Catalog.Products;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Every error leaves as RFC 9457 ProblemDetails: thrown exceptions and empty 4xx/5xx (unknown route, 405).
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapProductsApi();
app.MapCategoriesApi();

app.Run();
