using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Otlp.Proto.Common;
using Shop.AppHost.Dashboard.Telemetry;
using OtlpPb = Shop.AppHost.Dashboard.Otlp.Proto;
using StatusCode = Grpc.Core.StatusCode;

namespace Shop.Tests.Dashboard;

/// <summary>Each port serves only its own surface; the limits drop the oldest and cut attributes and events.</summary>
public sealed class OtlpIsolationAndLimitsTests : OtlpReceiverTestBase
{
    [Fact]
    public async Task each_port_serves_only_its_own_surface()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add(OtlpEndpoints.ApiKeyHeader, OtlpReceiverHost.ApiKey);

        // OTLP is not on the UI port, even with the key.
        using var onUi = await client.PostAsync($"{_host.UiUrl}/v1/traces", Protobuf(SampleTraces()), Ct);
        Assert.Equal(HttpStatusCode.NotFound, onUi.StatusCode);
        // The UI is not on the OTLP/HTTP port (the login page is anonymous on the UI port).
        using var loginOnUi = await client.GetAsync($"{_host.UiUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.OK, loginOnUi.StatusCode);
        using var loginOnOtlp = await client.GetAsync($"{_host.HttpUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.NotFound, loginOnOtlp.StatusCode);
        // The gRPC service is not on the OTLP/HTTP port, nor the UI on the gRPC port.
        using var channelOnHttpPort = GrpcChannel.ForAddress(_host.HttpUrl);
        var wrongPort = await Assert.ThrowsAnyAsync<RpcException>(() => ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channelOnHttpPort, TraceService, SampleTraces()));
        Assert.NotEqual(StatusCode.OK, wrongPort.StatusCode);
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var loginOnGrpc = await h2.GetAsync($"{_host.GrpcUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.NotFound, loginOnGrpc.StatusCode);
        // The UI itself still wants its cookie.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var home = await noRedirect.GetAsync($"{_host.UiUrl}/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/login", home.Headers.Location?.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, _host.Telemetry.GetCounts().Spans);
    }

    [Fact]
    public async Task limits_drop_the_oldest_and_cut_attributes_and_events()
    {
        await using var host = await OtlpReceiverHost.StartAsync(new TelemetryLimits
        {
            MaxSpansPerResource = 3,
            MaxLogsPerResource = 2,
            MaxAttributeCount = 2,
            MaxAttributeLength = 5,
            MaxSpanEvents = 1,
        });
        using var http = host.Http();
        var spans = Enumerable.Range(1, 5).Select(i =>
        {
            var span = Span(Convert.FromHexString($"{i:x32}"), Convert.FromHexString($"{i:x16}"), $"span {i}", start: T0.AddSeconds(i));
            span.Attributes.Add(Kv("first", "0123456789"));
            span.Attributes.Add(Kv("second", "ok"));
            span.Attributes.Add(Kv("third", "dropped"));
            span.Events.Add(new OtlpPb.Trace.Span.Types.Event { Name = "kept" });
            span.Events.Add(new OtlpPb.Trace.Span.Types.Event { Name = "dropped" });
            return span;
        }).ToArray();
        var logs = SampleLogs();
        logs.ResourceLogs[0].ScopeLogs[0].LogRecords.Add(new OtlpPb.Logs.LogRecord { Body = new AnyValue { StringValue = "third" } });

        await PostAsync(http, "/v1/traces", Traces("catalog", spans[..2]), ExportTraceServiceResponse.Parser);
        await PostAsync(http, "/v1/traces", Traces("catalog", spans[2..]), ExportTraceServiceResponse.Parser);
        await PostAsync(http, "/v1/logs", logs, ExportLogsServiceResponse.Parser);

        var kept = host.Telemetry.GetTraces(new TraceQuery()).Traces.SelectMany(t => t.Spans).OrderBy(s => s.Start).ToList();
        Assert.Equal(new[] { "span 3", "span 4", "span 5" }, kept.Select(s => s.Name));
        Assert.All(kept, s => Assert.Equal(new KeyValuePair<string, string>[] { new("first", "01234"), new("second", "ok") }, s.Attributes));
        Assert.All(kept, s => Assert.Equal("kept", Assert.Single(s.Events).Name));
        Assert.Equal(new[] { "third", "no severity" }, host.Telemetry.GetLogs(new LogQuery()).Entries.Select(l => l.Message));
        var counts = host.Telemetry.GetCounts();
        Assert.Equal((3, 2, 1), (counts.Spans, counts.SpansDropped, counts.LogsDropped));
    }
}
