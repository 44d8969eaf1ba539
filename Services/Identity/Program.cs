using Shop.Identity;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapUsersApi();
app.MapAuthApi();
app.MapKeysApi();

return await app.RunServiceAsync(args);
