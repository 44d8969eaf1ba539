using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;
using Shop.Shipping.Shipments;
using Shop.Shipping;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapShipmentsApi();

return await app.RunServiceAsync(args);
