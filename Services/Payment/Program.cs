using Shop.Payment.Payments;
using Shop.Payment;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapPaymentsApi();

return await app.RunServiceAsync(args);
