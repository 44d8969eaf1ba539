using Shop.Gateway;
using Shop.Gateway.Admin;
using Shop.Gateway.ApiReference;
using Shop.Gateway.RateLimiting;
using Shop.Gateway.Summary;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Errors the gateway itself produces (unknown route, 401/403, 429, 502/503/504) leave as ProblemDetails.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseInstanceHeader();
// Before authentication: a preflight carries no token and is answered here.
app.UseCors();

app.UseAuthentication();
app.UseMiddleware<RedisRateLimitMiddleware>();
app.UseAuthorization();
// After authentication, rate limiting and authorization: a cached answer goes only to a caller who may have it.
app.UseOutputCache();

app.MapDefaultEndpoints();
app.MapMeSummary();
app.MapDeadLetters();
app.MapApiDocuments();
app.MapReverseProxy();
app.MapNotFoundFallback();

app.Run();
