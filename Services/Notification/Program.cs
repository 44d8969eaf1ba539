using Shop.Notification.Inbox;
using Shop.Notification;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOpenApi();
app.MapInboxApi();

return await app.RunServiceAsync(args);
