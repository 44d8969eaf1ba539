using System.Diagnostics;
using OpenTelemetry;

namespace Shop.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps database calls made outside any request or message out of the exported traces. Wolverine's durability agent
/// polls its tables every few seconds in every service; each poll would otherwise be a trace of one
/// <c>postgresql</c> span (about 25 a second across the services at rest), burying the traces a user looks for on the
/// dashboard and costing every service and the AppHost CPU to export and store. Redis commands are treated alike (the
/// Redis health check's PING on every probe). The same goes for a call whose parent
/// span is not recorded: the health probes' <c>SELECT 1</c>, under a request span the ASP.NET Core instrumentation
/// filters out, would be an orphan. A database call made while handling a recorded request, a message or any other
/// traced work is recorded as before.
/// </summary>
/// <remarks>
/// A processor, not a sampler: a sampler is not told which library starts a span, and Npgsql's span names have changed
/// between versions. The span is started as usual and only left unrecorded, so exporters skip it.
/// </remarks>
public sealed class BackgroundDatabaseSpans : BaseProcessor<Activity>
{
    /// <summary>The name of Npgsql's <see cref="ActivitySource"/>.</summary>
    public const string NpgsqlSource = "Npgsql";

    /// <summary>The name of the StackExchange.Redis instrumentation's <see cref="ActivitySource"/> (health checks PING).</summary>
    public const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    public override void OnStart(Activity data)
    {
        if (data.Source.Name is not (NpgsqlSource or RedisSource))
        {
            return;
        }
        // A parent in another process (ParentSpanId without a local Parent) is the caller's: keep the span.
        var untraced = data.Parent is null ? data.ParentSpanId == default : !data.Parent.Recorded;
        if (untraced)
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
