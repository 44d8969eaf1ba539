using Shop.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// Errors the gateway itself produces (unknown route, 502/503/504 when a service is down) leave as ProblemDetails.
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapReverseProxy();
app.MapNotFoundFallback();

app.Run();
