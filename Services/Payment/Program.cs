using Shop.Payment;
using Shop.Payment.Payments;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Every error leaves as RFC 9457 ProblemDetails: thrown exceptions and empty 4xx/5xx (unknown route, 405, and the
// 401/403 of the token checks, which is why authentication comes after the status-code pages).
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapDeadLetterEndpoints();
app.MapOpenApi();
app.MapPaymentsApi();

return await app.RunServiceAsync(args);
