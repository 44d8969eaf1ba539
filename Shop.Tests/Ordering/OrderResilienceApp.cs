using Shop.AppHost;
using Shop.AppHost.Servers;
namespace Shop.Tests.Ordering;

/// <summary>
/// An app model of its own for what would pull the floor from under the shared system's tests: catalog stopped, and
/// payment killed with <c>kill -9</c> in the middle of a saga. Everything the saga needs, no gateway; the tests call
/// ordering and payment directly with a customer's token, as the gateway would.
/// </summary>
public sealed class OrderResilienceApp : IAsyncLifetime
{
    public static readonly TimeSpan SlowCharge = TimeSpan.FromSeconds(6);

    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = TestApps.CreateBuilder();
        var (postgres, messaging, cache, identity, catalog) = SmallAppModel.Add(builder, builder.State());
        foreach (var (name, project) in new (string, IResourceBuilder<ProjectResource>)[]
        {
            ("inventory", builder.AddProject<Projects.Inventory>("inventory").FromBuildOutput()),
            ("shipping", builder.AddProject<Projects.Shipping>("shipping").FromBuildOutput()),
            ("payment", builder.AddProject<Projects.Payment>("payment").FromBuildOutput()
                .WithEnvironment("Payment__Provider__SlowTokens__0", "tok_slow")
                .WithEnvironment("Payment__Provider__SlowLatencyMs", ((int)SlowCharge.TotalMilliseconds).ToString(global::System.Globalization.CultureInfo.InvariantCulture))),
        })
        {
            project.WithReference(postgres.AddDatabase($"{name}db")).WithReference(messaging).WaitFor(messaging)
                .WithReference(identity).WithHttpHealthCheck("/health");
        }
        builder.AddProject<Projects.Ordering>("ordering").FromBuildOutput()
            .WithReference(postgres.AddDatabase("orderingdb")).WithReference(messaging).WaitFor(messaging)
            .WithReference(cache).WaitFor(cache).WithReference(identity).WithReference(catalog).WaitFor(catalog)
            // Long enough to ride out a payment restart plus the recovery of its inbox.
            .WithEnvironment("Ordering__Saga__StepTimeout", "00:05:00")
            .WithHttpHealthCheck("/health");

        App = await builder.BuildAsync();
        await App.StartAsync().WaitAsync(ShopAppFixture.StartTimeout);
        await Task.WhenAll(new[] { "identity", "catalog", "inventory", "payment", "shipping", "ordering" }
            .Select(r => App.ResourceNotifications.WaitForResourceHealthyAsync(r))).WaitAsync(ShopAppFixture.StartTimeout);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
