using System.Diagnostics;
using Grpc.Core;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;
using SpanKind = Shop.AppHost.Dashboard.Telemetry.SpanKind;
using StatusCode = Grpc.Core.StatusCode;

namespace Shop.Tests.Dashboard;

/// <summary>OTLP/gRPC: what lands, the API key, a malformed message, and the OpenTelemetry SDK's own exporter.</summary>
public sealed class OtlpGrpcTests : OtlpReceiverTestBase
{
    [Fact]
    public async Task traces_logs_and_metrics_over_grpc_land_in_the_store_with_their_values()
    {
        using var channel = _host.Channel();

        var traces = await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        var logs = await ExportAsync<ExportLogsServiceRequest, ExportLogsServiceResponse>(channel, LogsService, SampleLogs());
        var metrics = await ExportAsync<ExportMetricsServiceRequest, ExportMetricsServiceResponse>(channel, MetricsService, SampleMetrics());

        Assert.Null(traces.PartialSuccess);
        Assert.Null(logs.PartialSuccess);
        Assert.Null(metrics.PartialSuccess);
        AssertSampleTraceStored(_host.Telemetry);
        AssertSampleLogsStored(_host.Telemetry);
        AssertSampleMetricsStored(_host.Telemetry);
    }

    [Fact]
    public async Task a_missing_or_wrong_api_key_is_unauthenticated_over_grpc()
    {
        using var channel = _host.Channel();

        var missing = await Assert.ThrowsAsync<RpcException>(() => ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces(), apiKey: null));
        var wrong = await Assert.ThrowsAsync<RpcException>(() => ExportAsync<ExportLogsServiceRequest, ExportLogsServiceResponse>(channel, LogsService, SampleLogs(), apiKey: "nope"));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(new TelemetryCounts(0, 0, 0, 0, 0, 0, 0), _host.Telemetry.GetCounts());
        // The same channel still works with the key.
        await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        AssertSampleTraceStored(_host.Telemetry);
    }

    [Fact]
    public async Task malformed_grpc_message_fails_that_call_only()
    {
        using var channel = _host.Channel();
        var raw = new Method<byte[], byte[]>(MethodType.Unary, TraceService, "Export", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var headers = new Metadata { { OtlpEndpoints.ApiKeyHeader, OtlpReceiverHost.ApiKey } };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(headers, cancellationToken: Ct), [0x0a, 0xff, 0xff, 0x7f]).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        AssertSampleTraceStored(_host.Telemetry);
    }

    [Fact]
    public async Task the_opentelemetry_sdk_exporter_delivers_a_span_over_grpc_with_the_api_key_header()
    {
        var sourceName = $"Shop.Tests.Otlp.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("sdk-client", serviceInstanceId: "sdk-client-1"))
                   .AddSource(sourceName)
                   .AddOtlpExporter(o =>
                   {
                       o.Endpoint = new Uri(_host.GrpcUrl);
                       o.Protocol = OtlpExportProtocol.Grpc;
                       o.Headers = $"{OtlpEndpoints.ApiKeyHeader}={OtlpReceiverHost.ApiKey}";
                       o.ExportProcessorType = ExportProcessorType.Simple;
                   })
                   .Build())
        {
            using (var activity = source.StartActivity("sdk work", ActivityKind.Producer))
            {
                Assert.NotNull(activity);
                activity.SetTag("order.id", 42);
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var span = Assert.Single(_host.Telemetry.GetTraces(new TraceQuery { Resource = "sdk-client" }).Traces.SelectMany(t => t.Spans));
        Assert.Equal(new TelemetrySource("sdk-client", "sdk-client-1"), span.Source);
        Assert.Equal(("sdk work", SpanKind.Producer, sourceName), (span.Name, span.Kind, span.Scope));
        Assert.Equal("42", span.Attributes.ToDictionary()["order.id"]);
    }
}
