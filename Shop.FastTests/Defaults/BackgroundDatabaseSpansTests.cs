using System.Diagnostics;
using Shop.ServiceDefaults.Telemetry;

namespace Shop.Tests.Defaults;

public sealed class BackgroundDatabaseSpansTests : IDisposable
{
    private readonly ActivitySource _npgsql = new(BackgroundDatabaseSpans.NpgsqlSource);
    private readonly ActivitySource _redis = new(BackgroundDatabaseSpans.RedisSource);
    private readonly ActivitySource _service = new("Shop.Tests.Service");
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is BackgroundDatabaseSpans.NpgsqlSource or BackgroundDatabaseSpans.RedisSource or "Shop.Tests.Service",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };
    private readonly BackgroundDatabaseSpans _processor = new();

    public BackgroundDatabaseSpansTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void A_database_call_outside_any_traced_work_is_not_recorded()
    {
        using var query = _npgsql.StartActivity("postgresql", ActivityKind.Client)!;
        _processor.OnStart(query);

        Assert.False(query.Recorded);
        Assert.False(query.IsAllDataRequested);
    }

    [Fact]
    public void A_redis_command_outside_any_traced_work_is_not_recorded()
    {
        // The Redis health check's PING, every time the AppHost probes /health.
        using var ping = _redis.StartActivity("PING", ActivityKind.Client)!;
        _processor.OnStart(ping);

        Assert.False(ping.Recorded);
    }

    [Fact]
    public void A_redis_command_inside_a_request_is_recorded()
    {
        using var request = _service.StartActivity("GET /api/v1/products/1", ActivityKind.Server)!;
        using var get = _redis.StartActivity("GET", ActivityKind.Client)!;
        _processor.OnStart(request);
        _processor.OnStart(get);

        Assert.True(get.Recorded);
    }

    [Fact]
    public void A_database_call_inside_a_request_or_message_is_recorded()
    {
        using var handling = _service.StartActivity("receive Shop.Contracts.ReserveStock", ActivityKind.Consumer)!;
        using var query = _npgsql.StartActivity("postgresql", ActivityKind.Client)!;
        _processor.OnStart(handling);
        _processor.OnStart(query);

        Assert.True(handling.Recorded);
        Assert.True(query.Recorded);
    }

    [Fact]
    public void A_database_call_under_a_span_that_is_not_recorded_is_not_recorded()
    {
        // What the ASP.NET Core instrumentation does to a filtered request (the health probes).
        using var probe = _service.StartActivity("GET /health", ActivityKind.Server)!;
        probe.IsAllDataRequested = false;
        probe.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        using var query = _npgsql.StartActivity("postgresql", ActivityKind.Client)!;
        _processor.OnStart(query);

        Assert.False(query.Recorded);
    }

    [Fact]
    public void A_database_call_whose_parent_is_in_another_process_is_recorded()
    {
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using var query = _npgsql.StartActivity("postgresql", ActivityKind.Client, remote)!;
        _processor.OnStart(query);

        Assert.True(query.Recorded);
    }

    [Fact]
    public void Spans_of_other_libraries_without_a_parent_are_recorded()
    {
        using var request = _service.StartActivity("GET /api/v1/products", ActivityKind.Server)!;
        _processor.OnStart(request);

        Assert.True(request.Recorded);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _npgsql.Dispose();
        _redis.Dispose();
        _service.Dispose();
        _processor.Dispose();
    }
}
