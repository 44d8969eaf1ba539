using Shop.Ordering.Orders;
using Shop.Ordering;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapOrdersApi();

return await app.RunServiceAsync(args);
