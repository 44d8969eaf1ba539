using Shop.Identity;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Every error leaves as RFC 9457 ProblemDetails: thrown exceptions and empty 4xx/5xx (unknown route, 405).
app.UseExceptionHandler();
app.UseStatusCodePages();
// Placed after the status-code pages (the framework would put them first) so 401/403 challenges get a body too.
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapDeadLetterEndpoints();
app.MapOpenApi();
app.MapUsersApi();
app.MapAuthApi();
app.MapKeysApi();

return await app.RunServiceAsync(args);
