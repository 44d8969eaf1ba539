using Shop.Inventory.Reservations;
using Shop.Inventory.Stock;
using Shop.Inventory;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapStockApi();
app.MapReservationsApi();

return await app.RunServiceAsync(args);
