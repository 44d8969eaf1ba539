using Shop.Ordering;
using Shop.Ordering.Orders;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Every error leaves as RFC 9457 ProblemDetails, including empty 4xx such as the 401/403 of the token checks.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapOrdersApi();
app.MapDeadLetterEndpoints();

return await app.RunServiceAsync(args);
