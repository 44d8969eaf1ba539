using Shop.AppHost.Runtime;

namespace Shop.Tests.Runtime;

public sealed class StartupPlanTests
{
    private static IDistributedApplicationBuilder NewBuilder() => DistributedApplicationTestingBuilder.Create();

    [Fact]
    public void resources_start_after_what_they_wait_for_and_independent_ones_share_a_level()
    {
        var builder = NewBuilder();
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("catalogdb");
        var cache = builder.AddRedis("cache");
        var messaging = builder.AddRabbitMQ("messaging");
        var catalog = builder.AddProject<Projects.Catalog>("catalog").WithReference(db).WaitFor(db).WaitFor(cache);
        builder.AddProject<Projects.Gateway>("gateway").WithReference(catalog).WaitFor(catalog);

        var plan = StartupPlan.Create(builder.Resources);

        var levels = plan.Levels.Select(l => l.Select(r => r.Name).Order().ToArray()).ToArray();
        Assert.Equal([["cache", "messaging", "postgres"], ["catalogdb"], ["catalog"], ["gateway"]], levels);
        Assert.Equal(["gateway", "catalog", "catalogdb"], plan.StopOrder.Take(3).Select(r => r.Name));
        Assert.Equal(["postgres"], plan.Dependencies[db.Resource].Select(r => r.Name));
        Assert.Equal(["catalogdb", "cache"], plan.Dependencies[catalog.Resource].Select(r => r.Name));
    }

    [Fact]
    public void a_reference_without_wait_does_not_order_start_up()
    {
        var builder = NewBuilder();
        var a = builder.AddProject<Projects.Catalog>("a");
        var b = builder.AddProject<Projects.Gateway>("b").WithReference(a);
        a.WithReference(b); // services may refer to each other; only WaitFor orders them

        var plan = StartupPlan.Create(builder.Resources);

        Assert.Single(plan.Levels);
    }

    [Fact]
    public void a_wait_cycle_is_refused_when_the_model_is_built_naming_the_cycle()
    {
        var builder = NewBuilder();
        var a = builder.AddProject<Projects.Catalog>("a");
        var b = builder.AddProject<Projects.Gateway>("b").WaitFor(a);
        var c = builder.AddProject<Projects.Gateway>("c").WaitFor(b);
        a.WaitFor(c);

        var ex = Assert.Throws<DistributedApplicationException>(() => builder.Build());

        Assert.Contains("cycle", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("a -> c -> b -> a", ex.Message);
    }

    [Fact]
    public void waiting_for_itself_is_refused()
    {
        var builder = NewBuilder();
        var a = builder.AddProject<Projects.Catalog>("a");
        a.WaitFor(a);

        var ex = Assert.Throws<DistributedApplicationException>(() => StartupPlan.Create(builder.Resources));
        Assert.Contains("'a' waits for itself", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a--b")]
    [InlineData("a-")]
    [InlineData("a_b")]
    public void an_invalid_resource_name_is_refused(string name)
        => Assert.Throws<ArgumentException>(() => NewBuilder().AddRedis(name));

    [Fact]
    public void a_duplicate_resource_name_is_refused()
    {
        var builder = NewBuilder();
        builder.AddRedis("cache");
        var ex = Assert.Throws<DistributedApplicationException>(() => builder.AddRedis("Cache"));
        Assert.Contains("already exists", ex.Message);
    }
}
